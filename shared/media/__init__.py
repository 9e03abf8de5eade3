"""Evidence files: what they really are, whether they are accepted, and their thumbnails."""
