"""Tickets, their status transitions and their event log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.domain.costs import CostLine, Loss
from shared.domain.types import Priority, TicketType
from shared.errors import NotAllowedNow


class Status(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    WAITING_ON_REQUESTER = "waiting_on_requester"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"


ALLOWED_TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset({Status.ASSIGNED, Status.CANCELLED}),
    Status.ASSIGNED: frozenset({Status.IN_PROGRESS, Status.RESOLVED, Status.CANCELLED}),
    Status.IN_PROGRESS: frozenset(
        {Status.WAITING_ON_REQUESTER, Status.RESOLVED, Status.ASSIGNED, Status.CANCELLED}
    ),
    Status.WAITING_ON_REQUESTER: frozenset({Status.IN_PROGRESS, Status.RESOLVED, Status.CANCELLED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
    Status.CLOSED: frozenset(),
    Status.CANCELLED: frozenset(),
}

OPEN_STATUSES = frozenset(
    {Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING_ON_REQUESTER}
)
CLOSED_STATUSES = frozenset({Status.CLOSED, Status.CANCELLED})


class InvalidTransition(NotAllowedNow):
    def __init__(self, current: Status, wanted: Status) -> None:
        super().__init__(f"a ticket cannot go from {current} to {wanted}")


def check_transition(current: Status, wanted: Status) -> None:
    if wanted not in ALLOWED_TRANSITIONS[current]:
        raise InvalidTransition(current, wanted)


class EventType(StrEnum):
    """What happened to a ticket. Each event's `data` carries what its message needs:
    responded, status_provided, waiting_on_requester, information_added, resolved:
    {"text", "evidence": [...]}; warning: {"milestone", "percent", "due"}; breached:
    {"milestone", "due"}; escalated: {"level", "notify"}; reopened: {"reason"};
    rated: {"score", "comment"}; assigned: {"responsible", "reason", "department"};
    policy_changed: {"from", "to", "reason"}. Waiting on the requester pauses the resolution
    clock; information from the requester, or `resumed`, starts it again.
    """

    CREATED = "created"
    ASSIGNED = "assigned"
    ACKNOWLEDGED = "acknowledged"
    RESPONDED = "responded"
    WAITING_ON_REQUESTER = "waiting_on_requester"
    INFORMATION_ADDED = "information_added"
    STATUS_REQUESTED = "status_requested"
    STATUS_PROVIDED = "status_provided"
    WARNING = "warning"
    BREACHED = "breached"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    REOPENED = "reopened"
    CLOSED = "closed"
    RATED = "rated"
    RESUMED = "resumed"
    POLICY_CHANGED = "policy_changed"
    STATUS_REQUEST_UNANSWERED = "status_request_unanswered"
    COST_ADDED = "cost_added"
    COST_CORRECTED = "cost_corrected"
    LOSS_RECORDED = "loss_recorded"
    COMMENTED = "commented"  # a watcher's or a manager's note: {"text", "evidence"}
    DELIVERY_FAILED = "delivery_failed"  # a message bounced: {"recipient", "status"}
    DETAILS_COMPLETED = "details_completed"  # the fields a ticket by e-mail lacked: {"fields"}
    TRANSFERRED = "transferred"  # handed over: {"from", "to", "department", "reason"}
    CANCELLED = "cancelled"  # opened by mistake or a duplicate: {"reason", "original"}
    WATCHER_ADDED = "watcher_added"  # a colleague follows the ticket: {"watcher"}
    WATCHER_REMOVED = "watcher_removed"  # they stopped following it: {"watcher"}
    CLOSE_REMINDER = "close_reminder"  # the resolved ticket closes soon: {"closes_at"}


class Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Party(Model):
    """A person as the ticket saw them: where they worked when the ticket was raised."""

    email: str
    name: str
    locale: str = "pt-BR"
    area_id: str | None = None
    area_name: str | None = None
    department_id: str | None = None
    department_name: str | None = None
    guest: bool = False


class AnnouncedAttachment(Model):
    """A file the submitter announced; its upload and checks come after creation."""

    filename: str
    content_type: str
    size: int  # 0 for a Drive file: known once it is fetched
    status: str = "awaiting_upload"  # then "uploaded", or "refused" (a Drive file)
    drive_ref: str | None = None  # a file of the intake client's Drive folder, fetched by media


class Evidence(Model):
    """An image, video or document stored in the evidence bucket, already checked."""

    object_name: str
    filename: str
    content_type: str
    size: int
    thumbnail_object: str | None = None  # an image's thumbnail, a video's poster frame
    duration_seconds: float | None = None  # a video's

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_video(self) -> bool:
        return self.content_type.startswith("video/")


class SlaFlag(StrEnum):
    ON_TIME = "on_time"
    AT_RISK = "at_risk"  # past a warning
    BREACHED = "breached"


class Rating(Model):
    """The requester's rating of the service, once the ticket is resolved."""

    score: int = Field(ge=1, le=5)
    comment: str = ""
    at: datetime


