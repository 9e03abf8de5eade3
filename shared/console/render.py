"""How the console answers: server-rendered pages (autoescaped), a strict Content-Security-
Policy (no script at all, except Google's sign-in button on the sign-in page), no caching."""

from __future__ import annotations

from pathlib import Path

import flask
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from shared import texts

_HERE = Path(__file__).parent
_templates = Environment(
    loader=ChoiceLoader(
        [
            FileSystemLoader(_HERE / "templates"),
            FileSystemLoader(_HERE.parent / "reports" / "sla" / "templates"),  # its charts
            FileSystemLoader(_HERE.parent / "pages" / "templates"),  # the agreements' cards
        ]
    ),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
)
STRICT = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
GOOGLE_SIGN_IN = (  # https://developers.google.com/identity/gsi/web/guides/get-google-api-clientid
    "default-src 'none'; script-src https://accounts.google.com/gsi/client; "
    "frame-src https://accounts.google.com/gsi/; connect-src https://accounts.google.com/gsi/; "
    "style-src 'unsafe-inline' https://accounts.google.com/gsi/style; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def render(
    template: str, context: dict, locale: str, status: int = 200, google: bool = False
) -> flask.Response:
    context = {"t": lambda key, **kw: texts.ui(key, locale, **kw), "locale": locale, **context}
    answer = flask.Response(_templates.get_template(template).render(context), status)
    answer.headers["Content-Type"] = "text/html; charset=utf-8"
    answer.headers["Content-Security-Policy"] = GOOGLE_SIGN_IN if google else STRICT
    answer.headers["Referrer-Policy"] = "no-referrer"
    answer.headers["X-Frame-Options"] = "DENY"
    answer.headers["X-Content-Type-Options"] = "nosniff"
    answer.headers["Cache-Control"] = "no-store"
    return answer


def message(locale: str, key: str, status: int, back: str | None = None) -> flask.Response:
    return message_text(texts.ui(key, locale), locale, status, back)


def message_text(text: str, locale: str, status: int, back: str | None = None) -> flask.Response:
    return render("message.html", {"text": text, "back": back}, locale, status)
