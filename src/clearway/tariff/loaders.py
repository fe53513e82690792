"""Read rate and exchange-rate files: tables from CSV or workbooks, and the exchange-rate rows.

**The official KCS rate file** is read by :mod:`clearway.tariff.kcs_file` (its layout and columns are
described there); this module opens the file: CSV (UTF-8 or CP949) or a workbook (.xlsx, .xls, .ods, read with
python-calamine), and picks the sheet.

**Exchange-rate files** (과세환율): CSV or .xlsx with currency (통화코드, 통화부호, currency), rate in KRW
(과세환율, 환율, rate, rate_krw), first day (적용개시일자, 적용시작일, 적용일자, valid_from, week_start),
optionally last day (적용종료일자, valid_to) and units quoted (단위, per; "JPY(100)" also means per 100).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from clearway.tariff.exchange import ExchangeRate, week_of
from clearway.tariff.kcs_file import (
    KCS_HEADERS,
    KCS_REQUIRED,
    FileProblem,
    choose_sheet,
    find_header,
    header_map,
    text_of,
)
from clearway.tariff.measures import ERGA_OMNES, DutyExpression, Measure

FX_HEADERS: dict[str, tuple[str, ...]] = {
    "currency": ("통화코드", "통화부호", "통화", "currency"),
    "rate": ("과세환율", "환율", "rate", "rate_krw"),
    "start": ("적용개시일자", "적용시작일", "적용시작일자", "적용일자", "valid_from", "week_start"),
    "end": ("적용종료일자", "적용만료일자", "valid_to"),
    "per": ("단위", "per"),
}
FX_REQUIRED = ("currency", "rate", "start")

OPEN_END = {"99991231", "9999-12-31", ""}
WORKBOOKS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
TEXT_FILES = (".csv", ".txt", ".tsv")

__all__ = ["FileProblem", "KcsSheet", "LoadReport", "kcs_sheet", "parse_exchange_rates", "read_table"]


@dataclass
class LoadReport:
    rows_read: int = 0
    loaded: int = 0
    duplicates: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row number, reason)
    rate_codes: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "rows_read": self.rows_read,
            "loaded": self.loaded,
            "duplicates": self.duplicates,
            "skipped": len(self.skipped),
            "skipped_examples": [{"row": r, "reason": m} for r, m in self.skipped[:20]],
            "rate_codes": dict(self.rate_codes.most_common()),
            "warnings": self.warnings,
        }


# ---- reading tables ------------------------------------------------------------------------------------
def _workbook(path: Path) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise FileProblem(f"{path.name}: the workbook cannot be read ({exc}); is it complete?") from None


def _csv_rows(path: Path) -> Iterator[list[str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp949")  # data.go.kr CSVs are often in EUC-KR/CP949
    dialect = "excel-tab" if path.suffix.lower() == ".tsv" else "excel"
    yield from csv.reader(io.StringIO(text), dialect=dialect)


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in WORKBOOKS:
        return "workbook"
    if suffix in TEXT_FILES:
        return "text"
    raise FileProblem(f"{path.name}: expected a .csv or .xlsx file")


def read_table(path: Path) -> Iterator[list[str]]:
    """All rows of a CSV (UTF-8 or CP949) or workbook (every sheet, one after another), as text."""
    if _kind(path) == "text":
        yield from _csv_rows(path)
        return
    workbook = _workbook(path)
    for name in workbook.sheet_names:
        for row in _sheet_rows(workbook, name):
            yield [text_of(c) for c in row]


def _sheet_rows(workbook: CalamineWorkbook, name: str) -> Iterator[list[Any]]:
    try:
        yield from workbook.get_sheet_by_name(name).iter_rows()
    except CalamineError as exc:
        raise FileProblem(f"sheet '{name}' cannot be read ({exc}); is the file complete?") from None


@dataclass
class KcsSheet:
    """The sheet of the KCS rate file to load: its data rows (streamed), columns and how it was chosen."""

    name: str | None
    why: str
    ignored: list[str]
    columns: dict[str, int]
    header: list[Any]
    first_row: int  # number of the first data row
    rows: Iterator[list[Any]]


def kcs_sheet(path: Path, sheet: str | None = None) -> KcsSheet:
    """Open the rate file and position it after the header of the sheet to load (one sheet; see kcs_file)."""
    names = "품목번호, 관세율구분, 관세율, 적용개시일"
    if _kind(path) == "text":
        rows = _csv_rows(path)
        found = find_header(rows, KCS_HEADERS, KCS_REQUIRED)
        if found is None:
            raise FileProblem(f"no header row found for the KCS rate file: expected columns {names}")
        number, columns, header = found
        return KcsSheet(None, "a CSV file has one table", [], columns, header, number + 1, rows)
    workbook = _workbook(path)
    order, why = choose_sheet(list(workbook.sheet_names), sheet)
    for name in order:
        rows = _sheet_rows(workbook, name)
        found = find_header(rows, KCS_HEADERS, KCS_REQUIRED)
        if found is not None:
            number, columns, header = found
            ignored = [n for n in workbook.sheet_names if n != name]
            return KcsSheet(name, why, ignored, columns, header, number + 1, rows)
    raise FileProblem(f"no sheet has a header row for the KCS rate file: expected columns {names}")


def _with_header(
    rows: Iterable[list[str]], spec: dict[str, tuple[str, ...]], required: tuple[str, ...], what: str
) -> Iterator[tuple[int, dict[str, int], list[str]]]:
    """Rows after a header row (a new header row — e.g. the next sheet's — is recognised again)."""
    columns: dict[str, int] | None = None
    for number, row in enumerate(rows, start=1):
        if not any(c.strip() for c in row):
            continue
        candidate = header_map(row, spec)
        if all(k in candidate for k in required):
            columns = candidate
            continue
        if columns is None:
            if number > 20:
                break
            continue
        yield number, columns, row
    if columns is None:
        names = ", ".join(spec[k][0] for k in required)
        raise FileProblem(f"no header row found for {what}: expected columns {names}")


def _cell(row: list[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    if index is None or index >= len(row):
        return ""
    return (row[index] or "").strip()


def parse_date(text: str) -> date | None:
    text = text.strip()
    if text in OPEN_END:
        return None
    digits = text.replace("-", "").replace(".", "").replace("/", "")
    if len(digits) != 8 or not digits.isdigit():
        raise ValueError(f"'{text}' is not a date (YYYYMMDD)")
    if digits == "99991231":
        return None
    return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))


def parse_decimal(text: str) -> Decimal | None:
    text = text.strip().replace(",", "")
    if text in ("", "-"):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"'{text}' is not a number") from None
    if not value.is_finite():
        raise ValueError(f"'{text}' is not a number")
    return value


