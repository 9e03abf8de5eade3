"""The reply address of every outgoing message: the help desk's own mailbox, plus a token that
names one ticket, one role and one person, and that nobody can make without the secret.

`central+<ticket><role><mac>@domain`: the ticket's id (24 hex digits), one letter for the role,
and 20 base32 letters (100 bits) of an HMAC over the ticket, the role and the person's address.
The token carries no address: a reply is checked by computing the MAC for its sender; when that
fails, for the people the ticket names in that role, to tell a colleague who answers someone
else's message (who gets a polite answer) from a token nobody was given (which is ignored).
Everything is lower case and digits: mail systems that fold an address's case keep it whole.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

ROLE_LETTERS = {"requester": "q", "responsible": "r", "manager": "m", "watcher": "w"}
ROLES_BY_LETTER = {letter: role for role, letter in ROLE_LETTERS.items()}
_MAC_LETTERS = 20
_TOKEN = re.compile(r"([0-9a-f]{24})([qrmw])([a-z2-7]{20})")


@dataclass(frozen=True)
class ReplyToken:
    ticket_id: str
    role: str
    mac: str


class ReplyAddresses:
    def __init__(self, secret: str, mailbox: str) -> None:
        if len(secret) < 32:
            raise ValueError("the reply secret must be at least 32 characters")
        local, _, domain = mailbox.lower().partition("@")
        if not local or not domain or "+" in local:
            raise ValueError(f"the help desk mailbox must be a plain address, not {mailbox!r}")
        self._key = hashlib.sha256(b"helpdesk-reply-address-v1\x00" + secret.encode()).digest()
        self._local, self._domain = local, domain
        self._pattern = re.compile(
            rf"{re.escape(local)}\+{_TOKEN.pattern}@{re.escape(domain)}", re.IGNORECASE
        )

    @property
    def mailbox(self) -> str:
        return f"{self._local}@{self._domain}"

    def address(self, ticket_id: str, role: str, email: str) -> str:
        token = f"{ticket_id}{ROLE_LETTERS[role]}{self._mac(ticket_id, role, email)}"
        return f"{self._local}+{token}@{self._domain}"

    def token_in(self, addresses: list[str]) -> ReplyToken | None:
        """The first reply token among a message's recipients (To, Cc, Delivered-To)."""
        for address in addresses:
            found = self._pattern.fullmatch(address.strip().lower())
            if found:
                ticket_id, letter, mac = found.groups()
                return ReplyToken(ticket_id, ROLES_BY_LETTER[letter], mac)
        return None

    def is_mailbox(self, address: str) -> bool:
        """The help desk's own mailbox, with or without a token."""
        local, _, domain = address.strip().lower().partition("@")
        return domain == self._domain and local.partition("+")[0] == self._local

    def belongs(self, token: ReplyToken, email: str) -> bool:
        """Whether the token was made for this person."""
        expected = self._mac(token.ticket_id, token.role, email)
        return hmac.compare_digest(expected, token.mac)

    def _mac(self, ticket_id: str, role: str, email: str) -> str:
        message = f"{ticket_id}\x00{role}\x00{email.strip().lower()}".encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.b32encode(digest).decode().lower()[:_MAC_LETTERS]
