"""Who is calling: managers of the organisation (reports, lists)."""
