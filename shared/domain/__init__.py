"""The help desk's domain: organisation, SLA policies, tickets, events (no Google imports)."""
