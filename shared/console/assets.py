"""The console's assets: the registry with each asset's incidents over the last twelve months
(from the report's rollups: the cost does not grow with tickets), and an asset's page with its
figures for a period (MTTR, MTBF, availability, downtime, expenses and loss, from counting and
summing queries), its Pareto of incident categories, its history, and, for managers, the form
that saves it as the registry's PUT does (shared/reports/registry.py).

The assets are the managers': their figures count every department's tickets, and a department
head sees their departments only."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

import flask

from shared import texts
from shared.console.filters import choices
from shared.console.render import message, render
from shared.domain.organisation import AssetKind, AssetStatus
from shared.domain.types import ASSET_TAG, Role
from shared.errors import BadRequest
from shared.reports.assets import Period, asset_figures, asset_history, period_of
from shared.reports.days import parse_day
from shared.reports.registry import save_asset
from shared.reports.sla.charts import pareto_chart
from shared.reports.sla.query import parse_report_query
from shared.reports.sla.render import Formats

HISTORY = 50
LONGEST = 3 * 366  # days an asset's page covers at most
FIELDS = ("name", "kind", "location", "area", "responsible", "loss_rate_per_hour", "currency")
FIELDS += ("in_service_since", "status")
texts.N_("ui", "console_assets", "console_assets_intro", "console_asset_incidents")
texts.N_("ui", "console_mttr", "console_mtbf", "console_availability", "console_downtime")
texts.N_("ui", "console_asset_pareto", "console_asset_history", "console_asset_edit")
texts.N_("ui", "console_asset_saved", "console_asset_not_saved", "console_asset_new")
texts.N_("ui", "console_asset_tag", "console_asset_name", "console_asset_kind")
texts.N_("ui", "console_asset_location", "console_asset_area", "console_asset_responsible")
texts.N_("ui", "console_asset_loss_rate", "console_asset_currency", "console_asset_since")
texts.N_("ui", "console_asset_status", "console_asset_save", "console_no_assets")
texts.N_("ui", "console_asset_unknown", "console_assets_managers", "console_asset_tag_taken")
texts.N_("ui", "asset_kind_fixed_asset", "asset_kind_artifact", "asset_status_in_service")
texts.N_("ui", "asset_status_out_of_service", "asset_status_retired")
TAG = re.compile(ASSET_TAG)


def handle(request: flask.Request, app, person, session, locale: str, path: str):
    if person.role != Role.MANAGER:
        return message(locale, "console_assets_managers", 403, "/")
    is_get = request.method in ("GET", "HEAD")
    if path == "/assets":
        return _registry(app, person, session, locale) if is_get else _method(locale)
    if path == "/assets/new":
        if is_get:
            return _edit_page(app, person, session, locale, None, {}, "")
        return _save(request, app, person, session, locale, request.form.get("tag", ""), True)
    found = re.fullmatch(r"/assets/([^/]{1,63})", path)
    if not found or not TAG.fullmatch(found.group(1)):
        return message(locale, "console_asset_unknown", 404, "/assets")
    tag = found.group(1)
    if is_get:
        return _asset(request, app, person, session, locale, tag)
    return _save(request, app, person, session, locale, tag, False)


def _method(locale: str):
    return message(locale, "method_not_allowed", 405, "/assets")


def _zone(app) -> ZoneInfo:
    return app.directory.calendar(app.directory.settings().default_calendar).zone


def _registry(app, person, session, locale: str):
    from shared.console.handlers import today_in

    today = today_in(app)
    year = period_of({}, today)  # as an asset's page, by default
    query = parse_report_query({"from": year.start.isoformat(), "to": year.end.isoformat()}, today)
    report = app.figures.report(query, locale)
    incidents = {row["asset"]: row for row in report.figures["pareto"]}
    assets = sorted(
        app.registry().assets.all(),
        key=lambda a: (-incidents.get(a.tag, {}).get("incidents", 0), a.tag),
    )
    rows = [
        {
            "tag": a.tag,
            "name": a.name,
            "area": (app.directory.area(a.area).name if app.directory.area(a.area) else a.area),
            "status": texts.ui(f"asset_status_{a.status}", locale),
            "incidents": incidents.get(a.tag, {}).get("incidents", 0),
            "share": incidents.get(a.tag, {}).get("cumulative_percent"),
        }
        for a in assets
    ]
    fmt = Formats(locale, _zone(app))
    context = {"person": person, "csrf": session.csrf, "rows": rows, "fmt": fmt}
    context |= {"start": query.start, "end": query.end}
    return render("assets.html", context, locale)


def _period(request, today) -> tuple[Period, bool]:
    """The asked period (by default the year up to today), or that default if it is wrong."""
    try:
        return period_of(request.args, today, LONGEST), True
    except BadRequest:
        return period_of({}, today), False


def _asset(request, app, person, session, locale: str, tag: str, form=None, notice="", status=200):
    from shared.console.handlers import today_in

    registry = app.registry()
    asset = registry.assets.get(tag)
    if asset is None:
        return message(locale, "console_asset_unknown", 404, "/assets")
    zone = _zone(app)
    period, ok = _period(request, today_in(app))
    if not ok and not notice:
        notice, status = texts.ui("console_bad_period", locale, days=LONGEST), 400
    currencies = sorted({app.directory.settings().currency, asset.currency})
    figures = asset_figures(
        registry.queries, tag, period, zone, app.directory.category_ids(), currencies
    )
    total, running, pareto = sum(r["incidents"] for r in figures["pareto"]), 0, []
    for row in figures["pareto"]:
        running += row["incidents"]
        pareto.append({**row, "cumulative_percent": round(100 * running / total, 1)})
    labels = [_category_name(app.directory, row["category"], locale) for row in pareto]
    history = [
        {
            "number": ticket.number or "",
            "title": ticket.title,
            "type": texts.ui(str(ticket.type), locale),
            "status": texts.text("status", ticket.status, locale),
            "category": _category_name(app.directory, ticket.category, locale),
            "opened": ticket.created_at.astimezone(zone),
            "downtime": ticket.downtime_seconds,
            "url": app.links.url(ticket.id, person.email, "manager"),
        }
        for ticket in asset_history(registry.queries, tag, HISTORY)
    ]
    context = {
        "person": person,
        "csrf": session.csrf,
        "asset": asset,
        "area": app.directory.area(asset.area),
        "f": figures,
        "fmt": Formats(locale, zone),
        "period": period,
        "pareto_chart": pareto_chart(pareto, labels),
        "history": history,
        "notice": notice,
        "saved": request.args.get("saved") == "1",
        "form": form if form is not None else _form_of(asset, locale),
        "choices": _choices(app.directory, locale),
    }
    return render("asset.html", context, locale, status)


def _category_name(directory, category_id: str, locale: str) -> str:
    category = directory.category(category_id)
    return category.name.get(locale) if category else category_id


def _form_of(asset, locale: str) -> dict[str, str]:
    from babel.numbers import format_decimal

    data = asset.model_dump(mode="json")
    form = {name: "" if data.get(name) is None else str(data[name]) for name in FIELDS}
    form["loss_rate_per_hour"] = format_decimal(
        asset.loss_rate_per_hour, "#,##0.00", locale=locale.replace("-", "_")
    )
    return form


def _choices(directory, locale: str) -> dict[str, list[tuple[str, str]]]:
    return {
        "kind": [(str(k), texts.ui(f"asset_kind_{k}", locale)) for k in AssetKind],
        "status": [(str(s), texts.ui(f"asset_status_{s}", locale)) for s in AssetStatus],
        "area": choices(directory, locale, [])["area"],
    }


def _edit_page(app, person, session, locale, tag, form, notice, status=200):
    context = {"person": person, "csrf": session.csrf, "tag": tag, "form": form}
    context |= {"choices": _choices(app.directory, locale), "notice": notice}
    context["currency"] = app.directory.settings().currency
    return render("asset_new.html", context, locale, status)


def _save(request, app, person, session, locale: str, tag: str, new: bool):
    if not app.cookies.csrf_ok(session, request.form.get("csrf")):
        return message(locale, "form_forged", 403, "/assets")
    form = {name: (request.form.get(name) or "").strip()[:200] for name in FIELDS}
    tag = tag.strip()
    raw, problems = _checked(app, form, locale)
    taken = new and TAG.fullmatch(tag) and app.registry().assets.get(tag) is not None
    if not TAG.fullmatch(tag):
        problems.insert(0, "tag")
    if not problems and not taken:
        try:
            save_asset(app.registry().assets, app.directory, tag, raw)
        except BadRequest as refused:
            problems = [p["field"].split(".")[0] for p in refused.details or []] or ["name"]
    if problems or taken:
        names = ", ".join(dict.fromkeys(texts.ui(_label_key(name), locale) for name in problems))
        notice = " ".join(
            [texts.ui("console_asset_tag_taken", locale, tag=tag)] * bool(taken)
            + [texts.ui("console_asset_not_saved", locale, names=names)] * bool(problems)
        )
        if new:
            return _edit_page(app, person, session, locale, tag, form, notice, 400)
        return _asset(request, app, person, session, locale, tag, form, notice, 400)
    return flask.redirect(f"/assets/{tag}?saved=1", code=303)


def _checked(app, form: dict[str, str], locale: str) -> tuple[dict[str, object], list[str]]:
    """The registry's fields from the form, and the names of those that are wrong (all of
    them at once): the amount in the reader's notation ("3.200,50" or "3,200.50"), the
    currency in any case, a date not to come, a responsible in the directory."""
    from shared.console.handlers import today_in
    from shared.repositories.directory import person_of

    raw: dict[str, object] = {k: v for k, v in form.items() if v}
    problems = []
    if not form["name"]:
        problems.append("name")
    if form["loss_rate_per_hour"]:
        amount = _amount(form["loss_rate_per_hour"], locale)
        if amount is None:
            problems.append("loss_rate_per_hour")
        else:
            raw["loss_rate_per_hour"] = str(amount)
    raw["currency"] = form["currency"].upper()
    if not re.fullmatch(r"[A-Z]{3}", str(raw["currency"])):
        problems.append("currency")
    if form["in_service_since"]:
        try:
            if parse_day(form["in_service_since"]) > today_in(app):
                problems.append("in_service_since")
        except ValueError:
            problems.append("in_service_since")
    if app.directory.area(form["area"]) is None:
        problems.append("area")
    if form["responsible"] and person_of(app.directory, form["responsible"].lower()) is None:
        problems.append("responsible")
    elif form["responsible"]:
        raw["responsible"] = form["responsible"].lower()
    return raw, problems


def _amount(text: str, locale: str) -> Decimal | None:
    """ "3.200,50" (pt-BR, es), "3,200.50" (en), "3200,5" or "3200.5": the last mark is the
    decimal one when both appear; in Portuguese and Spanish "3.500" is three thousand five
    hundred."""
    typed = text.replace(" ", "").replace("\xa0", "")
    if "," in typed and "." in typed:
        decimal, grouping = (",", ".") if typed.rfind(",") > typed.rfind(".") else (".", ",")
        typed = typed.replace(grouping, "").replace(decimal, ".")
    elif "." in typed and locale != "en" and re.fullmatch(r"\d{1,3}(\.\d{3})+", typed):
        typed = typed.replace(".", "")  # "3.500" in Portuguese or Spanish: three thousand
    else:
        typed = typed.replace(",", ".")
    try:
        amount = Decimal(typed)
    except InvalidOperation:
        return None
    return amount.quantize(Decimal("0.01")) if amount.is_finite() and amount >= 0 else None


def _label_key(field: str) -> str:
    names = {"loss_rate_per_hour": "loss_rate", "in_service_since": "since"}
    return f"console_asset_{names.get(field, field)}"
