"""The words a ticket is found by: accents folded, numbers as typed, addresses whole and in
parts, common short words left out."""

from shared.domain.keywords import fold, words_of


def test_accents_and_case_are_folded():
    assert fold("Máquina PARADA, não ligação") == "maquina parada, nao ligacao"


def test_words_keep_tags_addresses_and_numbers_and_drop_common_ones():
    words = words_of("CNC-01 parou com o alarme 2001; ver carlos.mendes@metalvale.com.br")
    assert "cnc-01" in words
    assert "cnc" in words
    assert "2001" in words
    assert "carlos.mendes@metalvale.com.br" in words
    assert "mendes" in words
    assert "com" not in words  # too common to find anything by
    assert "o" not in words
