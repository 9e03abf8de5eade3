"""A page's cursor: the last row's order and id, opaque to the reader (URL-safe base64 of a JSON
pair). A cursor that is not one of ours is a BadRequest."""

from __future__ import annotations

import base64
import json

from shared.errors import BadRequest


def encode_cursor(order: str, ticket_id: str) -> str:
    raw = json.dumps([order, ticket_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        order, ticket_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        raise BadRequest("the page's cursor is not valid") from None
    if not isinstance(order, str) or not isinstance(ticket_id, str):
        raise BadRequest("the page's cursor is not valid")
    if not ticket_id or "/" in ticket_id:
        raise BadRequest("the page's cursor is not valid")
    return order, ticket_id
