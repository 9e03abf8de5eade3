"""Ticket intake: authenticate the sender, validate the submission, open the ticket."""
