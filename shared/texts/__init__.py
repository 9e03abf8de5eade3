"""Every text a person reads (pages, e-mails, the SLA report), in pt-BR, es and en: one gettext
catalogue per language, managed with Babel.

`locales/<lang>/LC_MESSAGES/helpdesk.po` holds the texts; `msgctxt` says where a text is used
(`ui`: pages and e-mails; `subject` and `intro`: an e-mail's subject and first line per event;
`event`: a timeline's label; `status`, `priority`; `report`: the SLA report) and `msgid` is
the text's key. The `.mo` files are compiled at bundle time (`make texts`, and `deploy.sh`);
a checkout that has not compiled them yet reads the `.po` files directly. Placeholders are
Python's `{name}`. The workflow is in the README ("Texts and languages").
"""

from __future__ import annotations

import functools
import gettext
from pathlib import Path

LOCALES = ("pt-BR", "es", "en")
DEFAULT = "pt-BR"
DOMAIN = "helpdesk"
DIRECTORY = Path(__file__).parent / "locales"
CONTEXTS = ("ui", "subject", "intro", "event", "status", "priority", "report")


def folder(locale: str) -> str:
    """gettext's name of a language's folder (pt_BR)."""
    return locale.replace("-", "_")


@functools.cache
def _catalogue(locale: str) -> dict[tuple[str, str], str]:
    """(context, key) -> text of one language."""
    path = DIRECTORY / folder(locale) / "LC_MESSAGES"
    compiled, source = path / f"{DOMAIN}.mo", path / f"{DOMAIN}.po"
    if compiled.exists() and (
        not source.exists() or compiled.stat().st_mtime >= source.stat().st_mtime
    ):
        with compiled.open("rb") as stream:
            found = gettext.GNUTranslations(stream)._catalog  # the plain mapping
        entries = {}
        for msgid, text in found.items():
            if isinstance(msgid, str) and "\x04" in msgid and text:
                context, key = msgid.split("\x04", 1)
                entries[(context, key)] = text
        return entries
    from babel.messages.pofile import read_po  # not compiled yet: a fresh checkout

    with source.open("rb") as stream:
        catalogue = read_po(stream)
    return {(m.context, m.id): m.string for m in catalogue if m.id and m.string and m.context}


def text(context: str, key: str, locale: str, **values: object) -> str:
    """The text `key` of `context` in `locale` (pt-BR when that language lacks it), with its
    `{placeholders}` filled. An unknown key is a programming error (KeyError)."""
    found = _catalogue(locale if locale in LOCALES else DEFAULT).get((context, key))
    if found is None:
        found = _catalogue(DEFAULT)[(context, key)]
    return found.format(**values) if values else found


def ui(key: str, locale: str, **values: object) -> str:
    """A text of the pages and the e-mails."""
    return text("ui", key, locale, **values)


def report(key: str, locale: str, **values: object) -> str:
    """A text of the SLA report (PDF, CSV, its e-mail)."""
    return text("report", key, locale, **values)


def N_(context: str | tuple[str, ...], *keys: str) -> tuple[str, ...]:
    """Declares keys the code uses without naming them in a call, in one context or several
    (`pybabel extract` reads them here): an event's subject, the upload script's texts."""
    return keys


def has(context: str, key: str) -> bool:
    return (context, key) in _catalogue(DEFAULT)


def keys(context: str) -> list[str]:
    """Every key of a context, in the catalogue's order."""
    return [key for ctx, key in _catalogue(DEFAULT) if ctx == context]


def negotiate(accept_language: str | None) -> str:
    """The best of pt-BR, es and en for an Accept-Language header (pt-BR by default)."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("es"):
            return "es"
        if tag.startswith("en"):
            return "en"
        if tag.startswith("pt"):
            return "pt-BR"
    return DEFAULT
