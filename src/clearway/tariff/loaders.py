"""Parse rate and exchange-rate files into tariff values. Pure: text or rows in, values and problems out.

**The official KCS rate file** — data.go.kr 15051179 「관세청_품목번호별 관세율표」 (KOGL Type 1), released as
an .xlsx (e.g. ``관세청_품목번호별 관세율표_20260211.xlsx``) and as CSV. Assumed header names (Korean, as in
that dataset; English aliases accepted):

=================  =========================================  ===================================
column             header names accepted                      read as
=================  =========================================  ===================================
commodity code     품목번호, HS부호, HSK, hsk                   10 digits (leading zeros restored)
rate code          관세율구분, 세율구분, rate_code              A, C, FUS1, P3 ...
ad valorem rate    관세율, 세율, ad_valorem_rate               percent; blank = none
per-unit amount    단위당세액, 단위당 세액, specific_amount      KRW per unit; blank or 0 = none
reference price    기준가격, reference_price                   kept; > 0 makes the row conditional
country type       적용국가구분, 국가구분, country_type         kept; "2" makes the row conditional
use type           용도구분, use_type                          kept; the rate applies to that use only
start date         적용개시일자, 적용시작일자, start_date        YYYYMMDD or YYYY-MM-DD
end date           적용만료일자, 적용종료일자, end_date          YYYYMMDD; 99991231 or blank = open
unit (optional)    단위, 단위코드, unit                          unit of the per-unit amount
=================  =========================================  ===================================

The dataset does not state the unit of 단위당세액; Korean specific duties are almost all per kilogram, so it
is read as KRW/KGM unless a unit column is present (or the loader is given another default). A row with both a
rate and a per-unit amount is read as "whichever is the greater" (선택세), the form the Korean schedule uses.
Duplicate rows (the workbook repeats rows across sheets) are loaded once.

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

from clearway.reference.codes import units
from clearway.tariff.exchange import ExchangeRate, week_of
from clearway.tariff.measures import (
    ERGA_OMNES,
    Combination,
    ComponentKind,
    DutyExpression,
    Measure,
    MeasureComponent,
)
from clearway.tariff.xlsx import iter_sheets

KCS_HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("품목번호", "hs부호", "hsk", "hs10", "hs_code", "commodity_code"),
    "rate_code": ("관세율구분", "세율구분", "관세율구분코드", "rate_code"),
    "ad_valorem": ("관세율", "세율", "ad_valorem_rate", "ad_valorem_pct"),
    "specific": ("단위당세액", "단위당 세액", "specific_amount", "per_unit_amount"),
    "reference_price": ("기준가격", "reference_price"),
    "country_type": ("적용국가구분", "국가구분", "country_type"),
    "use_type": ("용도구분", "use_type"),
    "start": ("적용개시일자", "적용시작일자", "개시일자", "start_date", "valid_from"),
    "end": ("적용만료일자", "적용종료일자", "만료일자", "end_date", "valid_to"),
    "unit": ("단위", "단위코드", "unit"),
}
KCS_REQUIRED = ("code", "rate_code", "ad_valorem", "start")

FX_HEADERS: dict[str, tuple[str, ...]] = {
    "currency": ("통화코드", "통화부호", "통화", "currency"),
    "rate": ("과세환율", "환율", "rate", "rate_krw"),
    "start": ("적용개시일자", "적용시작일", "적용시작일자", "적용일자", "valid_from", "week_start"),
    "end": ("적용종료일자", "적용만료일자", "valid_to"),
    "per": ("단위", "per"),
}
FX_REQUIRED = ("currency", "rate", "start")

OPEN_END = {"99991231", "9999-12-31", ""}
REMEDY_CODES = ("I", "M", "J", "K", "T")


class FileProblem(ValueError):
    """The file as a whole cannot be read (no header, unknown format)."""


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
def read_table(path: Path) -> Iterator[list[str]]:
    """All rows of a CSV (UTF-8 or CP949) or .xlsx file (every sheet, one after another)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        for _, rows in iter_sheets(path):
            yield from rows
        return
    if suffix not in (".csv", ".txt", ".tsv"):
        raise FileProblem(f"{path.name}: expected a .csv or .xlsx file")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp949")  # data.go.kr CSVs are often in EUC-KR/CP949
    dialect = "excel-tab" if suffix == ".tsv" else "excel"
    yield from csv.reader(io.StringIO(text), dialect=dialect)


def _normal(header: str) -> str:
    return header.strip().lstrip("\ufeff").lower().replace(" ", "")


def header_map(row: list[str], spec: dict[str, tuple[str, ...]]) -> dict[str, int]:
    names = [_normal(c) for c in row]
    found: dict[str, int] = {}
    for key, aliases in spec.items():
        for alias in aliases:
            a = _normal(alias)
            if a in names:
                found[key] = names.index(a)
                break
    return found


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


