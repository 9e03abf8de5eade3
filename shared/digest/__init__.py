"""The daily digest: one e-mail per person at the start of their first working interval."""
