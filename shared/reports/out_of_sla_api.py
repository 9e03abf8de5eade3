"""Tickets outside the agreed time over HTTP (the `out_of_sla` function), for managers."""

from __future__ import annotations

import flask

from shared.api.http import json_response
from shared.auth.managers import authenticate_manager, parse_manager_keys
from shared.errors import MethodNotAllowed
from shared.reports.out_of_sla import COLUMNS, find_out_of_sla, parse_query, row
from shared.reports.registry import RegistryServices
from shared.reports.spreadsheet import csv_text, dialect_for, spreadsheet_time


def handle(request: flask.Request, services: RegistryServices) -> flask.Response:
    app = services.base
    if request.method != "GET":
        raise MethodNotAllowed("this list is read with GET")
    manager = authenticate_manager(
        request.headers,
        app.directory,
        parse_manager_keys(app.config.manager_keys_json),
        app.config.manager_audience,
    )
    zone = app.directory.calendar(app.directory.settings().default_calendar).zone
    query = parse_query(request.args, app.now().astimezone(zone).date())
    tickets = find_out_of_sla(services.queries, query, zone)
    if request.args.get("format") == "csv":
        name = f"fora-do-prazo-{query.start}-{query.end}.csv"
        when = spreadsheet_time(zone)
        rows = (row(ticket, zone, when) for ticket in tickets)
        return flask.Response(
            csv_text(COLUMNS, rows, dialect_for(request.args.get("lang") or manager.locale)),
            mimetype="text/csv",
            headers={
                "Content-Disposition": f'attachment; filename="{name}"',
                "Cache-Control": "no-store",
            },
        )
    rows = [row(ticket, zone) for ticket in tickets]
    return json_response(
        {
            "from": query.start.isoformat(),
            "to": query.end.isoformat(),
            "filters": query.filters,
            "count": len(rows),
            "tickets": rows,
        }
    )
