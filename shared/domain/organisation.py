"""An organisation's configuration: who works where, when, and under which agreements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.domain.types import (
    AssetTag,
    BusinessDuration,
    CurrencyCode,
    Email,
    Locale,
    LocalizedText,
    Money,
    Priority,
    Role,
    Slug,
    TicketType,
)
from shared.sla import BusinessCalendar, WorkingHours
from shared.sla.public_holidays import is_holiday

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MailIntake(Strict):
    """New tickets by e-mail: the policy of a message to the help desk's own address, and
    the other addresses the organisation delivers to its mailbox, each with its policy."""

    policy: Slug | None = None  # None: the mailbox opens no ticket, it only takes replies
    aliases: dict[Email, Slug] = {}


class Settings(Strict):
    name: str = Field(min_length=1)
    locale: Locale = "pt-BR"
    currency: CurrencyCode = "BRL"
    default_calendar: Slug
    mail: MailIntake = MailIntake()


class Area(Strict):
    id: Slug
    name: str = Field(min_length=1)
    manager: Email | None = None


class Department(Strict):
    id: Slug
    name: str = Field(min_length=1)
    area: Slug
    head: Email | None = None


class Person(Strict):
    email: Email
    name: str = Field(min_length=1)
    locale: Locale = "pt-BR"
    area: Slug
    department: Slug
    role: Role = Role.REQUESTER
    manager: Email | None = None
    active: bool = True
    calendar: Slug | None = None  # a shift's calendar (the daily digest); default: the org's


class HolidaySource(Strict):
    country: str = Field(pattern=r"^[A-Z]{2}$")
    subdivision: str | None = None


class ClosedDay(Strict):
    date: date
    name: str = ""


class CalendarSpec(Strict):
    id: Slug
    name: str = ""
    timezone: str
    hours: dict[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], list[str]]
    holidays: HolidaySource | None = None
    closed_days: list[ClosedDay] = []

    def build(self, holiday_dates: list[str] | None = None) -> BusinessCalendar:
        """The business calendar this specification describes. `holiday_dates`: its public
        holidays as the loader stored them (without them, the `holidays` library is asked)."""
        public = (
            is_holiday(self.holidays.country, self.holidays.subdivision, holiday_dates)
            if self.holidays
            else _never
        )
        closed = {day.date for day in self.closed_days}
        weekly = {
            WEEKDAYS.index(weekday): [WorkingHours.parse(span) for span in spans]
            for weekday, spans in self.hours.items()
        }
        return BusinessCalendar(self.timezone, weekly, lambda day: day in closed or public(day))


def _never(day: date) -> bool:
    return False


class Category(Strict):
    id: Slug
    name: LocalizedText


class FieldType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    CHOICE = "choice"
    DATE = "date"
    ASSET = "asset"
    EMAIL = "email"


class Choice(Strict):
    value: str = Field(min_length=1, max_length=100)
    label: LocalizedText


class CaptureField(Strict):
    """One field of a policy's capture format: what a ticket must carry."""

    name: Slug
    label: LocalizedText
    type: FieldType
    required: bool = False
    choices: list[Choice] = []
    max_length: int = Field(default=2000, gt=0, le=20000)
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False  # a count (parts, people): whole numbers only


class EscalationTarget(StrEnum):
    RESPONSIBLE_MANAGER = "responsible_manager"
    DEPARTMENT_HEAD = "department_head"
    AREA_MANAGER = "area_manager"


class EscalationLevel(Strict):
    """Who is told, and how long (business time) after the breach."""

    after: BusinessDuration
    notify: EscalationTarget | Email


class SlaPolicy(Strict):
    id: Slug
    name: LocalizedText
    type: TicketType
    category: Slug
    priority: Priority
    calendar: Slug
    response_time: BusinessDuration
    resolution_time: BusinessDuration
    warnings: list[int] = Field(default=[50, 75])
    escalation: list[EscalationLevel] = []
    responsible_department: Slug
    default_responsible: Email
    objectives: LocalizedText | None = None
    provider_responsibilities: LocalizedText
    user_responsibilities: LocalizedText
    accepts_guests: bool = False
    capture_format: list[CaptureField] = []
    active: bool = True
    # A resolved ticket the requester neither confirms nor reopens is closed after this many
    # business days (a reminder the day before).
    auto_close_days: int = Field(default=3, ge=1, le=30)


class AssetKind(StrEnum):
    FIXED_ASSET = "fixed_asset"
    ARTIFACT = "artifact"


class AssetStatus(StrEnum):
    IN_SERVICE = "in_service"
    OUT_OF_SERVICE = "out_of_service"
    RETIRED = "retired"


class Asset(Strict):
    tag: AssetTag
    name: str = Field(min_length=1)
    kind: AssetKind
    location: str = ""
    area: Slug
    responsible: Email | None = None
    loss_rate_per_hour: Money = Decimal("0")
    currency: CurrencyCode
    in_service_since: date | None = None
    status: AssetStatus = AssetStatus.IN_SERVICE


class Organisation(Strict):
    """The whole configuration file, as validated."""

    organisation: Settings
    areas: list[Area]
    departments: list[Department]
    people: list[Person]
    calendars: list[CalendarSpec]
    categories: list[Category]
    policies: list[SlaPolicy]
    assets: list[Asset] = []
