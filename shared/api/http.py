"""Request bodies, JSON answers and the mapping of errors to HTTP statuses."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import flask
from google.api_core import exceptions as google_errors

from shared.errors import HelpdeskError, PayloadTooLarge, Unavailable, UnsupportedMediaType
from shared.log import get_logger, set_trace

log = get_logger("http")

# Firestore (or another Google API) is down, overloaded or contended (a transaction aborted
# after its retries): the caller should retry later.
_OUTAGES = (
    google_errors.Aborted,
    google_errors.ServiceUnavailable,
    google_errors.DeadlineExceeded,
    google_errors.RetryError,
    google_errors.TooManyRequests,
    google_errors.InternalServerError,
)


def json_response(payload: Any, status: int = 200, headers: dict | None = None) -> flask.Response:
    body = json.dumps(payload, ensure_ascii=False, default=str)
    response = flask.Response(body, status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _json_refusal(request: flask.Request, error: HelpdeskError) -> flask.Response:
    return json_response(error.to_json(), error.status)


def endpoint(
    project: Callable[[], str],
    refusal: Callable[[flask.Request, HelpdeskError], flask.Response] = _json_refusal,
) -> Callable:
    """Wrap an HTTP function: trace id for the logs, errors turned into answers (JSON, or
    what `refusal` makes of them: the pages answer with a page in the person's language)."""

    def decorate(handler: Callable[[flask.Request], flask.Response]) -> Callable:
        @functools.wraps(handler)
        def wrapper(request: flask.Request) -> flask.Response:
            set_trace(request.headers.get("X-Cloud-Trace-Context"), project())
            try:
                return handler(request)
            except HelpdeskError as error:
                log.info("request refused", extra={"status": error.status, "error": error.message})
                response = refusal(request, error)
                if error.status == 503:  # retry later: say when
                    response.headers.setdefault("Retry-After", "5")
                return response
            except _OUTAGES as error:
                log.warning("dependency unavailable", extra={"error": str(error)})
                away = Unavailable("the help desk is briefly unavailable; retry in a few seconds")
                response = refusal(request, away)
                response.headers["Retry-After"] = "5"
                return response

        return wrapper

    return decorate


def read_body(request: flask.Request, max_bytes: int, json_only: bool = True) -> bytes:
    """The raw body (signatures are over the raw bytes), refused early when too large."""
    if request.content_length is not None and request.content_length > max_bytes:
        raise PayloadTooLarge(f"the body may be at most {max_bytes} bytes")
    body = request.stream.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise PayloadTooLarge(f"the body may be at most {max_bytes} bytes")
    if json_only and body and request.mimetype != "application/json":
        raise UnsupportedMediaType("send the body as application/json")
    return body
