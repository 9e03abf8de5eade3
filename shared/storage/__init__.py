"""Evidence files in Cloud Storage."""
