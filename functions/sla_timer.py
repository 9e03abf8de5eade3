"""Cloud Function `sla_timer` (HTTP, called by Cloud Tasks): an SLA milestone is due.

Answers 200 whether the milestone fired or turned out stale, duplicate or early (then it
enqueued itself again): Cloud Tasks retries anything else.
"""

import flask
import functions_framework

from shared.api.http import endpoint, json_response, read_body
from shared.bootstrap import timer_services
from shared.errors import MethodNotAllowed
from shared.timers.auth import authenticate_timer
from shared.timers.payload import TimerPayload
from shared.timers.service import fire


@functions_framework.http
@endpoint(project=lambda: timer_services().base.config.project)
def sla_timer(request: flask.Request) -> flask.Response:
    app = timer_services()
    if request.method != "POST":
        raise MethodNotAllowed("timers are POSTed by Cloud Tasks")
    authenticate_timer(request.headers, app.base.config)
    payload = TimerPayload.decode(read_body(request, 4096))
    outcome = fire(
        payload,
        tickets=app.base.tickets,
        directory=app.base.directory,
        queue=app.queue,
        now=app.base.now,
        rules=app.base.config.status_request_rules,
    )
    return json_response({"outcome": outcome, "milestone": payload.milestone})
