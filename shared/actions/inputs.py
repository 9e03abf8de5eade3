"""An action's input, read and checked: what the person typed (a page's form, a reply's text, a
console's request) becomes the action's decision, or a refusal that names the field and what
is wrong with it (never a text cut silently)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation

from pydantic import ValidationError

from shared.actions import costs as cost_actions
from shared.actions import sla as sla_actions
from shared.actions import work
from shared.actions.cancel import cancel, ticket_number
from shared.actions.details import answers_in, complete_details
from shared.actions.ports import Context
from shared.actions.status import provide_status, request_status
from shared.actions.transfer import receiver, transfer
from shared.actions.watchers import add_watcher, colleague, remove_watcher
from shared.domain.change import Decide
from shared.domain.costs import CostLine
from shared.domain.text import one_line, paragraphs
from shared.domain.ticket import Evidence, Ticket
from shared.errors import InvalidInput, UnknownAction
from shared.repositories.directory import asset_of

Fields = Mapping[str, str]

# The longest text each field takes (the page's `maxlength` says the same).
LIMITS = {"text": 5000, "reason": 2000, "note": 2000, "comment": 2000, "description": 500}
LIMITS |= {"manual_reason": 500}


def text(form, name: str, required: bool = True) -> str:
    raw = form.get(name, "")
    limit = LIMITS[name]
    if len(raw) > limit:
        raise InvalidInput("too_long", field=name, length=len(raw), limit=limit)
    value = one_line(raw) if name in ("description", "manual_reason") else paragraphs(raw)
    if required and not value:
        raise InvalidInput("required", field=name)
    return value


def amount(form, name: str, locale: str = "pt-BR") -> Decimal:
    """An amount as people write it: "1.340,90", "1340,90", "R$ 1340.90"; "1.250" is one
    thousand two hundred and fifty to a Brazilian ("1,250" to an English reader). No sign,
    no exponent."""
    typed = form.get(name, "").strip()
    text_value = re.sub(r"^[A-Z]{0,3}\$|\s", "", typed)
    if text_value.startswith("-"):
        raise InvalidInput("negative_amount", field=name, value=typed[:40])
    if not re.fullmatch(r"[0-9][0-9.,]*", text_value):
        raise InvalidInput("bad_amount", field=name, value=typed[:40])
    plain = _plain_number(text_value, grouping="," if locale == "en" else ".")
    if plain is None:
        raise InvalidInput("bad_amount", field=name, value=typed[:40])
    try:
        value = Decimal(plain)
    except InvalidOperation:
        raise InvalidInput("bad_amount", field=name, value=typed[:40]) from None
    if not value.is_finite() or value < 0 or value >= Decimal("1e12"):
        raise InvalidInput("bad_amount", field=name, value=typed[:40])
    return value


def _plain_number(text_value: str, grouping: str) -> str | None:
    """Digits with at most one decimal point: the last of two different marks is the decimal
    one; a mark that repeats, or `grouping` before exactly three digits, groups thousands.
    Thousands are grouped by three ("12,34,5" is a typo, not twelve thousand): None."""
    if "," in text_value and "." in text_value:
        decimal_mark = "," if text_value.rfind(",") > text_value.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        whole, _, cents = text_value.rpartition(decimal_mark)
        if decimal_mark in whole or not _grouped(whole, group_mark):
            return None
        return whole.replace(group_mark, "") + "." + cents
    for mark in (",", "."):
        if text_value.count(mark) > 1:
            return text_value.replace(mark, "") if _grouped(text_value, mark) else None
        if mark == grouping and text_value.count(mark) == 1 and len(text_value.split(mark)[1]) == 3:
            return text_value.replace(mark, "")
    return text_value.replace(",", ".")


def _grouped(whole: str, mark: str) -> bool:
    """Digits, with `mark` (if any) between groups of three after the first one to three."""
    pattern = rf"\d{{1,3}}(?:{re.escape(mark)}\d{{3}})+"
    return mark not in whole or re.fullmatch(pattern, whole) is not None


def score(form) -> int:
    try:
        value = int(form.get("score", ""))
    except ValueError:
        raise InvalidInput("bad_score", field="score") from None
    if not 1 <= value <= 5:
        raise InvalidInput("bad_score", field="score")
    return value


def local_time(form, name: str, calendar) -> datetime | None:
    typed = form.get(name, "").strip()
    if not typed:
        return None
    try:
        value = datetime.fromisoformat(typed)
    except ValueError:
        raise InvalidInput("bad_time", field=name) from None
    if value.tzinfo is not None:
        return value
    return value.replace(tzinfo=calendar.zone)


MAX_FILES = 20


def upload_ids(form: Fields) -> list[str]:
    return [item for item in form.get("uploads", "").split(",") if item]


def uploads(form: Fields, ticket: Ticket, ctx: Context) -> list[Evidence]:
    """The evidence of the files the input names, each checked and accepted for this ticket
    (a refusal when any was not)."""
    ids = upload_ids(form)
    if not ids:
        return []
    accepted = ctx.uploads.accepted(ticket.id, ids[:MAX_FILES]) if len(ids) <= MAX_FILES else []
    if len(accepted) != len(ids):
        raise InvalidInput("files_not_ready", field="uploads")
    return [evidence for _, evidence in accepted]


def decision(
    action: str, ticket: Ticket, who: str, form: Fields, now: datetime, ctx: Context, locale: str
) -> Decide:
    """The action's decision for what the input says (raises InvalidInput for bad input)."""
    config, calendar = ctx.config, ctx.directory.calendar(ticket.calendar_id)
    match action:
        case "status-request":
            note = text(form, "note", required=False)
            return request_status(who, note, now, calendar, config.status_request_rules)
        case "status":
            return provide_status(who, text(form, "text"), now)
        case "information":
            files = uploads(form, ticket, ctx)
            limit = config.information_per_hour
            return work.add_information(who, text(form, "text"), files, now, ctx.directory, limit)
        case "confirm":
            return work.confirm(who, now)
        case "reopen":
            return work.reopen(who, text(form, "reason"), now)
        case "rate":
            return work.rate(who, score(form), text(form, "comment", required=False), now)
        case "acknowledge":
            return sla_actions.acknowledge(who, now)
        case "respond":
            return work.respond(who, text(form, "text"), uploads(form, ticket, ctx), now)
        case "wait":
            return sla_actions.wait_on_requester(who, text(form, "text"), now)
        case "resume":
            return sla_actions.resume(who, now, ctx.directory)
        case "resolve":
            return work.resolve(who, text(form, "text"), uploads(form, ticket, ctx), now)
        case "policy":
            return _policy(ticket, who, form, ctx)
        case "transfer":
            person, department = receiver(
                ticket,
                form.get("to", "").strip(),
                form.get("department", "").strip(),
                ctx.directory,
            )
            return transfer(who, person, department, text(form, "reason"), ctx.directory, now)
        case "cancel":
            reason = text(form, "reason")
            return cancel(who, reason, _original(form, ticket, ctx), now)
        case "watch":
            person = colleague(form.get("email", "")[:200], ctx.directory)
            return add_watcher(who, person, ctx.directory, now)
        case "unwatch":
            return remove_watcher(who, now)
        case "details":
            return complete_details(who, answers_in(form), now, ctx.directory, locale)
        case "comment":
            return work.comment(who, text(form, "text"), uploads(form, ticket, ctx), now)
        case "cost" | "correct-cost":
            return _cost(action, ticket, who, form, now, ctx, locale)
        case "loss":
            return _loss(ticket, who, form, now, calendar, ctx, locale)
    raise UnknownAction("unknown_action")


