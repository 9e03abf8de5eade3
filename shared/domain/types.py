"""Small value types shared by the organisation and the tickets."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    RootModel,
    WithJsonSchema,
)

from shared.domain.email import normalize_email

Locale = Literal["pt-BR", "es", "en"]

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")]
ASSET_TAG = r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}"  # letters and digits first, then . _ -
AssetTag = Annotated[str, Field(pattern=f"^{ASSET_TAG}$")]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


def _person_email(value: str) -> str:
    address = normalize_email(value)
    if "/" in address:  # addresses key documents (people/<address>)
        raise ValueError("an e-mail address here may not contain '/'")
    return address


Email = Annotated[
    str,
    AfterValidator(_person_email),
    WithJsonSchema({"type": "string", "format": "email"}),
]

_DURATION = re.compile(r"^(?:(?P<hours>\d+)h)?\s*(?:(?P<minutes>\d+)m(?:in)?)?$")


def parse_duration(value: object) -> object:
    """Accept "15m", "4h", "1h30m" as well as ISO 8601 ("PT4H") and seconds."""
    if isinstance(value, str):
        match = _DURATION.match(value.strip())
        if match and (match["hours"] or match["minutes"]):
            return timedelta(hours=int(match["hours"] or 0), minutes=int(match["minutes"] or 0))
    return value


def _positive(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        raise ValueError("a duration must be longer than zero")
    if value % timedelta(minutes=1):
        raise ValueError("durations are given to the minute")
    return value


BusinessDuration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    AfterValidator(_positive),
    PlainSerializer(lambda value: int(value.total_seconds()), return_type=int),
]

Money = Annotated[
    Decimal,
    Field(ge=0, max_digits=14, decimal_places=2),
    PlainSerializer(lambda value: str(value), return_type=str),
]


class LocalizedText(RootModel[dict[Locale, str]]):
    """A text a person reads, in one or more of the supported languages."""

    def get(self, locale: str, fallback: str = "pt-BR") -> str:
        texts = self.root
        return texts.get(locale) or texts.get(fallback) or next(iter(texts.values()), "")  # type: ignore[call-overload]

    def model_post_init(self, _context: object) -> None:
        if not self.root:
            raise ValueError("give the text in at least one language (pt-BR, es, en)")


class TicketType(StrEnum):
    INCIDENT = "incident"
    REQUEST = "request"

    @property
    def number_prefix(self) -> str:
        return {TicketType.INCIDENT: "INC", TicketType.REQUEST: "REQ"}[self]


class Priority(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Role(StrEnum):
    REQUESTER = "requester"
    AGENT = "agent"
    MANAGER = "manager"
