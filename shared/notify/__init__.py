"""Ticket events turned into e-mail: who is told, what they read, and sending each once."""