# ---- exchange rates ------------------------------------------------------------------------------------
def parse_exchange_rates(
    rows: Iterable[list[str]], *, source: str, demo: bool = False
) -> tuple[list[ExchangeRate], LoadReport]:
    report = LoadReport()
    rates: dict[tuple[str, date], ExchangeRate] = {}
    for number, columns, row in _with_header(rows, FX_HEADERS, FX_REQUIRED, "the exchange-rate file"):
        report.rows_read += 1
        try:
            rate = _fx_row(row, columns, source, demo, report, number)
        except ValueError as exc:
            report.skipped.append((number, str(exc)))
            continue
        key = (rate.currency, rate.valid_from)
        if key in rates:
            report.duplicates += 1
        rates[key] = rate
        report.rate_codes[rate.currency] += 1
    report.loaded = len(rates)
    return list(rates.values()), report


def _fx_row(
    row: list[str], columns: dict[str, int], source: str, demo: bool, report: LoadReport, number: int
) -> ExchangeRate:
    raw_currency = _cell(row, columns, "currency").upper().replace(" ", "")
    per_text = _cell(row, columns, "per")
    per = 1
    if "(100)" in raw_currency or raw_currency.endswith("100"):
        per = 100
    currency = raw_currency.replace("(100)", "")[:3]
    if len(currency) != 3 or not currency.isalpha():
        raise ValueError(f"'{raw_currency}' is not an ISO 4217 currency code")
    if per_text:
        per_value = parse_decimal(per_text)
        if per_value is None or per_value <= 0 or per_value != per_value.to_integral_value():
            raise ValueError(f"'{per_text}' is not a whole number of units")
        per = int(per_value)
    rate = parse_decimal(_cell(row, columns, "rate"))
    if rate is None or rate <= 0:
        raise ValueError("the rate must be a positive number of won")
    start = parse_date(_cell(row, columns, "start"))
    if start is None:
        raise ValueError("no first day of validity")
    week_start, week_end = week_of(start)
    if week_start != start:
        report.warnings.append(
            f"row {number}: {start} is not a Sunday; the rate is stored for the week from "
            f"{week_start} (과세환율 weeks run Sunday to Saturday)"
        )
    end_text = _cell(row, columns, "end")
    end = parse_date(end_text) if end_text else week_end
    if end is None or end < week_start:
        raise ValueError("the last day of validity is missing or before the first")
    return ExchangeRate(currency, rate, week_start, end, per, source, demo)


