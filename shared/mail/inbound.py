"""A message the help desk's mailbox received, read from its raw RFC 5322 bytes: who sent it
and to which addresses, its visible text, its files, and what marks it as automatic, as a
bounce, or as failing its sender's authentication."""

from __future__ import annotations

import email.policy
import hashlib
import re
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from shared.mail.visible import visible_text

MAX_SUBJECT = 200
# "Re:", "RES:", "Fwd:", "ENC:", "RV:", "TR:" ... as clients in pt, es and en prefix a subject
REPLY_PREFIXES = re.compile(r"^(?:\s*(?:re|res|fw|fwd|enc|rv|tr)\s*(?:\[\d+\])?\s*:)+", re.I)
# An inline image this small is a signature's logo or an icon, not a photo of the shop floor.
SIGNATURE_IMAGE_BYTES = 10 * 1024


@dataclass(frozen=True)
class InboundFile:
    filename: str
    content_type: str  # as the sender's client declared it (checked again from the bytes)
    data: bytes
    inline: bool  # an image shown in the HTML body (cid:)


@dataclass(frozen=True)
class Bounce:
    """A delivery status notification: the addresses that failed and the message they
    concerned (its Message-ID, the help desk's own)."""

    failed: tuple[str, ...]
    original_message_id: str | None
    status: str  # 5.1.1 ...


@dataclass(frozen=True)
class InboundMail:
    message_id: str  # the sender's Message-ID (a digest of the bytes when it has none)
    sender: str  # the From address, lower case ("" when it has none)
    sender_name: str
    recipients: tuple[str, ...]  # To, Cc, Delivered-To, X-Original-To, lower case
    subject: str
    text: str  # what the person wrote, without quotes and signature
    files: tuple[InboundFile, ...] = ()
    automatic: str | None = None  # why it is an automatic message (never answered)
    bounce: Bounce | None = None
    authentication_failed: bool = False  # DMARC or DKIM say the From is not the sender's
    references: tuple[str, ...] = field(default_factory=tuple)


