"""Cloud Function `out_of_sla` (HTTP GET, managers): tickets outside the agreed time.

GET /?from=2026-11-01&to=2026-11-30&area=producao&priority=critical&format=csv&lang=en
Filters: area, department (requester's or responsible's), type, priority, policy, asset.
"""

import flask
import functions_framework

from shared.api.http import endpoint, json_response
from shared.auth.managers import authenticate_manager, parse_manager_keys
from shared.bootstrap import services
from shared.errors import MethodNotAllowed
from shared.reports.out_of_sla import COLUMNS, find_out_of_sla, parse_query, row
from shared.reports.spreadsheet import csv_text, dialect_for, spreadsheet_time


@functions_framework.http
@endpoint(project=lambda: services().config.project)
def out_of_sla(request: flask.Request) -> flask.Response:
    app = services()
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
    tickets = find_out_of_sla(app.tickets.db, query, zone)
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
