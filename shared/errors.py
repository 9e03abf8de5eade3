"""The help desk's one family of exceptions; every channel maps each to its answer (the HTTP
edge to its status code, a page to its text in the person's language).

`Refused` and its kinds say why an action on a ticket cannot be applied: `reason` names the
text a person reads and `values` fill it (raw values: each channel formats them for its reader).
"""

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


class Conflict(HelpdeskError):
    status, code = 409, "conflict"


class TooManyRequests(HelpdeskError):
    status, code = 429, "too_many_requests"


class RetryLater(Unavailable):
    """Part of the work must be done again later (the platform retries the delivery)."""

    code = "retry_later"


class TicketChanged(RetryLater):
    """The ticket kept changing under us; the caller may retry later."""

    code = "ticket_changed"


class ClaimedElsewhere(Conflict):
    """Another instance is doing the same work right now (e.g. sending the same e-mail)."""

    code = "claimed_elsewhere"


class InvalidLink(Forbidden):
    """A signed link that is forged, expired or not for this use; `reason` says which."""

    code = "invalid_link"

    def __init__(self, reason: str) -> None:
        super().__init__(f"the link is {reason}")
        self.reason = reason


class Refused(HelpdeskError):
    """An action on a ticket that cannot be applied, and why."""

    status, code = 409, "refused"

    def __init__(self, reason: str, message: str = "", **values: object) -> None:
        super().__init__(message or reason.replace("_", " "))
        self.reason, self.values = reason, values


class InvalidInput(Refused):
    """What the person sent is not valid (values name the field)."""

    status, code = 400, "invalid_input"


class NotPermitted(Refused):
    """The person may not take this action on this ticket (not now, or not at all)."""

    status, code = 403, "not_permitted"


class UnknownAction(Refused):
    status, code = 404, "unknown_action"


class NotAllowedNow(Refused):
    """The ticket's state does not allow this action."""

    status, code = 409, "not_allowed_now"

    def __init__(self, message: str, reason: str = "not_now", **values: object) -> None:
        super().__init__(reason, message, **values)


class TooOften(Refused):
    """The person acted too often; `values` say when they may again."""

    status, code = 429, "too_often"
