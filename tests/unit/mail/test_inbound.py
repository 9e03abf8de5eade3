"""Reading a received message: who, to which addresses, the text, the files, and what makes it
automatic, a bounce, or untrusted."""

from __future__ import annotations

import base64
from email.message import EmailMessage

import pytest

from shared.mail.inbound import parse

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def message(**headers) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = headers.pop("From", "Lucas Oliveira <Lucas.Oliveira@metalvale.com.br>")
    mail["To"] = headers.pop("To", "central+abc@metalvale.com.br")
    mail["Subject"] = headers.pop("Subject", "Re: [INC-000123] Respondido")
    mail["Message-ID"] = headers.pop("Message_ID", "<reply-1@mail.gmail.com>")
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    return mail


def test_a_reply_with_text_html_and_a_photo():
    mail = message(In_Reply_To="<abc@metalvale.com.br>")
    mail.set_content("Segue a foto.\n\nEm ter., 1 de dez. escreveu:\n> antes\n")
    mail.add_alternative("<p>Segue a foto.</p>", subtype="html")
    mail.add_attachment(JPEG, maintype="image", subtype="jpeg", filename="painel.jpg")
    found = parse(mail.as_bytes())
    assert found.sender == "lucas.oliveira@metalvale.com.br"
    assert found.sender_name == "Lucas Oliveira"
    assert found.recipients == ("central+abc@metalvale.com.br",)
    assert found.text == "Segue a foto."
    assert [(f.filename, f.content_type, f.data, f.inline) for f in found.files] == [
        ("painel.jpg", "image/jpeg", JPEG, False)
    ]
    assert found.message_id == "<reply-1@mail.gmail.com>"
    assert "<abc@metalvale.com.br>" in found.references
    assert found.automatic is None
    assert found.bounce is None
    assert not found.authentication_failed


def inline_reply(photo_bytes: bytes, logo_bytes: bytes) -> bytes:
    """Outlook's HTML-only reply: a photo pasted in the text and the signature's logo."""
    photo_b64 = base64.encodebytes(photo_bytes).decode()
    logo_b64 = base64.encodebytes(logo_bytes).decode()
    return (
        "From: Ana Souza <ana.souza@metalvale.com.br>\r\n"
        "To: central+abc@metalvale.com.br\r\n"
        "Subject: Re: [INC-000123] Respondido\r\n"
        "Message-ID: <inline-1@outlook.com>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; boundary="rel"\r\n\r\n'
        "--rel\r\n"
        'Content-Type: text/html; charset="utf-8"\r\n\r\n'
        '<div>Olha isso</div><img src="cid:img1"><div id="Signature">Ana<img src="cid:logo"></div>'
        "\r\n--rel\r\n"
        'Content-Type: image/jpeg; name="image001.jpg"\r\nContent-ID: <img1>\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\n{photo_b64}\r\n"
        "--rel\r\n"
        'Content-Type: image/png; name="image002.png"\r\nContent-ID: <logo>\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\n{logo_b64}\r\n"
        "--rel--\r\n"
    ).encode()


def test_an_html_only_reply_keeps_its_pasted_photo_and_drops_the_signatures_logo():
    from tests.unit.media.test_images import photo

    picture = photo("JPEG")
    assert len(picture) > 10 * 1024
    found = parse(inline_reply(picture, b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000))
    assert found.text == "Olha isso"
    assert [(f.filename, f.inline, f.data) for f in found.files] == [
        ("image001.jpg", True, picture)
    ]


def test_the_delivered_to_address_counts_as_a_recipient():
    mail = message(To="Central <central@metalvale.com.br>")
    mail["Delivered-To"] = "central+tok@metalvale.com.br"
    mail.set_content("oi")
    assert "central+tok@metalvale.com.br" in parse(mail.as_bytes()).recipients


@pytest.mark.parametrize(
    ("header", "value", "why"),
    [
        ("Auto-Submitted", "auto-replied", "auto-submitted"),
        ("Precedence", "bulk", "precedence-bulk"),
        ("Precedence", "junk", "precedence-junk"),
        ("X-Autoreply", "yes", "auto-reply"),
        ("List-Id", "<manutencao.metalvale.com.br>", "mailing-list"),
    ],
)
def test_automatic_messages_are_recognised(header, value, why):
    mail = message(**{header.replace("-", "_"): value})
    mail.set_content("Estou de férias até segunda.")
    assert parse(mail.as_bytes()).automatic == why


def test_a_message_from_the_mail_system_is_automatic():
    mail = message(From="MAILER-DAEMON@metalvale.com.br")
    mail.set_content("x")
    assert parse(mail.as_bytes()).automatic == "system"


BOUNCE = b"""From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: central@metalvale.com.br
Subject: Delivery Status Notification (Failure)
Message-ID: <bounce-1@mx.google.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain; charset="UTF-8"

Address not found: joao.ferreira@metalvale.com.br
--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com
Arrival-Date: Tue, 01 Dec 2026 10:02:11 -0800

Final-Recipient: rfc822; joao.ferreira@metalvale.com.br
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 The email account does not exist.

--b1
Content-Type: text/rfc822-headers

From: Central <central@metalvale.com.br>
To: joao.ferreira@metalvale.com.br
Message-ID: <0f1e2d@metalvale.com.br>
Subject: [INC-000123] Recebemos

--b1--
"""


def test_a_delivery_status_notification_names_the_failed_address_and_the_message():
    found = parse(BOUNCE)
    assert found.automatic == "bounce"
    assert found.bounce is not None
    assert found.bounce.failed == ("joao.ferreira@metalvale.com.br",)
    assert found.bounce.original_message_id == "<0f1e2d@metalvale.com.br>"
    assert found.bounce.status == "5.1.1"
    assert "joao" not in found.text  # the report's text is not a reply


@pytest.mark.parametrize(
    ("verdict", "failed"),
    [
        ("mx.google.com; dkim=pass header.i=@metalvale.com.br; dmarc=pass", False),
        ("mx.google.com; dkim=fail header.i=@metalvale.com.br; spf=pass; dmarc=fail", True),
        ("mx.google.com; dkim=fail header.i=@x.com", True),
        ("mx.google.com; dkim=fail; dkim=pass header.i=@metalvale.com.br", False),
        ("mx.google.com; spf=pass", False),
    ],
)
def test_a_failing_dmarc_or_dkim_verdict_is_not_trusted(verdict, failed):
    mail = message(Authentication_Results=verdict)
    mail.set_content("oi")
    assert parse(mail.as_bytes()).authentication_failed is failed


def test_a_message_without_message_id_gets_a_stable_one():
    mail = message()
    del mail["Message-ID"]
    mail.set_content("oi")
    raw = mail.as_bytes()
    assert parse(raw).message_id == parse(raw).message_id
    assert parse(raw).message_id.startswith("<")
