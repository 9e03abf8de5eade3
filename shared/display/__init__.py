"""What a person reads of a ticket, the same on its pages and in its e-mails: the answers to the
policy's capture format, the SLA clock net of pauses, who wrote each entry."""
