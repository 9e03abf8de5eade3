"""Turn a YAML configuration file into a validated `Organisation`, or say exactly what is wrong.

Every problem is reported at once, each with its path in the file, naming list entries by
their id ("policies[inc-linha-parada].capture_format[2].type") so a person can find them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import ValidationError

from shared.domain.organisation import FieldType, Organisation
from shared.sla import NoWorkingTimeError, WorkingHours
from shared.sla.public_holidays import country_holidays

_ID_KEYS = ("id", "email", "tag", "name")


class ConfigError(ValueError):
    def __init__(self, source: str, problems: list[tuple[str, str]]) -> None:
        self.source = source
        self.problems = problems
        lines = [f"{source}: {path}: {message}" for path, message in problems]
        super().__init__(f"{len(problems)} problem(s) in the configuration\n" + "\n".join(lines))


def read_organisation(path: str | Path) -> Organisation:
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ConfigError(str(path), [("(file)", f"not valid YAML: {error}")]) from None
    return parse_organisation(raw, source=str(path))


def parse_organisation(raw: Any, source: str = "<config>") -> Organisation:
    if not isinstance(raw, dict):
        raise ConfigError(source, [("(file)", "the file must hold a mapping at its top level")])
    try:
        organisation = Organisation.model_validate(raw)
    except ValidationError as error:
        problems = [(_path(raw, item["loc"]), item["msg"]) for item in error.errors()]
        raise ConfigError(source, problems) from None
    problems = _cross_reference_problems(organisation)
    if problems:
        raise ConfigError(source, problems)
    return organisation


def _path(raw: Any, loc: tuple[Any, ...]) -> str:
    """pydantic's location, with list indexes replaced by the entry's id where it has one."""
    text, node = "", raw
    for part in loc:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            key = next((item[k] for k in _ID_KEYS if isinstance(item, dict) and k in item), None)
            text += f"[{key}]" if isinstance(key, str) else f"[{part}]"
            node = item
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return text or "(file)"


def _duplicates(values: list[str]) -> set[str]:
    seen: set[str] = set()
    return {value for value in values if value in seen or seen.add(value)}  # type: ignore[func-returns-value]


def _cross_reference_problems(org: Organisation) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []

    def need(ok: bool, path: str, message: str) -> None:
        if not ok:
            problems.append((path, message))

    for name, keys in {
        "areas": [a.id for a in org.areas],
        "departments": [d.id for d in org.departments],
        "people": [p.email for p in org.people],
        "calendars": [c.id for c in org.calendars],
        "categories": [c.id for c in org.categories],
        "policies": [p.id for p in org.policies],
        "assets": [a.tag for a in org.assets],
    }.items():
        for duplicate in sorted(_duplicates(keys)):
            problems.append((f"{name}[{duplicate}]", "appears more than once"))

    areas = {a.id for a in org.areas}
    departments = {d.id: d for d in org.departments}
    people = {p.email for p in org.people}
    calendars = {c.id for c in org.calendars}
    categories = {c.id for c in org.categories}

    need(
        org.organisation.default_calendar in calendars,
        "organisation.default_calendar",
        f"unknown calendar {org.organisation.default_calendar!r}",
    )
    policy_ids = {p.id for p in org.policies}
    mail = org.organisation.mail
    for where, policy_id in [("policy", mail.policy), *mail.aliases.items()]:
        need(
            policy_id is None or policy_id in policy_ids,
            f"organisation.mail.{'policy' if where == 'policy' else 'aliases.' + where}",
            f"unknown policy {policy_id!r}",
        )
    for area in org.areas:
        need(
            area.manager is None or area.manager in people,
            f"areas[{area.id}].manager",
            f"{area.manager} is not in people",
        )
    for dept in org.departments:
        need(dept.area in areas, f"departments[{dept.id}].area", f"unknown area {dept.area!r}")
        need(
            dept.head is None or dept.head in people,
            f"departments[{dept.id}].head",
            f"{dept.head} is not in people",
        )
    for person in org.people:
        here = f"people[{person.email}]"
        need(person.area in areas, f"{here}.area", f"unknown area {person.area!r}")
        dept = departments.get(person.department)
        need(dept is not None, f"{here}.department", f"unknown department {person.department!r}")
        if dept is not None:
            need(
                dept.area == person.area,
                f"{here}.department",
                f"department {dept.id!r} belongs to area {dept.area!r}, not {person.area!r}",
            )
        need(
            person.manager is None or person.manager in people,
            f"{here}.manager",
            f"{person.manager} is not in people",
        )
    for spec in org.calendars:
        problems += _calendar_problems(spec)
    for policy in org.policies:
        here = f"policies[{policy.id}]"
        need(
            policy.calendar in calendars,
            f"{here}.calendar",
            f"unknown calendar {policy.calendar!r}",
        )
        need(
            policy.category in categories,
            f"{here}.category",
            f"unknown category {policy.category!r}",
        )
        need(
            policy.responsible_department in departments,
            f"{here}.responsible_department",
            f"unknown department {policy.responsible_department!r}",
        )
        need(
            policy.default_responsible in people,
            f"{here}.default_responsible",
            f"{policy.default_responsible} is not in people",
        )
        need(
            policy.resolution_time >= policy.response_time,
            f"{here}.resolution_time",
            "must not be shorter than response_time",
        )
        need(
            all(0 < w < 100 for w in policy.warnings)
            and policy.warnings == sorted(set(policy.warnings)),
            f"{here}.warnings",
            "percentages between 1 and 99, increasing, each once",
        )
        afters = [level.after for level in policy.escalation]
        need(afters == sorted(afters), f"{here}.escalation", "levels must come in order of 'after'")
        for level_index, level in enumerate(policy.escalation):
            need(
                not isinstance(level.notify, str)
                or "@" not in level.notify
                or level.notify in people,
                f"{here}.escalation[{level_index}].notify",
                f"{level.notify} is not in people",
            )
        for name in sorted(_duplicates([f.name for f in policy.capture_format])):
            problems.append((f"{here}.capture_format[{name}]", "appears more than once"))
        for field in policy.capture_format:
            where = f"{here}.capture_format[{field.name}]"
            is_choice = field.type is FieldType.CHOICE
            need(
                is_choice == bool(field.choices),
                f"{where}.choices",
                "a choice field needs choices" if is_choice else "only choice fields have choices",
            )
    for asset in org.assets:
        here = f"assets[{asset.tag}]"
        need(asset.area in areas, f"{here}.area", f"unknown area {asset.area!r}")
        need(
            asset.responsible is None or asset.responsible in people,
            f"{here}.responsible",
            f"{asset.responsible} is not in people",
        )
    return problems


def _calendar_problems(spec) -> list[tuple[str, str]]:
    here = f"calendars[{spec.id}]"
    problems: list[tuple[str, str]] = []
    try:
        ZoneInfo(spec.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return [(f"{here}.timezone", f"unknown time zone {spec.timezone!r}")]
    for weekday, spans in spec.hours.items():
        for span in spans:
            try:
                WorkingHours.parse(span)
            except ValueError as error:
                problems.append((f"{here}.hours.{weekday}", str(error)))
    if spec.holidays is not None:
        try:
            country_holidays(spec.holidays.country, spec.holidays.subdivision)
        except NotImplementedError as error:
            problems.append((f"{here}.holidays", str(error)))
    if not problems:
        try:
            spec.build().add(datetime.now(UTC), timedelta(minutes=1))
        except NoWorkingTimeError:
            problems.append((f"{here}.hours", "the calendar has no working time"))
    return problems
