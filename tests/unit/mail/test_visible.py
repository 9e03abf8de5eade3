"""The visible text of real reply shapes: Gmail, Outlook (web and desktop) and Apple Mail, in
pt-BR, es and en, plain text and HTML only."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.mail.visible import visible_text

REPLIES = Path(__file__).parents[2] / "fixtures" / "replies"

EXPECTED = {
    "gmail-pt-text.txt": "Oi, a máquina voltou a parar depois do almoço.\nSegue a foto do painel.",
    "gmail-pt.html": "Oi, a máquina voltou a parar depois do almoço.\nSegue a foto do painel.",
    "gmail-en-text.txt": "Checked it: the pressure drops when the press closes.",
    "outlook-pt.html": "Troquei o sensor indutivo, a linha voltou.",
    "outlook-text-pt.txt": "Segue o vídeo do barulho.",
    "outlook-desktop-en.html": "The spare part arrived; replaced the belt.",
    "apple-es-text.txt": "Ya está funcionando de nuevo, gracias.",
    "apple-es.html": "Ya está funcionando de nuevo, gracias.",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_only_what_the_person_wrote_is_kept(name):
    body = (REPLIES / name).read_text()
    found = visible_text(body, None) if name.endswith(".txt") else visible_text(None, body)
    assert found == EXPECTED[name]


def test_every_fixture_has_its_expectation():
    assert sorted(p.name for p in REPLIES.iterdir()) == sorted(EXPECTED)


def test_a_reply_written_below_an_unquoted_marker_keeps_the_text_above_it():
    body = "Pode fechar.\n\n##- Responda acima desta linha -##\nSeu chamado foi resolvido."
    assert visible_text(body, None) == "Pode fechar."


def test_paragraphs_and_lists_the_person_wrote_survive():
    body = "Fiz assim:\n\n- troquei a correia\n- ajustei a tensão\n\nAtt.\nCarlos"
    assert visible_text(body, None) == body


def test_html_only_replies_keep_their_line_breaks_and_lose_styles_and_scripts():
    html = (
        "<html><head><style>p{color:red}</style></head><body><p>Linha 1</p>"
        "<p>Linha&nbsp;2 &amp; 3</p><script>alert(1)</script></body></html>"
    )
    assert visible_text(None, html) == "Linha 1\n\nLinha 2 & 3"


def test_an_empty_reply_is_empty():
    assert visible_text("\n\n> citação\n", None) == ""
    assert visible_text(None, None) == ""
