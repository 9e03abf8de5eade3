"""Cloud Function `out_of_sla` (HTTP GET, managers): tickets outside the agreed time.

GET /?from=2026-11-01&to=2026-11-30&area=producao&priority=critical&format=csv&lang=en
Filters: area, department (requester's or responsible's), type, priority, policy, asset.
"""

import flask
import functions_framework

from shared.api.http import endpoint
from shared.bootstrap import registry_services
from shared.reports.out_of_sla_api import handle


@functions_framework.http
@endpoint(project=lambda: registry_services().base.config.project)
def out_of_sla(request: flask.Request) -> flask.Response:
    return handle(request, registry_services())