# ---- the KCS rate file ---------------------------------------------------------------------------------
def parse_kcs_rates(
    rows: Iterable[list[str]], *, source: str, default_unit: str = "KGM", demo: bool = False
) -> tuple[list[Measure], LoadReport]:
    report = LoadReport()
    seen: set[tuple[object, ...]] = set()
    measures: list[Measure] = []
    known_units = units()
    for number, columns, row in _with_header(rows, KCS_HEADERS, KCS_REQUIRED, "the KCS rate file"):
        report.rows_read += 1
        try:
            measure = _kcs_measure(row, columns, source, default_unit, known_units, demo)
        except ValueError as exc:
            report.skipped.append((number, str(exc)))
            continue
        key = (measure.commodity_code, measure.rate_code, measure.valid_from, measure.valid_to, measure.expression,
               measure.country_type, measure.use_type, measure.reference_price)
        if key in seen:
            report.duplicates += 1
            continue
        seen.add(key)
        measures.append(measure)
        report.rate_codes[measure.rate_code] += 1
    report.loaded = len(measures)
    return measures, report


def _kcs_measure(
    row: list[str], columns: dict[str, int], source: str, default_unit: str, known_units: dict, demo: bool
) -> Measure:
    code = _cell(row, columns, "code").replace(".", "").replace("-", "")
    if code.isdigit() and len(code) == 9:  # a spreadsheet number that lost its leading zero (chapters 01-09)
        code = code.zfill(10)
    if len(code) != 10 or not code.isdigit():
        raise ValueError(f"'{code}' is not a 10-digit HSK code")
    rate_code = _cell(row, columns, "rate_code").upper()
    if not rate_code:
        raise ValueError("no rate code (관세율구분)")
    adval = parse_decimal(_cell(row, columns, "ad_valorem"))
    specific = parse_decimal(_cell(row, columns, "specific"))
    if adval is not None and adval < 0 or specific is not None and specific < 0:
        raise ValueError("negative rate")
    unit = _cell(row, columns, "unit").upper() or default_unit
    if specific and unit not in known_units:
        raise ValueError(f"unit '{unit}' of the per-unit amount is not a known UN/ECE Rec 20 unit")
    components: list[MeasureComponent] = []
    if adval is not None:
        components.append(MeasureComponent(ComponentKind.AD_VALOREM, adval))
    if specific:
        components.append(MeasureComponent(ComponentKind.SPECIFIC, specific, "KRW", unit))
    if not components:
        raise ValueError("neither a rate (관세율) nor a per-unit amount (단위당세액)")
    combination = Combination.GREATER_OF if len(components) == 2 else Combination.SINGLE
    start = parse_date(_cell(row, columns, "start"))
    if start is None:
        raise ValueError("no start date (적용개시일자)")
    end = parse_date(_cell(row, columns, "end"))
    if end is not None and end < start:
        raise ValueError(f"end date {end} before start date {start}")
    reference_price = parse_decimal(_cell(row, columns, "reference_price"))
    country_type = _cell(row, columns, "country_type") or None
    use_type = _cell(row, columns, "use_type") or None
    if use_type in ("0", "00"):
        use_type = None
    conditional = country_type == "2" or bool(reference_price and reference_price > 0)
    return Measure(
        commodity_code=code,
        rate_code=rate_code,
        expression=DutyExpression(tuple(components), combination),
        valid_from=start,
        valid_to=end,
        reference_price=reference_price or None,
        country_type=country_type,
        use_type=use_type,
        conditional=conditional,
        source=source,
        demo=demo,
    )


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


def _fx_row(row: list[str], columns: dict[str, int], source: str, demo: bool, report: LoadReport,
            number: int) -> ExchangeRate:
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
        report.warnings.append(f"row {number}: {start} is not a Sunday; the rate is stored for the week from "
                               f"{week_start} (과세환율 weeks run Sunday to Saturday)")
    end_text = _cell(row, columns, "end")
    end = parse_date(end_text) if end_text else week_end
    if end is None or end < week_start:
        raise ValueError("the last day of validity is missing or before the first")
    return ExchangeRate(currency, rate, week_start, end, per, source, demo)


def weekly_rates(currency: str, rate: Decimal, first_sunday: date, weeks: int, *, per: int = 1, source: str,
                 demo: bool) -> list[ExchangeRate]:
    """The same rate for consecutive weeks (used for demo data)."""
    start, _ = week_of(first_sunday)
    return [
        ExchangeRate(currency, rate, start + timedelta(weeks=i), start + timedelta(weeks=i, days=6), per, source,
                     demo)
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
            expression = DutyExpression.greater_of(row["ad_valorem_pct"], row["specific_krw"],
                                                    "KGM" if row["specific_per"] == "kg" else "MTR")
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
