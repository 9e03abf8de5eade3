"""The mailbox channel: replies and new tickets by e-mail, read from the help desk's own
mailbox (Gmail's watch and history, or the local stand-in of `make dev`)."""
