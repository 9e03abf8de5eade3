"""The intake contract: the JSON body a form, AppSheet or an API client posts."""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from shared.domain.attachments import MAX_ATTACHMENTS
from shared.domain.types import AssetTag, Email, Slug, TicketType
from shared.errors import BadRequest

Text = Annotated[str, StringConstraints(strip_whitespace=True)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RequesterIn(Body):
    email: Email
    name: Annotated[Text, Field(max_length=200)] | None = None


class AttachmentIn(Body):
    filename: str
    content_type: str = Field(max_length=100)
    size: int


class Submission(Body):
    submission_id: Annotated[Text, Field(min_length=1, max_length=200)]
    source: Annotated[Text, Field(min_length=1, max_length=50)]
    type: TicketType
    policy: Slug
    title: Annotated[Text, Field(min_length=1, max_length=200)]
    description: Annotated[Text, Field(max_length=20000)] = ""
    requester: RequesterIn
    asset: AssetTag | None = None
    fields: dict[str, Any] = {}
    attachments: list[AttachmentIn] = Field(default=[], max_length=MAX_ATTACHMENTS)
    submitted_at: AwareDatetime | None = None


def parse_submission(body: bytes) -> Submission:
    try:
        raw = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRequest("the body is not valid UTF-8") from None
    except (json.JSONDecodeError, RecursionError):
        raise BadRequest("the body is not valid JSON") from None
    if not isinstance(raw, dict):
        raise BadRequest("the body must be a JSON object")
    try:
        return Submission.model_validate(raw)
    except ValidationError as error:
        raise BadRequest.from_problems(
            "the ticket was not accepted",
            [(field_path(item["loc"]), _message(item)) for item in error.errors()],
        ) from None


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
    return item["msg"]
