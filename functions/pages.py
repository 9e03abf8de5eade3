"""Cloud Function `pages` (HTTP): the pages behind the links in the help desk's e-mails.

GET  /t/<link>                  the ticket, its timeline and the actions of the link's role
POST /t/<link>/status-request   the requester asks the responsible for an update
POST /t/<link>/status           the responsible answers with the ticket's progress
"""

import flask
import functions_framework

from shared.api.http import endpoint
from shared.bootstrap import page_services
from shared.pages.answers import refusal_page
from shared.pages.handlers import handle


@functions_framework.http
@endpoint(project=lambda: page_services().config.project, refusal=refusal_page)
def pages(request: flask.Request) -> flask.Response:
    return handle(request, page_services())
