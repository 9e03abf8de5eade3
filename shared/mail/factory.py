"""Build the configured mail transport."""

from __future__ import annotations

import json

from shared.config import MailSettings
from shared.mail.transport import Mailer


def build_mailer(settings: MailSettings) -> Mailer:
    if settings.transport == "smtp":
        from shared.mail.smtp import SmtpMailer

        return SmtpMailer(
            settings.smtp_host,
            settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
        )
    if settings.transport == "gmail":
        from shared.mail.gmail import GMAIL_SCOPES, GmailMailer, build_gmail_service

        return GmailMailer(build_gmail_service(gmail_credentials(settings, GMAIL_SCOPES)))
    raise ValueError(f"HELPDESK_MAIL_TRANSPORT must be smtp or gmail, not {settings.transport!r}")


def gmail_credentials(settings: MailSettings, scopes: list[str]):
    if settings.gmail_oauth_token:
        from google.oauth2.credentials import Credentials

        return Credentials.from_authorized_user_info(json.loads(settings.gmail_oauth_token), scopes)
    if not settings.gmail_delegated_user:
        raise ValueError(
            "the gmail transport needs HELPDESK_GMAIL_DELEGATED_USER or HELPDESK_GMAIL_OAUTH_TOKEN"
        )
    # Domain-wide delegation without a key file: the function's service account signs the
    # assertion through the IAM Credentials API and impersonates the help desk mailbox.
    import google.auth
    import google.auth.transport.requests
    from google.auth import iam
    from google.oauth2 import service_account

    source, _ = google.auth.default(scopes=["https://www.googleapis.com/auth/cloud-platform"])
    request = google.auth.transport.requests.Request()
    source.refresh(request)
    signer = iam.Signer(request, source, source.service_account_email)
    return service_account.Credentials(
        signer,
        source.service_account_email,
        "https://oauth2.googleapis.com/token",
        scopes=scopes,
        subject=settings.gmail_delegated_user,
    )
