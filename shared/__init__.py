"""Code shared by every Cloud Function of the help desk.

Bundled beside each function's entry point at deploy time, so it only imports from itself
and from the pinned requirements.
"""
