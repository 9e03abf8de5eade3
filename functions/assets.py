"""Cloud Function `assets` (HTTP, managers): the asset registry, each asset's history and figures.

GET /assets                       every asset
GET /assets/<tag>                 one asset
PUT /assets/<tag>                 create or replace it (JSON, checked)
GET /assets/<tag>/history         its requests and incidents with their dates (format=csv too)
GET /assets/<tag>/figures         costs, loss, Pareto by category, MTTR, MTBF, availability
                                  for from..to (default: the last 365 days)
GET /costs?group=area|department  expenses and losses per requester's area or department
"""

import flask
import functions_framework

from shared.api.http import endpoint
from shared.bootstrap import registry_services
from shared.reports.assets_api import handle


@functions_framework.http
@endpoint(project=lambda: registry_services().base.config.project)
def assets(request: flask.Request) -> flask.Response:
    return handle(request, registry_services())
