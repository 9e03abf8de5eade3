"""CSV as spreadsheets read it in the manager's language: a pt-BR or es Excel expects `;`
between cells and `,` before decimals, an en one `,` and `.`. Amounts are numbers with their
currency in a column of its own; times are to the second, in the organisation's time zone,
in a form every spreadsheet reads as a date and time."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class CsvDialect:
    separator: str
    decimal_mark: str


DIALECTS = {"pt-BR": CsvDialect(";", ","), "es": CsvDialect(";", ","), "en": CsvDialect(",", ".")}


def dialect_for(locale: str | None) -> CsvDialect:
    return DIALECTS.get(locale or "pt-BR", DIALECTS["pt-BR"])


def spreadsheet_time(zone: ZoneInfo):
    """A formatter of instants: 2026-11-27 14:03:12 in `zone`."""

    def when(instant: datetime | None) -> str | None:
        return instant.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S") if instant else None

    return when


def cents(value: int) -> Decimal:
    return Decimal(value) / 100


def money_columns(prefix: str, by_currency: dict[str, int], main: str) -> dict[str, object]:
    """`<prefix>` (a number), `<prefix>_currency`, and `<prefix>_other` for the rare ticket
    with amounts in a second currency ("USD 120.00", which no sum should take)."""
    if not by_currency:
        return {prefix: None, f"{prefix}_currency": None, f"{prefix}_other": None}
    first = main if main in by_currency else sorted(by_currency)[0]
    others = [f"{code} {cents(v):.2f}" for code, v in sorted(by_currency.items()) if code != first]
    return {
        prefix: cents(by_currency[first]),
        f"{prefix}_currency": first,
        f"{prefix}_other": "; ".join(others) or None,
    }


def csv_lines(
    columns: tuple[str, ...],
    rows: Iterable[dict],
    dialect: CsvDialect,
    headers: dict[str, str] | None = None,
) -> Iterator[str]:
    """UTF-8 with a byte-order mark (spreadsheets read the accents right), streamed; the first
    line names the columns (`headers`: in the reader's words, else their keys)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=columns, delimiter=dialect.separator, lineterminator="\r\n"
    )
    if headers:
        writer.writerow({key: _cell(headers[key], dialect) for key in columns})
    else:
        writer.writeheader()
    yield "\ufeff" + buffer.getvalue()
    for item in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow({key: _cell(value, dialect) for key, value in item.items()})
        yield buffer.getvalue()


def csv_text(columns: tuple[str, ...], rows: Iterable[dict], dialect: CsvDialect) -> str:
    return "".join(csv_lines(columns, rows, dialect))


def _cell(value: object, dialect: CsvDialect) -> object:
    if isinstance(value, Decimal | float):
        return f"{value:.2f}".replace(".", dialect.decimal_mark)
    return safe_cell(value)


def safe_cell(value: object) -> object:
    """Keep a title like "=HYPERLINK(...)" from running as a formula in a spreadsheet."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
