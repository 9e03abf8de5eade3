"""Amounts as people type them on a phone, in their language."""

from decimal import Decimal

import pytest

from shared.actions.inputs import amount
from shared.errors import InvalidInput


@pytest.mark.parametrize(
    ("typed", "locale", "expected"),
    [
        ("1.340,90", "pt-BR", "1340.90"),
        ("1340,90", "pt-BR", "1340.90"),
        ("R$ 1.340,90", "pt-BR", "1340.90"),
        ("1.250", "pt-BR", "1250"),  # a thousands point, to a Brazilian
        ("1.250", "en", "1.250"),  # a decimal point, to an English reader
        ("1,250", "en", "1250"),
        ("1,25", "pt-BR", "1.25"),
        ("1.234.567,89", "es", "1234567.89"),
        ("1,234,567.89", "en", "1234567.89"),
        ("2,5", "pt-BR", "2.5"),
        ("85", "pt-BR", "85"),
        ("1.234.567", "pt-BR", "1234567"),
        ("12.345,6", "pt-BR", "12345.6"),
    ],
)
def test_amounts_read_as_their_writer_means_them(typed, locale, expected):
    assert amount({"amount": typed}, "amount", locale) == Decimal(expected)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("abc", "bad_amount"),
        ("1e9", "bad_amount"),
        ("NaN", "bad_amount"),
        ("", "bad_amount"),
        ("-10", "negative_amount"),
        ("1.2.3,4,5", "bad_amount"),
        ("12,34,5", "bad_amount"),  # a typo, not twelve thousand three hundred and forty-five
        ("1.2.3", "bad_amount"),
        ("12.34.567,00", "bad_amount"),
        ("1,2.30", "bad_amount"),
        ("9" * 13, "bad_amount"),
    ],
)
def test_what_is_not_an_amount_is_refused_by_name(typed, key):
    with pytest.raises(InvalidInput) as refused:
        amount({"amount": typed}, "amount")
    assert refused.value.reason == key
    assert refused.value.values["value"] == typed[:40]
