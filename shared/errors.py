"""The help desk's exceptions; the HTTP edge maps each to its status code."""

from __future__ import annotations


class HelpdeskError(Exception):
    status = 500
    code = "internal"

    def __init__(self, message: str, details: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []

    def to_json(self) -> dict:
        body: dict = {"error": self.message, "code": self.code}
        if self.details:
            body["details"] = self.details
        return body


class BadRequest(HelpdeskError):
    status, code = 400, "invalid_request"

    @classmethod
    def from_problems(cls, message: str, problems: list[tuple[str, str]]) -> BadRequest:
        return cls(message, [{"field": field, "message": text} for field, text in problems])


class Unauthorized(HelpdeskError):
    status, code = 401, "unauthorized"


class Forbidden(HelpdeskError):
    status, code = 403, "forbidden"


class NotFound(HelpdeskError):
    status, code = 404, "not_found"


class MethodNotAllowed(HelpdeskError):
    status, code = 405, "method_not_allowed"


class PayloadTooLarge(HelpdeskError):
    status, code = 413, "payload_too_large"


class UnsupportedMediaType(HelpdeskError):
    status, code = 415, "unsupported_media_type"


class Unavailable(HelpdeskError):
    """A dependency (Firestore, mail) is down: the caller should retry later."""

    status, code = 503, "unavailable"
