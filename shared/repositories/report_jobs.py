"""The record of each report queued for the background (one per manager, query and day)."""

from __future__ import annotations

import contextlib
from datetime import datetime

from google.api_core import exceptions as google_errors
from google.cloud import firestore

REPORT_JOBS = "report_jobs"


class FirestoreReportJobs:
    def __init__(self, db: firestore.Client) -> None:
        self._db = db

    def record(self, job_id: str, manager: str, args: dict, locale: str, now: datetime) -> None:
        """Once: asked again the same day, the record exists already."""
        ref = self._db.collection(REPORT_JOBS).document(job_id)
        with contextlib.suppress(google_errors.AlreadyExists, google_errors.Conflict):
            ref.create({"manager": manager, "args": args, "locale": locale, "requested_at": now})

    def started(self, job_id: str, now: datetime) -> None:
        """The job's rendering began (the console shows it); a second delivery says it again."""
        ref = self._db.collection(REPORT_JOBS).document(job_id)
        with contextlib.suppress(google_errors.NotFound):
            ref.update({"started_at": now})

    def read(self, job_id: str) -> dict | None:
        snapshot = self._db.collection(REPORT_JOBS).document(job_id).get()
        return snapshot.to_dict() if snapshot.exists else None

    @staticmethod
    def path(job_id: str) -> str:
        """Where the job's e-mail deliveries are recorded."""
        return f"{REPORT_JOBS}/{job_id}"