def _original(form, ticket: Ticket, ctx: Context) -> Ticket | None:
    """The ticket a duplicate names (by its number), or None when it names none."""
    typed = form.get("original", "").strip()
    if not typed:
        return None
    number = ticket_number(typed[:40], ticket.type)
    original = ctx.numbers.by_number(number) if number and ctx.numbers else None
    if original is None:
        raise InvalidInput("unknown_ticket", field="original", value=typed[:40])
    if original.status.value == "cancelled":
        raise InvalidInput("original_cancelled", field="original", value=original.number)
    return original


def currencies(ticket: Ticket, ctx: Context) -> set[str]:
    """The currencies a ticket's amounts may be in: the organisation's and its asset's."""
    found = {ctx.directory.settings().currency}
    if ticket.asset is not None:
        asset = asset_of(ctx.directory, ticket.asset.tag)
        if asset is not None:
            found.add(asset.currency)
    return found


def _currency(form, name: str, ticket: Ticket, ctx: Context) -> str:
    code = form.get(name, "").strip() or ctx.directory.settings().currency
    if code not in currencies(ticket, ctx):
        raise InvalidInput("bad_currency", field=name, value=code[:10])
    return code


def _cost(action: str, ticket: Ticket, who: str, form, now: datetime, ctx: Context, locale: str):
    window = ctx.config.cost_edit_after_closing
    if action == "correct-cost":
        fields: dict[str, object] = {"amount": amount(form, "amount", locale)}
        if form.get("description", "").strip():
            fields["description"] = text(form, "description")
        return cost_actions.correct_cost(who, form.get("line", ""), fields, now, window)
    fields = {
        "category": form.get("category", ""),
        "currency": _currency(form, "currency", ticket, ctx),
        "description": text(form, "description"),
    }
    if form.get("hours", "").strip() or form.get("rate", "").strip():
        if fields["category"] != "labour":
            raise InvalidInput("hours_labour_only", field="hours")
        if form.get("amount", "").strip():
            raise InvalidInput("amount_or_hours", field="amount")
        fields |= {"hours": amount(form, "hours", locale), "rate": amount(form, "rate", locale)}
    else:
        fields["amount"] = amount(form, "amount", locale)
    try:
        CostLine.model_validate({**fields, "id": "check", "by": who, "at": now})
    except ValidationError as error:
        field = str(error.errors()[0]["loc"][0]) if error.errors()[0]["loc"] else "amount"
        raise InvalidInput("bad_cost", field=field) from None
    return cost_actions.add_cost(who, fields, now, window)


