"""CloudEvents as Eventarc delivers them for Firestore documents."""
