"""Cloud Function `digest` (HTTP, private): the daily digest.

POST /start: Cloud Scheduler, once a day; enqueues one task per person for the start of their
first working interval. POST /send: Cloud Tasks; sends that person's digest once. Both carry
the invoker's OIDC token (locally, the timers' shared secret); both answer 200 whatever the
outcome, so that only a failure is retried.
"""

import flask
import functions_framework

from shared.api.http import endpoint, json_response, read_body
from shared.bootstrap import digest_services, services
from shared.digest.service import DigestTask
from shared.errors import MethodNotAllowed, NotFound
from shared.timers.auth import authenticate_timer


@functions_framework.http
@endpoint(project=lambda: services().config.project)
def digest(request: flask.Request) -> flask.Response:
    config = services().config
    path = request.path.rstrip("/")
    if path not in ("/start", "/send"):
        raise NotFound("POST /start or /send")
    authenticate_timer(request.headers, config, audience=config.digest_url.rstrip("/") + path)
    if request.method != "POST":
        raise MethodNotAllowed("the digest is POSTed by Cloud Scheduler and Cloud Tasks")
    app = digest_services()
    if path == "/start":
        return json_response({"planned": app.start()})
    task = DigestTask.decode(read_body(request, 4096))
    return json_response({"outcome": app.send(task)})