def _loss(ticket: Ticket, who: str, form, now: datetime, calendar, ctx: Context, locale: str):
    restored_at = local_time(form, "restored_at", calendar)
    asset = asset_of(ctx.directory, ticket.asset.tag) if ticket.asset else None
    manual = (
        amount(form, "manual_amount", locale) if form.get("manual_amount", "").strip() else None
    )
    reason = text(form, "manual_reason", required=False) or None
    currency = _currency(form, "manual_currency", ticket, ctx)
    if restored_at is None and manual is None and not ticket.loss:
        raise InvalidInput("loss_empty", field="restored_at")
    return cost_actions.record_loss(
        who,
        asset,
        now,
        restored_at=restored_at,
        manual_amount=manual,
        manual_currency=currency,
        manual_reason=reason,
        counts="manual" if form.get("counts") == "manual" else "downtime",
        after_closing=ctx.config.cost_edit_after_closing,
    )


def _policy(ticket: Ticket, who: str, form, ctx: Context) -> Decide:
    """Another policy (its priority, its times) for the ticket, with a reason: one of the
    organisation's active policies of the ticket's type."""
    chosen = form.get("policy", "").strip()
    reason = text(form, "reason")
    policy = ctx.directory.policy(chosen) if chosen else None
    if policy is None:
        raise InvalidInput("unknown_policy", field="policy", value=chosen[:60])
    if policy.type != ticket.type:
        raise InvalidInput("policy_other_type", field="policy")
    return sla_actions.change_policy(policy, who, reason, ctx.directory)
