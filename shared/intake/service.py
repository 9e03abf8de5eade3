"""Open a ticket from a validated submission: the intake use case."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from shared.config import Config
from shared.domain.attachments import MB, attachment_problems, declared_type
from shared.domain.capture import REQUIRED, CaptureResult, check_capture
from shared.domain.drive import parse_reference
from shared.domain.organisation import Asset, Person, SlaPolicy
from shared.domain.ticket import (
    AnnouncedAttachment,
    AssetRef,
    EventType,
    Evidence,
    Party,
    Status,
    Ticket,
    TicketEvent,
)
from shared.errors import BadRequest
from shared.intake.schema import Submission, validate_submission
from shared.repositories.directory import Directory, person_of


class TicketStore(Protocol):
    def get(self, ticket_id: str) -> Ticket | None: ...

    def prepare(self) -> None:
        """A ticket may be created soon (the store may start work it will need)."""
        ...

    def create(self, ticket: Ticket, events: list[TicketEvent]) -> tuple[Ticket, bool]:
        """Store a new ticket with its first events and give it its number, atomically.

        Returns the stored ticket and True, or the ticket already stored under the same id
        and False: a submission opens one ticket however often it arrives.
        """
        ...


def ticket_id_for(client_id: str, submission_id: str) -> str:
    """The ticket's id follows from who submitted what, which makes intake idempotent."""
    return hashlib.sha256(f"{client_id}\x00{submission_id}".encode()).hexdigest()[:24]


def open_ticket(
    submission: Submission,
    client_id: str,
    *,
    directory: Directory,
    tickets: TicketStore,
    config: Config,
    now: Callable[[], datetime],
    missing_allowed: bool = False,
    evidence: Sequence[Evidence] = (),
) -> tuple[Ticket, bool]:
    """Open the submission's ticket once; `missing_allowed`: required capture fields it lacks
    are left for the requester to complete (a ticket by e-mail), not refused; `evidence`: files
    checked already, which the ticket's first events carry (a message's attachments)."""
    ticket_id = ticket_id_for(client_id, submission.submission_id)
    received_at = now()
    tickets.prepare()
    try:
        ticket, events = draft_ticket(
            ticket_id,
            submission,
            client_id,
            directory,
            config,
            received_at,
            missing_allowed,
            evidence,
        )
    except BadRequest:
        # A re-sent submission stays accepted even if the configuration changed meanwhile.
        existing = tickets.get(ticket_id)
        if existing is not None:
            return existing, False
        raise
    return tickets.create(ticket, events)


def draft_ticket(
    ticket_id: str,
    sub: Submission,
    client_id: str,
    directory: Directory,
    config: Config,
    received_at: datetime,
    missing_allowed: bool = False,
    evidence: Sequence[Evidence] = (),
) -> tuple[Ticket, list[TicketEvent]]:
    """The ticket a submission opens and its first events, checked, not yet stored."""
    checked = check_values(dict(sub), directory, config)
    policy, capture, requester = checked.policy, checked.capture, checked.requester
    problems, pending = checked.problems, []
    if missing_allowed:
        missing = [p for p, text in problems if p.startswith("fields.") and text == REQUIRED]
        pending = [path.removeprefix("fields.") for path in missing]
        problems = [(path, text) for path, text in problems if path not in missing]
    if problems or policy is None or capture is None:
        raise BadRequest.from_problems("the ticket was not accepted", problems)
    assets, people, asset_fields = checked.assets, checked.people, capture.asset_tags

    asset = assets.get(sub.asset or "") or next(
        (assets[tag] for tag in asset_fields.values() if tag in assets), None
    )
    responsible, reason = _responsible(policy, asset, people, directory)
    calendar = directory.calendar(policy.calendar)
    assert calendar is not None, "the configuration loader checks calendar references"
    started_at = _clock_start(sub.submitted_at, received_at, config)
    ticket = Ticket(
        id=ticket_id,
        type=policy.type,
        status=Status.ASSIGNED,
        title=sub.title,
        description=sub.description,
        policy_id=policy.id,
        category=policy.category,
        priority=policy.priority,
        calendar_id=policy.calendar,
        requester=_party(requester, directory)
        if requester
        else Party(
            email=sub.requester.email,
            name=sub.requester.name or sub.requester.email,
            locale=directory.settings().locale,
            guest=True,
        ),
        responsible=_party(responsible, directory),
        responsible_department_id=policy.responsible_department,
        asset=AssetRef(tag=asset.tag, name=asset.name, kind=asset.kind) if asset else None,
        fields=capture.values,
        pending_fields=pending,
        attachments=[AnnouncedAttachment(**item.model_dump()) for item in sub.attachments]
        + [drive_attachment(reference) for reference in sub.photos],
        source=sub.source,
        intake_client=client_id,
        submission_id=sub.submission_id,
        submitted_at=sub.submitted_at,
        received_at=received_at,
        clock_started_at=started_at,
        response_due=calendar.add(started_at, policy.response_time),
        resolution_due=calendar.add(started_at, policy.resolution_time),
        created_at=received_at,
        updated_at=received_at,
        event_count=2,
    )
    actor = requester.email if requester else sub.requester.email
    files = {"evidence": [item.model_dump() for item in evidence]} if evidence else {}
    events = [
        TicketEvent(
            seq=1,
            type=EventType.CREATED,
            at=received_at,
            actor=actor,
            data={"source": sub.source, "policy": policy.id, **files},
        ),
        TicketEvent(
            seq=2,
            type=EventType.ASSIGNED,
            at=received_at,
            actor="helpdesk",
            data={
                "responsible": responsible.email,
                "reason": reason,
                "department": policy.responsible_department,
                **files,
            },
        ),
    ]
    return ticket, events


