"""Check a ticket's answers against its SLA policy's capture format."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shared.domain.email import normalize_email
from shared.domain.organisation import CaptureField, FieldType, SlaPolicy
from shared.domain.text import paragraphs

REQUIRED = "is required"


@dataclass
class CaptureResult:
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    asset_tags: dict[str, str] = field(default_factory=dict)  # field name -> tag to look up


def check_capture(policy: SlaPolicy, answers: dict[str, Any]) -> CaptureResult:
    """Every problem at once, keyed "fields.<name>"; asset tags are returned for lookup."""
    result = CaptureResult()
    known = {capture.name: capture for capture in policy.capture_format}
    for name in answers:
        if name not in known:
            result.problems.append((f"fields.{name}", f"not a field of policy {policy.id}"))
    for capture in policy.capture_format:
        value = answers.get(capture.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if capture.required:
                result.problems.append((f"fields.{capture.name}", REQUIRED))
            continue
        try:
            result.values[capture.name] = _coerce(capture, value)
        except ValueError as error:
            result.problems.append((f"fields.{capture.name}", str(error)))
            continue
        if capture.type is FieldType.ASSET:
            result.asset_tags[capture.name] = result.values[capture.name]
    return result


def _coerce(capture: CaptureField, value: Any) -> Any:
    match capture.type:
        case FieldType.TEXT:
            if not isinstance(value, str):
                raise ValueError("must be text")
            if len(value) > capture.max_length:
                raise ValueError(f"must be at most {capture.max_length} characters")
            return paragraphs(value)
        case FieldType.NUMBER:
            number = _number(value)
            if capture.integer and not float(number).is_integer():
                raise ValueError("must be a whole number")
            if capture.minimum is not None and number < capture.minimum:
                raise ValueError(f"must be at least {capture.minimum:g}")
            if capture.maximum is not None and number > capture.maximum:
                raise ValueError(f"must be at most {capture.maximum:g}")
            return number
        case FieldType.CHOICE:
            allowed = [choice.value for choice in capture.choices]
            if value not in allowed:
                raise ValueError(f"must be one of: {', '.join(allowed)}")
            return value
        case FieldType.DATE:
            if not isinstance(value, str):
                raise ValueError("must be a date as YYYY-MM-DD")
            try:
                return date.fromisoformat(value).isoformat()
            except ValueError:
                raise ValueError("must be a date as YYYY-MM-DD") from None
        case FieldType.ASSET:
            if not isinstance(value, str) or not value.strip():
                raise ValueError("must be an asset tag")
            return value.strip()
        case FieldType.EMAIL:
            if not isinstance(value, str):
                raise ValueError("must be an e-mail address")
            try:
                return normalize_email(value)
            except ValueError as error:
                raise ValueError(f"is not a valid e-mail address: {error}") from None
    raise ValueError(f"unsupported field type {capture.type}")  # pragma: no cover


def _number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise ValueError("must be a number")
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", ".")) if value.strip() else None
        except ValueError:
            raise ValueError("must be a number") from None
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError("must be a number")
    return int(value) if float(value).is_integer() else value
