"""The details a ticket opened by e-mail lacked: its policy's required fields, which the
requester completes from the ticket's page. Checked as intake checks them (the policy's capture
format, the asset registry); the clock is not touched: it started when the message arrived."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared import texts
from shared.domain.capture import check_capture
from shared.domain.change import Change, Decide
from shared.domain.organisation import FieldType
from shared.domain.ticket import OPEN_STATUSES, AssetRef, EventType, Ticket
from shared.errors import InvalidInput, NotAllowedNow
from shared.repositories.directory import Directory, asset_of

PREFIX = "field."  # a form's input for a capture field: field.<name>
texts.N_("ui", "field_invalid", "asset_tag_hint")  # named below


def answers_in(form) -> dict[str, str]:
    return {key[len(PREFIX) :]: str(value) for key, value in form.items() if key.startswith(PREFIX)}


def complete_details(
    requester: str, answers: dict[str, Any], now: datetime, directory: Directory, locale: str
) -> Decide:
    def decide(ticket: Ticket) -> Change | None:
        if not ticket.pending_fields:
            return None  # completed already (a form sent twice)
        if ticket.status not in OPEN_STATUSES:
            raise NotAllowedNow("the ticket is not open")
        policy = directory.policy(ticket.policy_id, include_withdrawn=True)
        if policy is None:
            raise NotAllowedNow("the ticket's policy is gone")
        given = {name: answers.get(name, "") for name in ticket.pending_fields}
        result = check_capture(policy, {**ticket.fields, **given})
        labels = {c.name: c.label.get(locale) for c in policy.capture_format}
        for path, _ in result.problems:
            name = path.removeprefix("fields.")
            if name in given:
                reason = "required" if not str(given[name]).strip() else "field_invalid"
                raise InvalidInput(reason, field=labels.get(name, name))
        updates: dict[str, Any] = {"fields": result.values, "pending_fields": []}
        for name, tag in result.asset_tags.items():
            if name not in given:
                continue
            asset = asset_of(directory, tag)
            if asset is None:
                raise InvalidInput("unknown_asset", field=labels.get(name, name), tag=tag)
            if ticket.asset is None:
                updates["asset"] = AssetRef(
                    tag=asset.tag, name=asset.name, kind=asset.kind
                ).model_dump()
        completed = {name: result.values.get(name) for name in given}
        return Change(updates, [(EventType.DETAILS_COMPLETED, requester, {"fields": completed})])

    return decide


def pending_inputs(ticket: Ticket, directory: Directory, locale: str) -> list[dict[str, Any]]:
    """The page's inputs for the fields still missing: name, label, kind and choices."""
    policy = directory.policy(ticket.policy_id, include_withdrawn=True)
    if policy is None:
        return []
    found = []
    for capture in policy.capture_format:
        if capture.name not in ticket.pending_fields:
            continue
        found.append(
            {
                "name": PREFIX + capture.name,
                "label": capture.label.get(locale),
                "hint": "asset_tag_hint" if capture.type == FieldType.ASSET else "",
                "kind": {
                    FieldType.NUMBER: "number",
                    FieldType.DATE: "date",
                    FieldType.EMAIL: "email",
                    FieldType.CHOICE: "choice",
                    FieldType.TEXT: "text",
                }.get(capture.type, "line"),
                "choices": [(c.value, c.label.get(locale)) for c in capture.choices],
                "max_length": capture.max_length,
            }
        )
    return found
