"""Read what arrived in the mailbox since the last notification, and apply each message once.

Gmail's push notification only says that the mailbox changed (its new history id). The
messages are found by listing the history from the last history id stored here; each is
claimed by its mailbox id before it is applied, so concurrent or repeated notifications (Pub/Sub
delivers at least once, and two notifications list overlapping ranges) apply it once. The
stored history id moves forward only after every message up to it was applied: a crash or an
error leaves it where it was, and the redelivered notification lists the same range again,
whose applied messages are skipped by their claims.

A history id older than Gmail keeps (a week without notifications) cannot be listed: the
recent messages of the inbox that do not carry the processed label are applied instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from shared.log import get_logger
from shared.mailbox.ports import HistoryCursor, HistoryGone, Mailbox, MessageClaims

log = get_logger("mailbox")

RECENT = 200  # messages searched when the history cannot be listed


@dataclass
class SyncReport:
    applied: dict[str, str] = field(default_factory=dict)  # mailbox id -> outcome
    skipped: int = 0  # applied before (a redelivery, an overlapping range)
    fell_back: bool = False


def sync(
    mailbox: Mailbox,
    claims: MessageClaims,
    cursor: HistoryCursor,
    apply: Callable[[bytes], str],
    announced: str | None = None,
) -> SyncReport:
    """Apply the messages added since the stored history id; `apply` takes a message's bytes
    and returns what it did (raising only when a retry can help)."""
    report = SyncReport()
    start = cursor.read()
    if start is None:
        # Never listed yet: the watch has just been set up. Nothing before it is read,
        # except what the inbox holds unprocessed.
        ids, newest = mailbox.recent_unprocessed(RECENT), announced or mailbox.watch()
        report.fell_back = True
    else:
        try:
            ids, newest = mailbox.history(start)
        except HistoryGone:
            log.warning("history too old to list: searching recent messages")
            ids, newest = mailbox.recent_unprocessed(RECENT), announced or mailbox.watch()
            report.fell_back = True
    for message_id in ids:
        if not claims.claim(message_id):
            report.skipped += 1
            continue
        try:
            raw = mailbox.raw(message_id)
            outcome = apply(raw) if raw is not None else "deleted"
        except BaseException:
            claims.release(message_id)
            raise
        claims.done(message_id, outcome)
        mailbox.mark_processed(message_id)
        report.applied[message_id] = outcome
    if newest:
        cursor.advance(newest)
    return report
