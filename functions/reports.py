"""Cloud Function `reports` (HTTP): the SLA report on demand.

GET  /sla?from=2026-11-01&to=2026-11-30&priority=critical&format=pdf|csv|json&lang=es
     Managers (Google ID token or manager key). Filters: area, department (requester's or
     responsible's), type, priority, policy, asset. The PDF and the CSV of every ticket come
     back at once for periods up to 93 days; longer ones answer 202 and arrive by e-mail.
POST /jobs   Cloud Tasks: render a queued report and e-mail its links (idempotent).
POST /rollups/fold   Cloud Scheduler (hourly): fold the rollups' quiet shards (idempotent).
"""

import flask
import functions_framework

from shared.api.http import endpoint
from shared.bootstrap import report_services
from shared.reports.sla.api import handle


@functions_framework.http
@endpoint(project=lambda: report_services().base.config.project)
def reports(request: flask.Request) -> flask.Response:
    return handle(request, report_services())
