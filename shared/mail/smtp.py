"""SMTP transport: the Google Workspace SMTP relay in production, a local server in development."""

from __future__ import annotations

import smtplib
import ssl

from shared.mail.message import OutgoingMail
from shared.mail.transport import PermanentMailError, TransientMailError


class SmtpMailer:
    name = "smtp"

    def __init__(
        self,
        host: str,
        port: int,
        *,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 20,
    ) -> None:
        self.host, self.port = host, port
        self.username, self.password = username, password
        self.starttls, self.timeout = starttls, timeout

    def send(self, mail: OutgoingMail) -> str:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as server:
                if self.starttls:
                    server.starttls(context=ssl.create_default_context())
                if self.username:
                    server.login(self.username, self.password or "")
                server.send_message(mail.to_mime())
        except smtplib.SMTPRecipientsRefused as error:
            # The server's words name the address: keep its codes only (they are logged).
            codes = [code for code, _ in error.recipients.values()]
            if all(500 <= code < 600 for code in codes):
                raise PermanentMailError(f"recipient refused: SMTP {codes}") from error
            raise TransientMailError(f"recipient deferred: SMTP {codes}") from error
        except smtplib.SMTPResponseException as error:
            if 500 <= error.smtp_code < 600 and error.smtp_code not in (421, 450, 451, 452):
                raise PermanentMailError(f"SMTP {error.smtp_code}: {error.smtp_error!r}") from error
            raise TransientMailError(f"SMTP {error.smtp_code}: {error.smtp_error!r}") from error
        except (TimeoutError, smtplib.SMTPException, OSError) as error:
            raise TransientMailError(f"SMTP server unavailable: {error}") from error
        return mail.message_id

    def already_sent(self, mail: OutgoingMail) -> bool:
        """SMTP cannot be asked; a resent copy carries the same Message-ID, which Gmail drops."""
        return False
