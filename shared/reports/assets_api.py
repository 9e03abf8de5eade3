"""The asset registry and its figures over HTTP, for managers (the `assets` function):
routing, reading the request, answering. See functions/assets.py for the endpoints."""

from __future__ import annotations

import json
from datetime import date

import flask

from shared.api.http import json_response, read_body
from shared.auth.managers import authenticate_manager, parse_manager_keys
from shared.errors import BadRequest, MethodNotAllowed, NotFound
from shared.reports.assets import (
    HISTORY_COLUMNS,
    PARETO_ORDERS,
    Period,
    asset_figures,
    asset_history,
    history_row,
    period_of,
)
from shared.reports.costs import GROUPS, cost_totals
from shared.reports.registry import RegistryServices, save_asset
from shared.reports.spreadsheet import DIALECTS, csv_text, dialect_for
from shared.repositories.directory import asset_of


def handle(request: flask.Request, services: RegistryServices) -> flask.Response:
    app = services.base
    manager = authenticate_manager(
        request.headers,
        app.directory,
        parse_manager_keys(app.config.manager_keys_json),
        app.config.manager_audience,
    )
    queries = services.queries
    parts = request.path.strip("/").split("/")
    if parts == ["costs"] and request.method == "GET":
        return _costs(request, services)
    if parts[0] != "assets" or len(parts) > 3:
        raise NotFound(f"no endpoint at {request.path}")
    if len(parts) == 1:
        if request.method != "GET":
            raise MethodNotAllowed("list with GET")
        listed = [a.model_dump(mode="json") for a in services.assets.all()]
        return json_response({"assets": listed})
    tag = parts[1]
    if len(parts) == 2 and request.method == "PUT":
        try:
            raw = json.loads(read_body(request, 16 * 1024) or b"null")
        except (ValueError, RecursionError):
            raise BadRequest("the body is not valid JSON") from None
        asset, created = save_asset(services.assets, app.directory, tag, raw)
        return json_response(asset.model_dump(mode="json"), 201 if created else 200)
    if request.method != "GET":
        raise MethodNotAllowed("read with GET, save with PUT")
    found = asset_of(app.directory, tag)
    if found is None:
        raise NotFound(f"no asset {tag!r}")
    zone = app.directory.calendar(app.directory.settings().default_calendar).zone
    if len(parts) == 2:
        return json_response(found.model_dump(mode="json"))
    if parts[2] == "history":
        currency = app.directory.settings().currency
        history = asset_history(queries, tag)
        if request.args.get("format") == "csv":
            rows = (history_row(ticket, zone, currency, for_csv=True) for ticket in history)
            return flask.Response(
                csv_text(HISTORY_COLUMNS, rows, dialect_for(_lang(request) or manager.locale)),
                mimetype="text/csv",
                headers={"Content-Disposition": f'attachment; filename="historico-{tag}.csv"'},
            )
        rows = [history_row(ticket, zone, currency) for ticket in history]
        return json_response({"asset": tag, "count": len(rows), "tickets": rows})
    if parts[2] == "figures":
        period = _period(request, app.now().astimezone(zone).date())
        settings = app.directory.settings()
        currencies = sorted({settings.currency, found.currency})
        categories = app.directory.category_ids()
        return json_response(
            asset_figures(queries, tag, period, zone, categories, currencies, _order(request))
        )
    raise NotFound(f"no endpoint at {request.path}")


def _lang(request: flask.Request) -> str | None:
    """A spreadsheet's language other than the manager's (`lang=pt-BR|es|en`)."""
    lang = request.args.get("lang")
    if lang and lang not in DIALECTS:
        raise BadRequest.from_problems("bad language", [("lang", "must be pt-BR, es or en")])
    return lang


def _period(request: flask.Request, today: date) -> Period:
    return period_of(request.args, today)


def _costs(request: flask.Request, services: RegistryServices) -> flask.Response:
    app = services.base
    group = request.args.get("group", "area")
    if group not in GROUPS:
        raise BadRequest.from_problems("bad grouping", [("group", "area or department")])
    zone = app.directory.calendar(app.directory.settings().default_calendar).zone
    period = _period(request, app.now().astimezone(zone).date())
    keys = app.directory.area_ids() if group == "area" else app.directory.department_ids()
    currency = app.directory.settings().currency
    rows = cost_totals(
        services.queries, group, keys, period, zone, sorted({currency, "USD", "EUR"})
    )
    return json_response(
        {
            "group": group,
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "rows": rows,
        }
    )


def _order(request: flask.Request) -> str:
    order = request.args.get("by", "count")
    if order not in PARETO_ORDERS:
        raise BadRequest.from_problems("bad order", [("by", "count, downtime or money")])
    return order
