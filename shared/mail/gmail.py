"""Gmail API transport: the help desk's Google Workspace mailbox sends the messages.

Credentials are a service account with domain-wide delegation (impersonating the help desk
mailbox) or an OAuth refresh token; either way the caller builds the `users` resource.
"""

from __future__ import annotations

import base64
from typing import Any

from googleapiclient.errors import HttpError

from shared.mail.message import OutgoingMail
from shared.mail.transport import PermanentMailError, TransientMailError

GMAIL_SCOPES = [
    "https://www.googleapis.com/auth/gmail.send",
    "https://www.googleapis.com/auth/gmail.readonly",
]


class GmailMailer:
    name = "gmail"

    def __init__(self, service: Any, user_id: str = "me") -> None:
        self._messages = service.users().messages()
        self._user = user_id

    def send(self, mail: OutgoingMail) -> str:
        raw = base64.urlsafe_b64encode(mail.to_mime().as_bytes()).decode("ascii")
        try:
            # No retry here: an error may come after Gmail took the message, and sending it
            # again would double it. The delivery is retried later, after a mailbox search.
            sent = self._messages.send(userId=self._user, body={"raw": raw}).execute(num_retries=0)
        except HttpError as error:
            raise _classify(error) from error
        except OSError as error:
            raise TransientMailError(f"Gmail unreachable: {error}") from error
        return sent["id"]

    def already_sent(self, mail: OutgoingMail) -> bool:
        """Look in the mailbox for the Message-ID (closes the crash-after-send window)."""
        query = f"rfc822msgid:{mail.message_id.strip('<>')}"
        try:
            found = self._messages.list(
                userId=self._user, q=query, includeSpamTrash=False, maxResults=1
            ).execute(num_retries=2)
        except HttpError as error:
            raise _classify(error) from error
        except OSError as error:
            raise TransientMailError(f"Gmail unreachable: {error}") from error
        return bool(found.get("messages"))


def _classify(error: HttpError) -> Exception:
    status = int(error.resp.status)
    if status == 429 or status >= 500:
        return TransientMailError(f"Gmail API {status}")
    return PermanentMailError(f"Gmail API {status}: {error.reason}")


def build_gmail_service(credentials: Any) -> Any:
    from googleapiclient.discovery import build

    return build("gmail", "v1", credentials=credentials, cache_discovery=False)
