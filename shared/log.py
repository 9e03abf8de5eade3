"""Structured logs: one JSON object per line on stdout, as Cloud Logging reads them.

`severity` and `message` are Cloud Logging's own fields; the trace field ties a line to the
request's trace. Extra fields passed with `extra={...}` (ticket_id, ...) are kept as they are.
No personal data goes into a line: a person is named by `pseudonym(email)`, which is stable
(the same person gives the same value in every line) and not their address.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import logging
import sys
from datetime import UTC, datetime

TRACE_FIELD = "logging.googleapis.com/trace"
_trace: contextvars.ContextVar[str | None] = contextvars.ContextVar("trace", default=None)
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def pseudonym(email: str) -> str:
    """A person, in a log line: stable, and not their e-mail address."""
    return "p-" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:12]


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "severity": record.levelname,
            "message": record.getMessage(),
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "logger": record.name,
        }
        trace = _trace.get()
        if trace:
            entry[TRACE_FIELD] = trace
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["stack_trace"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure(level: str = "INFO") -> None:
    """Send the help desk's logs as JSON lines to stdout (idempotent)."""
    logger = logging.getLogger("helpdesk")
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
        logger.propagate = False
    logger.setLevel(level)


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(f"helpdesk.{name}")


def set_trace(header: str | None, project: str) -> None:
    """Take the trace id from X-Cloud-Trace-Context ("TRACE_ID/SPAN_ID;o=1")."""
    trace_id = (header or "").split("/", 1)[0].strip()
    _trace.set(f"projects/{project}/traces/{trace_id}" if trace_id else None)