def parse(raw: bytes) -> InboundMail:
    message = BytesParser(policy=email.policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    name, sender = parseaddr(str(message.get("From", "")))
    sender = sender.strip().lower() if "@" in sender else ""
    message_id = str(message.get("Message-ID", "")).strip()
    if not message_id:
        message_id = "<" + hashlib.sha256(raw).hexdigest()[:40] + "@no-message-id>"
    recipients: list[str] = []
    for header in ("To", "Cc", "Delivered-To", "X-Original-To"):
        values = [str(v) for v in message.get_all(header, [])]
        recipients += [address.lower() for _, address in getaddresses(values) if "@" in address]
    bounce = _bounce(message)
    text, html, files = _body(message, skip_reports=bounce is not None)
    references = tuple(
        re.findall(
            r"<[^<>\s]+>", f"{message.get('In-Reply-To', '')} {message.get('References', '')}"
        )
    )
    return InboundMail(
        message_id=message_id,
        sender=sender,
        sender_name=name.strip()[:120],
        recipients=tuple(dict.fromkeys(recipients)),
        subject=" ".join(str(message.get("Subject", "")).split())[:MAX_SUBJECT],
        text=visible_text(text, html) if bounce is None else "",
        files=tuple(files),
        automatic=automatic(message) if bounce is None else "bounce",
        bounce=bounce,
        authentication_failed=authentication_failed(message),
        references=references,
    )


def automatic(message: Message) -> str | None:
    """Why a message is one no person wrote (RFC 3834, mailing lists, out-of-office), or None."""
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    if auto and auto != "no":
        return "auto-submitted"
    precedence = str(message.get("Precedence", "")).strip().lower()
    if precedence in ("bulk", "list", "junk", "auto_reply"):
        return f"precedence-{precedence}"
    for header in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress"):
        value = str(message.get(header, "")).strip().lower()
        if value and (header != "X-Auto-Response-Suppress" or value == "all"):
            return "auto-reply"
    if message.get("List-Id") or message.get("List-Unsubscribe"):
        return "mailing-list"
    sender = parseaddr(str(message.get("From", "")))[1].lower()
    if sender.startswith(("mailer-daemon@", "postmaster@")) or not sender:
        return "system"
    return None


def authentication_failed(message: Message) -> bool:
    """The receiving server's verdict (Authentication-Results, RFC 8601): a DMARC fail, or
    DKIM failing with no DKIM pass. Without a verdict nothing is concluded."""
    verdicts = " ".join(str(v) for v in message.get_all("Authentication-Results", [])).lower()
    if re.search(r"\bdmarc\s*=\s*fail\b", verdicts):
        return True
    dkim = re.findall(r"\bdkim\s*=\s*(\w+)", verdicts)
    return bool(dkim) and "pass" not in dkim and "fail" in dkim


def _bounce(message: EmailMessage) -> Bounce | None:
    if message.get_content_type() != "multipart/report":
        return None
    if message.get_param("report-type", "").lower() != "delivery-status":
        return None
    failed: list[str] = []
    status = ""
    original = None
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            for block in _status_blocks(part):
                action = block.get("action", "").lower()
                recipient = block.get("final-recipient") or block.get("original-recipient") or ""
                address = recipient.partition(";")[2].strip().lower() or recipient.lower()
                if action == "failed" and "@" in address:
                    failed.append(address.strip("<>"))
                    status = status or block.get("status", "")
        elif kind in ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers"):
            original = original or _original_message_id(part)
    return Bounce(tuple(failed), original, status)


def _status_blocks(part: Message) -> list[dict[str, str]]:
    """The per-recipient fields of a message/delivery-status part (RFC 3464)."""
    payload = part.get_payload()
    if isinstance(payload, list):  # the parser read the blocks as header sets
        return [{k.lower(): str(v) for k, v in block.items()} for block in payload]
    text = payload if isinstance(payload, str) else ""
    blocks = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        fields = {}
        for line in chunk.split("\n"):
            key, sep, value = line.partition(":")
            if sep:
                fields[key.strip().lower()] = value.strip()
        blocks.append(fields)
    return blocks


def _original_message_id(part: Message) -> str | None:
    payload = part.get_payload()
    if isinstance(payload, list) and payload:
        found = payload[0].get("Message-ID")
        return str(found).strip() if found else None
    text = part.get_payload(decode=True) or b""
    match = re.search(rb"^Message-ID:\s*(<[^>\s]+>)", text, re.IGNORECASE | re.MULTILINE)
    return match.group(1).decode() if match else None


def _body(
    message: EmailMessage, skip_reports: bool
) -> tuple[str | None, str | None, list[InboundFile]]:
    text = html = None
    files: list[InboundFile] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        if kind.startswith("message/") or (skip_reports and kind == "text/rfc822-headers"):
            continue
        if disposition != "attachment" and not filename and kind in ("text/plain", "text/html"):
            body = _decoded_text(part)
            if kind == "text/plain" and text is None:
                text = body
            elif kind == "text/html" and html is None:
                html = body
            continue
        data = part.get_payload(decode=True)
        if not data:
            continue
        inline = disposition == "inline" or (disposition is None and bool(part.get("Content-ID")))
        if inline and kind.startswith("image/") and len(data) < SIGNATURE_IMAGE_BYTES:
            continue
        files.append(InboundFile(filename or _unnamed(kind, len(files)), kind, data, inline))
    return text, html, files


def _decoded_text(part: EmailMessage) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeDecodeError):
        data = part.get_payload(decode=True) or b""
        return data.decode("utf-8", errors="replace")


def _unnamed(kind: str, index: int) -> str:
    extension = {"image/jpeg": "jpg", "image/png": "png", "video/mp4": "mp4"}.get(kind, "bin")
    return f"anexo-{index + 1}.{extension}"
