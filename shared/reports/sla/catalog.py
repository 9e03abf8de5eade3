"""Names the SLA report gives the values it groups by (the texts are in shared/texts)."""

from __future__ import annotations

from shared import texts

LOCALES = texts.LOCALES


def value_label(dimension: str, value: str, locale: str) -> str | None:
    """Type, priority and status names; None when the directory names it instead."""
    if dimension == "type" and value in ("incident", "request"):
        return texts.ui(value, locale)
    if dimension == "priority" and texts.has("priority", value):
        return texts.text("priority", value, locale)
    if dimension == "expense" and value in ("labour", "parts", "external_service", "other"):
        return texts.ui(value, locale)
    if dimension == "status" and texts.has("status", value):
        return texts.text("status", value, locale)
    return None
