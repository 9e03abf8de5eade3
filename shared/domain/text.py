"""Text people typed, made safe to show and to send: one line for titles and names, paragraphs
for descriptions and responses.

A line break in a title would end an e-mail's Subject header; bidirectional overrides can make
a title read differently from what it says; U+2028 and U+2029 are line breaks most code does
not expect. Text is normalised once, where it enters the help desk.
"""

from __future__ import annotations

import re
import unicodedata

# Bidirectional embeddings, overrides and isolates: shown, they reorder the text around them.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def _is_break(char: str) -> bool:
    return char in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def _dropped(char: str) -> bool:
    """Controls, bidi overrides, surrogates and unassigned code points (not joiners, which
    build emoji and some scripts)."""
    if char in _BIDI_CONTROLS:
        return True
    category = unicodedata.category(char)
    return category in ("Cc", "Cs", "Co", "Cn") or (category == "Cf" and char == "\ufeff")


def one_line(text: str) -> str:
    """A title or a name: every break and control becomes a space, spaces are collapsed."""
    cleaned = []
    for char in text:
        if _is_break(char) or char == "\t":
            cleaned.append(" ")
        elif not _dropped(char):
            cleaned.append(char)
    return _SPACES.sub(" ", "".join(cleaned)).strip()


def paragraphs(text: str) -> str:
    """A description or a response: lines kept (any break becomes a newline), controls dropped,
    runs of blank lines shortened to one."""
    text = text.replace("\r\n", "\n")
    cleaned = []
    for char in text:
        if _is_break(char):
            cleaned.append("\n")
        elif char == "\t":
            cleaned.append(" ")
        elif not _dropped(char):
            cleaned.append(char)
    lines = [line.rstrip() for line in "".join(cleaned).split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
