"""Reply to a message of the local inbox as its recipient, with files attached, the way Gmail,
Outlook or Apple Mail would write the reply (the quoted history under the new text), and send
it to the local mailbox: try the mailbox channel by hand.

    python -m tools.reply                      # the newest message in the inbox (MailDev)
    python -m tools.reply --to lucas.oliveira@metalvale.com.br --text "Voltou a parar" \\
        --attach foto.jpg --client outlook

Also used by the tests and the benchmark to write real reply shapes.
"""

from __future__ import annotations

import argparse
import html
import mimetypes
import os
import smtplib
import uuid
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path

import requests

CLIENTS = ("gmail", "outlook", "apple")


def build_reply(
    original: EmailMessage,
    text: str,
    files: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
    client: str = "gmail",
    sender: str | None = None,
    sender_name: str = "",
) -> EmailMessage:
    """The reply a person writes in `client` to `original`, from its recipient (or `sender`)."""
    to_name, to_address = parseaddr(str(original["To"]))
    sender = sender or to_address
    reply_to = str(original.get("Reply-To") or original["From"])
    when = str(original.get("Date", ""))
    author = str(original["From"])
    quoted_text = original.get_body(("plain",)).get_content()
    quoted_html = original.get_body(("html",)).get_content()
    reply = EmailMessage()
    own_name = to_name if sender == to_address else ""  # someone else's name is not theirs
    reply["From"] = formataddr((sender_name or own_name, sender))
    reply["To"] = reply_to
    reply["Subject"] = "Re: " + str(original["Subject"])
    reply["Message-ID"] = f"<{uuid.uuid4().hex}@{sender.rpartition('@')[2]}>"
    reply["In-Reply-To"] = str(original["Message-ID"])
    reply["References"] = f"{original.get('References', '')} {original['Message-ID']}".strip()
    reply["Date"] = format_datetime(datetime.now().astimezone())
    escaped = html.escape(text).replace("\n", "<br>")
    if client == "gmail":
        attribution = f"Em {when}, {author} escreveu:"
        quoted = "\n".join("> " + line for line in quoted_text.splitlines())
        reply.set_content(f"{text}\n\n{attribution}\n\n{quoted}\n")
        reply.add_alternative(
            f'<div dir="ltr">{escaped}</div><br><div class="gmail_quote gmail_quote_container">'
            f'<div dir="ltr" class="gmail_attr">{html.escape(attribution)}<br></div>'
            f'<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;'
            f'border-left:1px solid rgb(204,204,204);padding-left:1ex">{quoted_html}'
            "</blockquote></div>",
            subtype="html",
        )
    elif client == "outlook":  # Outlook on the web: HTML only, the original unquoted below
        reply.set_content(
            '<html><head><style type="text/css" style="display:none;"> P {margin-top:0;} '
            '</style></head><body dir="ltr"><div class="elementToProof" '
            f'style="font-family: Aptos; font-size: 12pt;">{escaped}</div>'
            '<div id="appendonsend"></div><hr style="display:inline-block;width:98%">'
            '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif">'
            f"<b>De:</b> {html.escape(author)}<br><b>Enviado:</b> {html.escape(when)}<br>"
            f"<b>Para:</b> {html.escape(str(original['To']))}<br>"
            f"<b>Assunto:</b> {html.escape(str(original['Subject']))}</font><div>&nbsp;</div>"
            f"</div>{quoted_html}</body></html>",
            subtype="html",
        )
    elif client == "apple":  # iPhone Mail: plain text, its signature, then the quote
        attribution = f"Em {when}, {author} escreveu:"
        quoted = "\n".join("> " + line for line in [attribution, "", *quoted_text.splitlines()])
        reply.set_content(f"{text}\n\nEnviado do meu iPhone\n\n{quoted}\n")
    else:
        raise ValueError(f"client must be one of {CLIENTS}")
    for filename, data in files:
        kind = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        maintype, subtype = kind.split("/", 1)
        reply.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return reply


def send(reply: EmailMessage, host: str, port: int) -> None:
    with smtplib.SMTP(host, port, timeout=30) as smtp:
        smtp.send_message(reply)


def _newest_in_inbox(inbox_url: str, to: str | None) -> EmailMessage:
    """The newest message of MailDev's inbox (to `to`, if given), as it was received."""
    import email
    import email.policy

    listed = requests.get(f"{inbox_url}/email", timeout=10).json()
    found = [m for m in listed if not to or any(t["address"] == to for t in m.get("to", []))]
    if not found:
        raise SystemExit("no such message in the local inbox")
    newest = max(found, key=lambda m: m.get("time", ""))
    raw = requests.get(f"{inbox_url}/email/{newest['id']}/source", timeout=10).content
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--to", help="reply to the newest message sent to this person")
    parser.add_argument("--text", default="Segue a foto do painel.")
    parser.add_argument("--attach", action="append", default=[], help="a file to attach")
    parser.add_argument("--client", choices=CLIENTS, default="gmail")
    parser.add_argument("--sender", help="send as someone else (a colleague, a forger)")
    args = parser.parse_args()
    inbox = os.environ.get("HELPDESK_MAIL_INBOX_URL", "http://127.0.0.1:1080")
    original = _newest_in_inbox(inbox, args.to)
    files = [(Path(p).name, Path(p).read_bytes()) for p in args.attach]
    reply = build_reply(original, args.text, files, args.client, args.sender)
    port = int(os.environ.get("HELPDESK_INBOUND_SMTP_PORT", "2525"))
    send(reply, "127.0.0.1", port)
    print(f"replied to {original['Subject']!r} as {reply['From']} ({args.client})")


if __name__ == "__main__":
    main()
