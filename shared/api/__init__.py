"""The HTTP edge shared by the functions: bodies in, JSON out, errors mapped to statuses."""
