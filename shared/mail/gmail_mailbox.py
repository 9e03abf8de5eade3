"""The help desk's Gmail mailbox, as Google documents push notifications: `users.watch` publishes
each change to a Pub/Sub topic, `users.history.list` lists what was added since a history id,
`users.messages.get` (`format=raw`) fetches a message, and a label marks it processed.

https://developers.google.com/gmail/api/guides/push and .../guides/sync: a history id older
than Gmail keeps answers 404, after which a full (here: bounded) sync is needed.
"""

from __future__ import annotations

import base64

from googleapiclient.errors import HttpError

from shared.errors import RetryLater
from shared.mail.mailbox import HistoryGone

PROCESSED_LABEL = "Helpdesk/Processado"
# Only what reading, labelling and watching need (no sending, no deleting).
MAILBOX_SCOPES = ["https://www.googleapis.com/auth/gmail.modify"]


class GmailMailbox:
    def __init__(self, service, address: str, topic: str) -> None:
        self._gmail = service.users()
        self.address, self._topic = address, topic
        self._label_id: str | None = None

    def history(self, start: str) -> tuple[list[str], str]:
        ids: list[str] = []
        newest = start
        token = None
        while True:
            try:
                page = _call(
                    self._gmail.history().list(
                        userId="me",
                        startHistoryId=start,
                        historyTypes=["messageAdded"],
                        labelId="INBOX",
                        pageToken=token,
                        maxResults=500,
                    ),
                    gone_on_404=True,
                )
            except HistoryGone:
                raise HistoryGone(start) from None
            for record in page.get("history", []):
                for added in record.get("messagesAdded", []):
                    message = added.get("message", {})
                    if message.get("id") and message["id"] not in ids:
                        ids.append(message["id"])
            newest = page.get("historyId", newest)
            token = page.get("nextPageToken")
            if not token:
                return ids, newest

    def recent_unprocessed(self, limit: int) -> list[str]:
        query = f'in:inbox newer_than:10d -label:"{PROCESSED_LABEL}"'
        page = _call(self._gmail.messages().list(userId="me", q=query, maxResults=limit))
        return [m["id"] for m in reversed(page.get("messages", []))]  # oldest first

    def raw(self, message_id: str) -> bytes | None:
        try:
            found = _call(
                self._gmail.messages().get(userId="me", id=message_id, format="raw"),
                gone_on_404=True,
            )
        except HistoryGone:
            return None  # deleted since it arrived
        return base64.urlsafe_b64decode(found["raw"] + "=" * (-len(found["raw"]) % 4))

    def mark_processed(self, message_id: str) -> None:
        body = {"addLabelIds": [self._label()]}
        _call(self._gmail.messages().modify(userId="me", id=message_id, body=body))

    def watch(self) -> str:
        body = {"topicName": self._topic, "labelIds": ["INBOX"], "labelFilterBehavior": "include"}
        return str(_call(self._gmail.watch(userId="me", body=body))["historyId"])

    def _label(self) -> str:
        if self._label_id is None:
            labels = _call(self._gmail.labels().list(userId="me")).get("labels", [])
            found = next((lb["id"] for lb in labels if lb.get("name") == PROCESSED_LABEL), None)
            if found is None:
                body = {
                    "name": PROCESSED_LABEL,
                    "labelListVisibility": "labelShow",
                    "messageListVisibility": "show",
                }
                found = _call(self._gmail.labels().create(userId="me", body=body))["id"]
            self._label_id = found
        return self._label_id


def _call(request, gone_on_404: bool = False) -> dict:
    try:
        return request.execute(num_retries=2)
    except HttpError as error:
        status = error.resp.status
        if status == 404 and gone_on_404:
            raise HistoryGone(str(error)) from None
        if status in (429, 500, 502, 503, 504):
            raise RetryLater(f"Gmail answered {status}") from None
        raise


def build_mailbox_service(credentials):
    from googleapiclient.discovery import build

    return build("gmail", "v1", credentials=credentials, cache_discovery=False)
