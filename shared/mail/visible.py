"""What a person wrote in a reply: the new text, without the quoted history, the client's
"On ... wrote:" line and the signature.

quotequail (Close's library) splits a text or HTML body into what is shown and what is quoted
(Gmail's, Apple Mail's and Thunderbird's quotes, Outlook's header block in many languages). On
top of it: the help desk's own "reply above this line" marker, in any of its languages, cuts
whatever a client left unquoted below it, and the attribution and signature lines clients add
in Portuguese, Spanish and English are taken off the end.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import quotequail

# The line every notification carries above its text (shared/texts: mail.reply_marker).
MARKERS = (
    "Responda acima desta linha",
    "Responda por encima de esta línea",
    "Reply above this line",
)
_MARKER = re.compile("|".join(re.escape(m) for m in MARKERS), re.IGNORECASE)

# What clients put between the reply and the quote, or below the reply.
_ATTRIBUTION = re.compile(
    r"^\s*(?:>\s*)?(?:"
    r"On\b.*\bwrote:?|Em\b.*\bescreveu:?|El\b.*\bescribi[oó]:?"
    r"|.*<[^>]+@[^>]+>\s*(?:wrote|escreveu|escribi[oó]):?"
    r")\s*$",
    re.IGNORECASE,
)
_OUTLOOK_HEADER = re.compile(
    r"^\s*\*?(?:From|De|Von)\s*:\*?\s.+$", re.IGNORECASE
)  # followed by Sent/Enviado/Enviada/Date/Data/Fecha
_OUTLOOK_NEXT = re.compile(
    r"^\s*\*?(?:Sent|Enviado|Enviada|Date|Data|Fecha|To|Para|Subject|Assunto|Asunto)\s*:",
    re.IGNORECASE,
)
_SIGNATURE_LINES = re.compile(
    r"^\s*(?:--\s*|__+|"
    r"(?:Sent|Enviado|Enviada)\s+(?:from|do|da|desde)\s+(?:my|meu|minha|mi)\b.*|"
    r"(?:Get|Obter|Obtener|Baixe|Descargar)\s+(?:o\s+)?Outlook\b.*"
    r")\s*$",
    re.IGNORECASE,
)
_QUOTE_RULE = re.compile(r"^[-_]{5,}.*$")

_BLOCKS = frozenset(
    {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr", "table"}
)


def visible_text(text: str | None, html: str | None) -> str:
    """The new text of a reply, from its plain-text body, or from its HTML when it has none."""
    if text and text.strip():
        shown = _shown_text(text)
    elif html and html.strip():
        shown = _shown_html(html)
    else:
        return ""
    return _tidy(_cut(shown))


def _shown_text(text: str) -> str:
    parts = quotequail.quote(text.replace("\r\n", "\n"))
    return "\n".join(part for show, part in _leading(parts))


def _shown_html(html: str) -> str:
    parts = quotequail.quote_html(html)
    return "\n".join(html_to_text(part) for show, part in _leading(parts))


def _leading(parts: list[tuple[bool, str]]) -> list[tuple[bool, str]]:
    """The shown parts up to the first quoted one (a reply written inline below a quote
    keeps only what is above it)."""
    kept = []
    for show, part in parts:
        if not show:
            break
        kept.append((show, part))
    return kept


def _cut(text: str) -> str:
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if _MARKER.search(line):
            lines = lines[:index]
            break
    for index, line in enumerate(lines):
        if line.lstrip().startswith(">"):
            lines = lines[:index]
            break
        if _OUTLOOK_HEADER.match(line) and any(
            _OUTLOOK_NEXT.match(following) for following in lines[index + 1 : index + 4]
        ):
            lines = lines[:index]
            break
        if _QUOTE_RULE.match(line) and index + 1 < len(lines) and _mentions_header(lines[index:]):
            lines = lines[:index]
            break
    # "Em ter., 1 de dez. ... escreveu:" may be folded over up to three lines
    while lines and not lines[-1].strip():
        lines.pop()
    for folded in (1, 2, 3):
        if len(lines) >= folded and _ATTRIBUTION.match(" ".join(lines[-folded:])):
            del lines[-folded:]
            break
    for index, line in enumerate(lines):
        if _SIGNATURE_LINES.match(line):
            lines = lines[:index]
            break
    return "\n".join(lines)


def _mentions_header(lines: list[str]) -> bool:
    return any(_OUTLOOK_HEADER.match(line) for line in lines[1:4])


def _tidy(text: str) -> str:
    """Trailing spaces off, at most one empty line in a row, none at either end."""
    lines = [line.rstrip() for line in text.replace("\xa0", " ").split("\n")]
    kept: list[str] = []
    for line in lines:
        if not line and (not kept or not kept[-1]):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr"})
_HIDDEN = frozenset({"style", "script", "head", "title"})


def _is_signature(attrs: list[tuple[str, str | None]]) -> bool:
    """Outlook's and Gmail's signature blocks, which carry no marker in their text."""
    found = dict(attrs)
    classes = (found.get("class") or "").split()
    return found.get("id") in ("Signature", "divtagdefaultwrapper-signature") or (
        "gmail_signature" in classes
    )


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipped = 0  # open elements inside a hidden one

    def handle_starttag(self, tag, attrs):
        if self._skipped:
            if tag not in _VOID:
                self._skipped += 1
        elif tag in _HIDDEN or (tag not in _VOID and _is_signature(attrs)):
            self._skipped = 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if self._skipped:
            if tag not in _VOID:
                self._skipped -= 1
        elif tag in _BLOCKS and tag != "br":
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skipped:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_to_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    return "\n".join(line.strip() for line in text.split("\n"))
