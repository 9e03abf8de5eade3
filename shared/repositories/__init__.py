"""Adapters that keep the help desk's data: the organisation directory and the tickets."""
