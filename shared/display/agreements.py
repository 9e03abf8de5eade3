"""The organisation's service agreements as a person reads them, in their language: each
active policy's objectives, response and resolution times in business time (on its calendar),
and what the provider and the user are each responsible for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from shared import texts
from shared.formatting import format_business_time


class Policies(Protocol):
    def policies(self) -> list: ...
    def calendar_name(self, calendar_id: str) -> str: ...


@dataclass(frozen=True)
class Agreement:
    id: str
    name: str
    kind: str
    priority: str
    objectives: str
    response: str
    resolution: str
    calendar: str
    provider: str
    user: str


def agreements(directory: Policies, locale: str) -> list[Agreement]:
    found = []
    for policy in directory.policies():
        if not policy.active:
            continue
        found.append(
            Agreement(
                id=policy.id,
                name=policy.name.get(locale),
                kind=texts.ui(policy.type, locale),
                priority=texts.text("priority", policy.priority, locale),
                objectives=policy.objectives.get(locale) if policy.objectives else "",
                response=format_business_time(policy.response_time),
                resolution=format_business_time(policy.resolution_time),
                calendar=directory.calendar_name(policy.calendar),
                provider=policy.provider_responsibilities.get(locale),
                user=policy.user_responsibilities.get(locale),
            )
        )
    return found
