"""Ticket use cases: each decides a change (fields and events) from the ticket as it is now."""
