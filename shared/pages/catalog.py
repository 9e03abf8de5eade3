"""Words of the pages that depend on what is shown: a field's label in a refusal, an event's
label in the timeline. The texts themselves are in the one catalogue (shared/texts)."""

from __future__ import annotations

from shared import texts

# Each form field, by the words its form shows (for refusals that name a field).
FIELDS: dict[str, str] = {
    "note": "ask_status_note",
    "comment": "comment",
    "reason": "reopen_reason",
    "description": "description",
    "amount": "amount",
    "hours": "hours",
    "rate": "rate_per_hour",
    "manual_amount": "manual_amount",
    "manual_reason": "manual_reason_label",
    "restored_at": "restored_at",
    "score": "score",
    "uploads": "files",
    "category": "category",
    "currency": "amount",
}
# The text field of each action is named by its form's title.
ACTION_TEXTS: dict[str, str] = {
    "information": "information",
    "status": "give_status",
    "respond": "respond",
    "wait": "wait",
    "resolve": "resolve",
    "comment": "comment_title",
}


# The keys above, for `pybabel extract`.
texts.N_("ui", "policy_reason_label", "policy_policy_label")
texts.N_("ui", "transfer_reason_label", "transfer_to_label", "transfer_department_label")
texts.N_("ui", "cancel_reason_label", "cancel_original_label", "watch_email_label")
texts.N_(
    "ui",
    "ask_status_note",
    "comment",
    "reopen_reason",
    "description",
    "amount",
    "hours",
    "rate_per_hour",
    "manual_amount",
    "manual_reason_label",
    "restored_at",
    "score",
    "files",
    "category",
    "information",
    "give_status",
    "respond",
    "wait",
    "resolve",
)
# The timeline's label of the events that are not mailed (the others: shared/notify/compose.py).
texts.N_("event", "cost_added", "cost_corrected", "loss_recorded", "delivery_failed")
texts.N_("event", "watcher_removed")


def field_label(field: str, action: str | None, locale: str) -> str:
    """The words the page shows for a field (the text field: its form's title)."""
    if action in ("policy", "transfer") and field in ("reason", "policy", "to", "department"):
        return texts.ui(f"{action}_{field}_label", locale)
    if (action, field) in (("cancel", "reason"), ("cancel", "original"), ("watch", "email")):
        return texts.ui(f"{action}_{field}_label", locale)
    if field == "text" and action in ACTION_TEXTS:
        return texts.ui(ACTION_TEXTS[action], locale)
    if field == "amount" and action == "correct-cost":
        return texts.ui("correct", locale)
    return texts.ui(FIELDS[field], locale) if field in FIELDS else field


def event_label(event_type: str, locale: str) -> str:
    return texts.text("event", event_type, locale)