class Response(Model):
    """The latest response on a ticket, as its messages show it."""

    at: datetime
    by: str
    text: str
    evidence: list[Evidence] = []


class PauseRecord(Model):
    """Time waiting on the requester: the resolution clock does not run."""

    start: datetime
    end: datetime | None = None


class AssetRef(Model):
    tag: str
    name: str
    kind: str


class TicketRef(Model):
    """Another ticket, as one that names it shows it (a duplicate names its original)."""

    id: str
    number: str
    title: str = ""


class Ticket(Model):
    id: str
    number: str | None = None
    type: TicketType
    status: Status
    title: str
    description: str = ""
    policy_id: str
    category: str
    priority: Priority
    calendar_id: str
    requester: Party
    responsible: Party | None = None
    responsible_department_id: str
    asset: AssetRef | None = None
    fields: dict[str, Any] = {}
    pending_fields: list[str] = []  # required fields a ticket by e-mail lacks (the requester's)
    attachments: list[AnnouncedAttachment] = []
    source: str
    intake_client: str
    submission_id: str
    submitted_at: datetime | None = None
    received_at: datetime
    clock_started_at: datetime
    response_due: datetime
    resolution_due: datetime
    created_at: datetime
    updated_at: datetime
    event_count: int = 0
    watchers: list[Party] = []
    last_response: Response | None = None
    # The SLA clock's state; `clock_version` changes whenever its deadlines are recomputed,
    # which makes every timer scheduled before stale.
    clock_version: int = 1
    pauses: list[PauseRecord] = []
    paused_seconds: int = 0
    responded_at: datetime | None = None
    resolved_at: datetime | None = None
    response_breached_at: datetime | None = None
    resolution_breached_at: datetime | None = None
    milestones_done: dict[str, datetime] = {}
    sla_flag: SlaFlag = SlaFlag.ON_TIME
    # The requester's advance status requests ("pedido antecipado").
    status_requested_at: datetime | None = None
    status_request_pending: bool = False
    status_request_count: int = 0
    information_times: list[datetime] = []  # the requester's recent information (rate limit)
    attached_uploads: list[str] = []  # uploads already used by an action (each once)
    closed_at: datetime | None = None
    # What the ticket cost (shared/domain/costs.py); the totals are kept for aggregation queries.
    cost_lines: list[CostLine] = []
    loss: Loss | None = None
    cost_cents: dict[str, int] = {}
    loss_cents: int = 0
    loss_currency: str | None = None
    downtime_seconds: int = 0
    downtime_recorded: bool = False
    form_nonces: list[str] = []  # the last forms applied: a form submitted twice counts once
    rating: Rating | None = None
    # What the ticket last added to the SLA report's daily rollup (shared/domain/report_share.py).
    report_share: dict[str, Any] | None = None
    # Its place in its people's lists (shared/domain/work_lists.py).
    work: dict[str, Any] | None = None
    duplicate_of: TicketRef | None = None  # a cancelled duplicate's original


class TicketEvent(Model):
    """One entry of a ticket's audit trail; notifications, timers and reports read these."""

    seq: int
    type: EventType
    at: datetime
    actor: str
    data: dict[str, Any] = {}

    @property
    def id(self) -> str:
        return f"{self.seq:06d}-{self.type}"
