"""The words a ticket is found by: Firestore has no full-text search, so each ticket keeps its
normalised keywords (accents folded, lower case) with its place in the lists (`work.words`),
and a search is an indexed `array-contains` on one of them.

A ticket is found by its number (as written, or its digits without the zeros: "INC-000012",
"12"), by the words of its title and description, by its asset's tag, and by its requester's
and responsible's addresses and names.
"""

from __future__ import annotations

import re
import unicodedata

from shared.domain.ticket import Ticket

MIN_LENGTH = 3
MAX_WORDS = 120
# Words too common to find anything by.
STOP = frozenset(
    {"com", "para", "por", "que", "uma", "dos", "das", "nos", "nas", "nao", "sem", "sob"}
    | {"ele", "ela", "eles", "elas", "esta", "este", "isso", "the", "and", "for", "with"}
    | {"del", "los", "las", "una", "con", "sin"}
)
_TOKEN = re.compile(r"[a-z0-9][a-z0-9@._-]*[a-z0-9]|[a-z0-9]")


def fold(text: str) -> str:
    """Lower case without accents: "Máquina" and "maquina" are one word."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words_of(text: str) -> list[str]:
    """The words a person may search by, in the order written (no duplicates)."""
    found: list[str] = []
    for token in _TOKEN.findall(fold(text)):
        parts = [token, *re.split(r"[._@-]+", token)] if re.search(r"[._@-]", token) else [token]
        for part in parts:
            long_enough = len(part) >= MIN_LENGTH or part.isdigit()
            if long_enough and part not in STOP and part not in found:
                found.append(part)
    return found


def ticket_words(ticket: Ticket) -> list[str]:
    words: list[str] = []
    if ticket.number:
        number = ticket.number.lower()
        digits = number.rsplit("-", 1)[-1].lstrip("0") or "0"
        words += [number, digits, *(w for w in words_of(number) if w not in (number, digits))]
    parties = [ticket.requester, ticket.responsible]
    people = " ".join(f"{p.email} {p.name}" for p in parties if p is not None)
    asset = f"{ticket.asset.tag} {ticket.asset.name}" if ticket.asset else ""
    for text in (ticket.title, asset, people, ticket.description):
        for word in words_of(text):
            if word not in words:
                words.append(word)
    return words[:MAX_WORDS]
