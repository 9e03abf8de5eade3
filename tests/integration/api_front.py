"""The functions behind one front, as https://REGION-PROJECT.cloudfunctions.net/NAME puts
them, with docs/openapi.yaml loaded for schemathesis: shared by the OpenAPI, fuzzing and
hostile-input tests (the fixture `api` is in conftest)."""

from __future__ import annotations

import io
import time

import functions_framework
import schemathesis
import yaml
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from shared.intake.auth import sign
from tests.integration.conftest import FORMS_SECRET, TIMER_SECRET
from tools.stack import ROOT

DOC = yaml.safe_load((ROOT / "docs" / "openapi.yaml").read_text(encoding="utf-8"))
HTTP_FUNCTIONS = ("intake", "media", "pages", "sla_timer", "out_of_sla", "assets", "reports")
MANAGER = "helena.prado@metalvale.com.br"
MANAGER_KEY = "manager-key-helena-openapi-0123456789"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def rooted(app):
    """https://…/intake reaches the function as "/", as Cloud Functions does."""

    def serve(environ, start_response):
        environ["PATH_INFO"] = environ.get("PATH_INFO") or "/"
        return app(environ, start_response)

    return serve


def credentials(app):
    """Sign or key every request the way its real client would (a test's stand-in for the
    Apps Script, the managers and Cloud Tasks), so the fuzzing gets past authentication."""

    def serve(environ, start_response):
        path = environ.get("PATH_INFO", "")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = b""
        if 0 < length <= 1024 * 1024:  # larger ones are refused unread, signed or not
            body = environ["wsgi.input"].read(length)
            environ["wsgi.input"] = io.BytesIO(body)
        if path.startswith(
            ("/sla_timer", "/reports/jobs", "/reports/rollups", "/media/sweep", "/media/drive")
        ):
            environ.setdefault("HTTP_X_HELPDESK_TIMER_SECRET", TIMER_SECRET)
        elif path.startswith(("/intake", "/media")):
            inner = "/" + path.split("/", 2)[2] if path.count("/") > 1 else "/"
            signature = sign(
                FORMS_SECRET,
                body,
                int(time.time()),
                environ.get("REQUEST_METHOD", "GET"),
                inner,
                environ.get("HTTP_X_HELPDESK_CLIENT", ""),
            )
            environ.setdefault("HTTP_X_HELPDESK_SIGNATURE", signature)
        elif path.startswith(("/out_of_sla", "/assets", "/reports/sla")):
            environ.setdefault("HTTP_X_HELPDESK_KEY", MANAGER_KEY)
        return app(environ, start_response)

    return serve


def front_and_schema():
    """The WSGI front of every HTTP function and the document, bound to it."""
    apps = {
        f"/{name}": rooted(
            functions_framework.create_app(name, str(ROOT / "functions" / f"{name}.py"))
        )
        for name in HTTP_FUNCTIONS
    }
    front = DispatcherMiddleware(apps["/intake"], apps)
    schema = schemathesis.openapi.from_dict(DOC)
    schema.app = front
    return front, schema