def drive_attachment(reference: str) -> AnnouncedAttachment:
    """A photo of the client's Drive folder, announced: media fetches it (name, type and size
    are Drive's, known then)."""
    name = parse_reference(reference).filename or "drive-file"
    return AnnouncedAttachment(
        filename=name, content_type=declared_type("", name), size=0, drive_ref=reference
    )


@dataclass
class Checked:
    """What a submission's values name in the directory, and every problem found."""

    problems: list[tuple[str, str]] = field(default_factory=list)
    policy: SlaPolicy | None = None
    capture: CaptureResult | None = None
    people: dict[str, Person] = field(default_factory=dict)
    assets: dict[str, Asset] = field(default_factory=dict)
    requester: Person | None = None


def check_submission(raw: dict[str, Any], directory: Directory, config: Config) -> Submission:
    """The submission, or a refusal that lists every problem at once: the envelope's, and
    those of the policy's capture format, the asset and the requester."""
    submission, passed, problems = validate_submission(raw)
    if submission is not None:
        return submission
    problems += check_values(passed, directory, config).problems
    raise BadRequest.from_problems("the ticket was not accepted", problems)


def check_values(values: dict[str, Any], directory: Directory, config: Config) -> Checked:
    """Check the values that passed the envelope against the organisation (a value missing
    from `values` was refused already and is not checked again)."""
    checked = Checked()
    problems = checked.problems
    policy = directory.policy(values["policy"]) if "policy" in values else None
    if "policy" in values and policy is None:
        problems.append(("policy", f"unknown SLA policy {values['policy']!r}"))
    if policy is not None:
        if "type" in values and policy.type != values["type"]:
            wrong = values["type"]
            problems.append(("type", f"policy {policy.id} is for {policy.type}s, not {wrong}s"))
        if "fields" in values:
            checked.capture = check_capture(policy, values["fields"])
            problems += checked.capture.problems
    checked.policy = policy

    announced = values.get("attachments", [])
    for index, item in enumerate(announced):
        for name, text in attachment_problems(
            item.filename, item.content_type, item.size, config.attachment_limits
        ):
            problems.append((f"attachments[{index}].{name}", text))
    quota = config.upload_quota
    if sum(item.size for item in announced) > quota.bytes_per_ticket:
        limit = quota.bytes_per_ticket // MB
        problems.append(("attachments", f"the files may add up to at most {limit} MB a ticket"))

    asset = values.get("asset")
    asset_fields = checked.capture.asset_tags if checked.capture else {}
    tags = {tag for tag in [asset, *asset_fields.values()] if tag}
    requester_in = values.get("requester")
    emails = {requester_in.email} if requester_in else set()
    if policy is not None:
        emails.add(policy.default_responsible)
    checked.people, checked.assets = directory.lookup(emails, tags)
    if asset and asset not in checked.assets:
        problems.append(("asset", f"unknown asset {asset!r}"))
    for name, tag in asset_fields.items():
        if tag not in checked.assets:
            problems.append((f"fields.{name}", f"unknown asset {tag!r}"))

    if requester_in is not None:
        requester = checked.people.get(requester_in.email)
        checked.requester = requester if requester is not None and requester.active else None
        if checked.requester is None and not (policy and policy.accepts_guests):
            problems.append(
                ("requester.email", f"{requester_in.email} is not in the organisation's directory")
            )
    return checked


def _responsible(
    policy: SlaPolicy, asset: Asset | None, people: dict[str, Person], directory: Directory
) -> tuple[Person, str]:
    """The asset's own responsible when they work in the policy's department, else the default."""
    if asset is not None and asset.responsible:
        found = people.get(asset.responsible) or person_of(directory, asset.responsible)
        if found and found.active and found.department == policy.responsible_department:
            return found, "asset_responsible"
    default = people.get(policy.default_responsible) or directory.lookup(
        [policy.default_responsible], []
    )[0].get(policy.default_responsible)
    assert default is not None, "the configuration loader checks default_responsible"
    return default, "policy_default"


def _party(person: Person, directory: Directory) -> Party:
    area, department = directory.area(person.area), directory.department(person.department)
    return Party(
        email=person.email,
        name=person.name,
        locale=person.locale,
        area_id=person.area,
        area_name=area.name if area else None,
        department_id=person.department,
        department_name=department.name if department else None,
    )


def _clock_start(submitted_at: datetime | None, received_at: datetime, config: Config) -> datetime:
    """The form's own timestamp when it is plausible; a stale or future one is not trusted."""
    if (
        submitted_at is not None
        and abs(received_at - submitted_at) <= config.submitted_at_tolerance
    ):
        return min(submitted_at, received_at)
    return received_at