def weekly_rates(
    currency: str, rate: Decimal, first_sunday: date, weeks: int, *, per: int = 1, source: str, demo: bool
) -> list[ExchangeRate]:
    """The same rate for consecutive weeks (used for demo data)."""
    start, _ = week_of(first_sunday)
    return [
        ExchangeRate(
            currency, rate, start + timedelta(weeks=i), start + timedelta(weeks=i, days=6), per, source, demo
        )
        for i in range(weeks)
    ]


# ---- the bundled real data -----------------------------------------------------------------------------
def parse_quota_p3(text: str, *, source: str) -> list[Measure]:
    """KCSTARIFF ``quota_p3_periods.csv``: year,hs10,valid_from,valid_to,adval → P3 measures, every origin."""
    measures = []
    for row in csv.DictReader(io.StringIO(text)):
        measures.append(
            Measure(
                commodity_code=row["hs10"],
                rate_code="P3",
                expression=DutyExpression.ad_valorem(Decimal(row["adval"])),
                valid_from=date.fromisoformat(row["valid_from"]),
                valid_to=date.fromisoformat(row["valid_to"]),
                geo_area=ERGA_OMNES,
                source=source,
            )
        )
    return measures


VKFTA_IN_FORCE = date(2015, 12, 20)
VKFTA_REFERENCE_CODE = "REF-VKFTA-BASE"


def parse_vkfta_sample(text: str, *, source: str) -> list[Measure]:
    """VKFTA Annex 2-A Korea schedule sample: the FTA *base* rates (HS2012), kept as reference, never applied."""
    measures = []
    for row in csv.DictReader(io.StringIO(text)):
        kind = row["duty_kind"]
        if kind == "excluded":
            continue
        if kind == "alternative":
            expression = DutyExpression.greater_of(
                row["ad_valorem_pct"], row["specific_krw"], "KGM" if row["specific_per"] == "kg" else "MTR"
            )
        else:
            expression = DutyExpression.ad_valorem(row["ad_valorem_pct"])
        note = f"VKFTA base rate, staging {row['staging_category']}"
        if row["combination"] == "unspecified":
            note += "; the schedule text does not say 'whichever is the greater'"
        measures.append(
            Measure(
                commodity_code=row["hs10"],
                rate_code=VKFTA_REFERENCE_CODE,
                expression=expression,
                valid_from=VKFTA_IN_FORCE,
                geo_area="VN",
                conditional=True,
                source=source,
                description=note,
            )
        )
    return measures
