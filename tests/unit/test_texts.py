"""The one catalogue of texts: every text in pt-BR, es and en with the same placeholders, and
the .po files (and messages.pot) up to date with the keys the code and templates use."""

from __future__ import annotations

import re
import subprocess
import sys

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from shared import texts
from tools.stack import ROOT

PLACEHOLDER = re.compile(r"{(\w+)}")


def catalogue(locale: str):
    path = texts.DIRECTORY / texts.folder(locale) / "LC_MESSAGES" / "helpdesk.po"
    with path.open("rb") as stream:
        return read_po(stream)


def entries(catalog) -> dict[tuple[str, str], str]:
    return {(m.context, m.id): m.string for m in catalog if m.id}


def used_by_the_code() -> set[tuple[str, str]]:
    with (ROOT / "babel.cfg").open() as stream:
        method_map, options_map = parse_mapping_cfg(stream, "babel.cfg")
    found = set()
    for _, _, message, _, context in extract_from_dir(
        str(ROOT / "shared"), method_map, options_map
    ):
        found.add((context, message))
    return found


def test_every_text_is_in_every_language_with_the_same_placeholders():
    source = entries(catalogue("pt-BR"))
    assert len(source) > 300
    for locale in ("es", "en"):
        translated = entries(catalogue(locale))
        assert set(translated) == set(source), locale
        for key, string in translated.items():
            assert string.strip(), (locale, key)
            assert set(PLACEHOLDER.findall(string)) == set(PLACEHOLDER.findall(source[key])), (
                locale,
                key,
            )
        assert not [m.id for m in catalogue(locale) if m.fuzzy and m.id], locale


def test_the_catalogues_hold_exactly_the_texts_the_code_uses():
    used = used_by_the_code()
    held = set(entries(catalogue("pt-BR")))
    assert used - held == set(), "used by the code, missing from the .po files"
    assert held - used == set(), "in the .po files, used nowhere (remove them)"


def test_messages_pot_is_what_pybabel_extract_writes_today(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            *(sys.executable, "-m", "babel.messages.frontend", "-q", "extract"),
            *("-F", "babel.cfg", "--omit-header", "--no-location", "--sort-output"),
            *("-o", str(fresh), "shared"),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    committed = (texts.DIRECTORY.parent / "messages.pot").read_text()
    assert fresh.read_text() == committed, "run `make texts-update` and commit messages.pot"


def test_a_text_missing_in_a_language_falls_back_to_portuguese_and_fills_placeholders():
    assert texts.ui("hello", "es", name="Ana") == "Hola, Ana"
    assert texts.text("subject", "created", "en", title="CNC") == "We received your ticket: CNC"
    assert texts.ui("hello", "fr", name="Ana") == texts.ui("hello", "pt-BR", name="Ana")


def test_what_the_functions_read_is_what_the_po_files_say():
    """The functions read the .mo compiled at bundle time (or the .po before it is): the same
    texts either way."""
    for locale in texts.LOCALES:
        for (context, key), string in entries(catalogue(locale)).items():
            assert texts._catalogue(locale)[(context, key)] == string
