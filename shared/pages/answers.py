"""How the pages answer: HTML rendered with autoescape, security headers, the upload script
and the icon."""

from __future__ import annotations

import contextvars
from pathlib import Path
from urllib.parse import urlsplit

import flask
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from shared import texts
from shared.errors import HelpdeskError
from shared.log import get_logger

log = get_logger("pages")

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
)
_STATIC = Path(__file__).parent / "static"
_UPLOAD_JS = (_STATIC / "upload.js").read_text(encoding="utf-8")
_ICON = (_STATIC / "favicon.ico").read_bytes()

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; "
        "media-src 'self' https:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",  # the link token is in the URL
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
_csp: contextvars.ContextVar[str] = contextvars.ContextVar(
    "csp", default=SECURITY_HEADERS["Content-Security-Policy"]
)


def static_file(path: str) -> flask.Response | None:
    """The upload script and the icon, cached by browsers; None for any other path."""
    if path == "/assets/upload.js":
        response = flask.Response(_UPLOAD_JS, mimetype="text/javascript")
    elif path == "/assets/favicon.ico":
        response = flask.Response(_ICON, mimetype="image/x-icon")
    else:
        return None
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def set_content_security_policy(media_url: str, storage_origin: str) -> None:
    """Scripts only from here; uploads to the media function and the bucket; evidence from it."""
    media = _origin(media_url)
    _csp.set(
        "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; "
        f"img-src 'self' {storage_origin}; media-src {storage_origin}; "
        f"connect-src {media} {storage_origin}; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )


def render_text(template: str, context: dict) -> str:
    """A template of the pages' own (an e-mail they send), autoescaped where it is HTML."""
    return _templates.get_template(template).render(context)


def render(template: str, context: dict, status: int = 200) -> flask.Response:
    return page(_templates.get_template(template).render(context), status)


def refusal_page(request: flask.Request, error: HelpdeskError) -> flask.Response:
    """What the endpoint wrapper answers for the pages: a page in the browser's language (the
    person may not be known: the directory may be what is unavailable)."""
    locale = texts.negotiate(request.headers.get("Accept-Language"))
    key = texts.N_("ui", "unavailable", "request_refused")[0 if error.status == 503 else 1]
    return message(locale, key, error.status)


def message(
    locale: str, key: str, status: int, back: str | None = None, **values: object
) -> flask.Response:
    """A page that says one thing: a refusal, an expired link, a method not allowed."""
    if status >= 400:
        refused(status, key)
    text = texts.ui(key, locale, **values)
    return render(
        "message.html",
        {
            "locale": locale,
            "heading": text,
            "text": text,
            "kind": "refused" if status >= 400 else "ok",
            "back": back,
            "back_label": texts.ui("back", locale),
        },
        status,
    )


def refused(status: int, reason: str, action: str | None = None) -> None:
    """One log line per refusal: what was refused and why (never who, nor what they typed)."""
    log.info("page refused", extra={"status": status, "reason": reason, "action": action})


def page(html: str, status: int) -> flask.Response:
    return with_headers(flask.Response(html, status=status, mimetype="text/html"))


def with_headers(response: flask.Response) -> flask.Response:
    response.headers.update(SECURITY_HEADERS)
    response.headers["Content-Security-Policy"] = _csp.get()
    return response


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else "'self'"
