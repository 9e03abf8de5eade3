"""The intake contract: the JSON body a form, AppSheet or an API client posts."""

from __future__ import annotations

import functools
import json
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)

from shared.domain.attachments import MAX_ATTACHMENTS
from shared.domain.drive import parse_reference
from shared.domain.text import one_line, paragraphs
from shared.domain.types import AssetTag, Email, Slug, TicketType
from shared.errors import BadRequest

Text = Annotated[str, StringConstraints(strip_whitespace=True)]


def _required_line(value: str) -> str:
    value = one_line(value)
    if not value:
        raise ValueError("must not be empty")
    return value


# Titles and names end up in e-mail headers: one line, no control characters (U+2028 too).
Line = Annotated[str, Field(max_length=200), AfterValidator(_required_line)]
OptionalLine = Annotated[str, Field(max_length=200), AfterValidator(one_line)]
Paragraphs = Annotated[str, Field(max_length=20000), AfterValidator(paragraphs)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RequesterIn(Body):
    email: Email
    name: OptionalLine | None = None


class AttachmentIn(Body):
    filename: str
    content_type: str = Field(max_length=100)
    size: int


def _drive_reference(value: str) -> str:
    parse_reference(value)  # ValueError says what is wrong
    return value.strip()


def _given(values: Any) -> Any:
    """AppSheet writes an empty text for an image column left empty: not a photo; the same
    photo named twice is one photo."""
    if not isinstance(values, list):
        return values
    given: list[Any] = []
    for value in values:
        if isinstance(value, str) and (not value.strip() or value.strip() in given):
            continue
        given.append(value.strip() if isinstance(value, str) else value)
    return given


MAX_PHOTOS = 10
DriveRef = Annotated[str, Field(max_length=2000), AfterValidator(_drive_reference)]


class Submission(Body):
    submission_id: Annotated[Text, Field(min_length=1, max_length=200)]
    source: Annotated[Text, Field(min_length=1, max_length=50)]
    type: TicketType
    policy: Slug
    title: Line
    description: Paragraphs = ""
    requester: RequesterIn
    asset: AssetTag | None = None
    fields: dict[str, Any] = {}
    attachments: list[AttachmentIn] = Field(default=[], max_length=MAX_ATTACHMENTS)
    # files of the client's Google Drive folder (AppSheet's photos): paths or links
    photos: Annotated[list[DriveRef], BeforeValidator(_given), Field(max_length=MAX_PHOTOS)] = []
    submitted_at: AwareDatetime | None = None


def read_submission(body: bytes) -> dict[str, Any]:
    """The body as a JSON object (what a client sent, before any check of its fields)."""
    try:
        raw = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRequest("the body is not valid UTF-8") from None
    except (json.JSONDecodeError, RecursionError):
        raise BadRequest("the body is not valid JSON") from None
    if not isinstance(raw, dict):
        raise BadRequest("the body must be a JSON object")
    return raw


def parse_submission(body: bytes) -> Submission:
    submission, _, problems = validate_submission(read_submission(body))
    if submission is None:
        raise BadRequest.from_problems("the ticket was not accepted", problems)
    return submission


def validate_submission(
    raw: dict[str, Any],
) -> tuple[Submission | None, dict[str, Any], list[tuple[str, str]]]:
    """The submission, or None with every problem of the envelope and the values of the fields
    that passed (so that the capture format, the asset and the requester are checked too)."""
    try:
        return Submission.model_validate(raw), {}, []
    except ValidationError as error:
        problems = [(field_path(item["loc"]), _message(item)) for item in error.errors()]
        refused = {item["loc"][0] for item in error.errors() if item["loc"]}
    passed = {}
    for name, adapter in _field_adapters().items():
        info = Submission.model_fields[name]
        if name not in raw and not info.is_required():
            passed[name] = info.get_default(call_default_factory=True)
        elif name in raw and name not in refused:
            try:
                passed[name] = adapter.validate_python(raw[name])
            except ValidationError:  # pragma: no cover - the whole model refused it already
                continue
    return None, passed, problems


@functools.cache
def _field_adapters() -> dict[str, TypeAdapter]:
    """One validator per field, built only when a submission is refused."""
    return {
        name: TypeAdapter(Annotated[info.annotation, info])
        for name, info in Submission.model_fields.items()
    }


def field_path(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _message(item: dict[str, Any]) -> str:
    if item["type"] == "missing":
        return "is required"
    if item["type"] == "extra_forbidden":
        return "is not a field of the intake contract"
    if item["type"] == "value_error":
        return str(item["ctx"]["error"])
    return item["msg"]
