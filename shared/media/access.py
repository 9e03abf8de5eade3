"""Who may upload evidence to which ticket: a person through their ticket link (pages), or
the intake client that opened the ticket (Apps Script sending a form's files)."""

from __future__ import annotations

from collections.abc import Mapping

from shared.actions.access import may_open, page_role
from shared.config import Config
from shared.errors import BadRequest, Forbidden, InvalidLink, NotFound, Unauthorized
from shared.intake.auth import KEY_HEADER, SIGNATURE_HEADER, authenticate
from shared.links import LinkSigner
from shared.repositories.directory import person_of
from shared.repositories.tickets import FirestoreTickets

LINK_HEADER = "X-Helpdesk-Link"
UPLOADER_ROLES = ("requester", "responsible")


def uploader(
    headers: Mapping[str, str],
    body: bytes,
    ticket_id: str | None,
    config: Config,
    links: LinkSigner | None,
    tickets: FirestoreTickets,
    now,
    directory=None,
    signed=None,
) -> tuple[str, str]:
    """(ticket id, who): the ticket the caller may add evidence to, and the caller (a link's
    person only while active and still holding the link's role on the ticket)."""
    link = headers.get(LINK_HEADER)
    if link:
        if links is None:
            raise Forbidden("ticket links are not configured here")
        try:
            claims = links.verify(link)
        except InvalidLink as error:
            raise Forbidden(f"the ticket link is {error.reason}") from None
        if claims.role not in UPLOADER_ROLES:
            raise Forbidden("this link cannot add evidence")
        ticket = tickets.get(claims.ticket_id)
        if ticket is None:
            raise NotFound("no such ticket")
        if directory is not None:
            person = person_of(directory, claims.email)
            if (
                not may_open(ticket, claims, person)
                or page_role(ticket, claims, directory) not in UPLOADER_ROLES
            ):
                raise Forbidden("this link's person may no longer add evidence to the ticket")
        return claims.ticket_id, claims.email
    if headers.get(SIGNATURE_HEADER) or headers.get(KEY_HEADER):
        client = authenticate(
            headers,
            body,
            config.intake_clients,
            now,
            config.signature_tolerance,
            signed or config.signed("POST", "/"),
        )
        if not ticket_id:
            raise BadRequest.from_problems(
                "which ticket?", [("ticket_id", "is required with intake credentials")]
            )
        ticket = tickets.get(ticket_id)
        if ticket is None or ticket.intake_client != client.id:
            raise NotFound("no such ticket")
        return ticket.id, f"intake:{client.id}"
    raise Unauthorized(f"send the ticket link ({LINK_HEADER}) or the intake signature")
