"""Cloud Function `console` (HTTP): the managers' console, signed in with Google.

GET  /sign-in   the sign-in page (Google Identity Services; locally, the stand-in issuer)
POST /auth      the ID token Google posts back: verified, then a session cookie
GET  /          the dashboard
POST /sign-out  ends the session
"""

import flask
import functions_framework

from shared.api.http import endpoint
from shared.bootstrap import console_services, services
from shared.console.handlers import handle


@functions_framework.http
@endpoint(project=lambda: services().config.project)
def console(request: flask.Request) -> flask.Response:
    return handle(request, console_services())
