"""The pages behind e-mailed links: one ticket, one person, one role per link."""
