"""The official KCS rate file, read as published. Pure: cells in, measures and a report out.

data.go.kr 15051179 「관세청_품목번호별 관세율표」 (KOGL Type 1). The 2026 release ``관세율(2026).xlsx`` has
two sheets, ``1.1`` and ``2.12`` (the table as published on 1 January and on 12 February; 380,216 rows in
``2.12``), with this header (the older spelling of the last three columns is accepted too):

===============  ==========================  ==========================================================
column           header (official / older)   read as
===============  ==========================  ==========================================================
품목번호          품목번호                      HSK, 10 digits (a number that lost its leading zero is padded)
관세율구분        관세율구분                    rate code of the KCS code list (``kcs_codes``); unknown or
                                              refused codes are skipped with the reason
관세율            관세율                        percent of the customs value; blank = none
단위당세액        단위당세액                    won per unit (kilogram unless a 단위 column says otherwise);
                                              with 관세율 = "whichever is the greater" (선택세), alone =
                                              a specific duty
기준가격          기준가격                      reference price, won per the same unit: the rate applies only
                                              while the goods' price per unit is below it
적용국가구분      적용국가구분                  1 = goods of any origin; 2 = only the countries of the rate
                                              code (an FTA code's partners: ``kr_fta_rate_codes.csv``)
용도세율구분      용도세율구분 / 용도구분         when filled, the rate applies only to goods declared for it
적용개시일        적용개시일 / 적용개시일자       ``YYYYMMDD`` text, an Excel date serial or a date cell
적용만료일        적용만료일 / 적용만료일자       the same; 99991231 or blank = open-ended
===============  ==========================  ==========================================================

The sheets repeat each other, so **one sheet is read**: the latest by its name (``2.12`` after ``1.1``, the
names being month.day of publication), or the last sheet with a header when the names are not dates, or the
sheet the caller names. Rows repeated within the sheet are loaded once.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from clearway.reference.codes import units
from clearway.tariff.kcs_codes import RateCodes
from clearway.tariff.measures import Combination, ComponentKind, DutyExpression, Measure, MeasureComponent
from clearway.tariff.priority import RatePriority

KCS_HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("품목번호", "hs부호", "hsk", "hs10", "hs_code", "commodity_code"),
    "rate_code": ("관세율구분", "세율구분", "관세율구분코드", "rate_code"),
    "ad_valorem": ("관세율", "세율", "ad_valorem_rate", "ad_valorem_pct"),
    "specific": ("단위당세액", "단위당 세액", "specific_amount", "per_unit_amount"),
    "reference_price": ("기준가격", "reference_price"),
    "country_type": ("적용국가구분", "국가구분", "country_type"),
    "use_type": ("용도세율구분", "용도구분", "use_type"),
    "start": ("적용개시일", "적용개시일자", "적용시작일자", "개시일자", "start_date", "valid_from"),
    "end": ("적용만료일", "적용만료일자", "적용종료일자", "만료일자", "end_date", "valid_to"),
    "unit": ("단위", "단위코드", "unit"),
}
KCS_REQUIRED = ("code", "rate_code", "ad_valorem", "start")
OFFICIAL_SPELLING = ("용도세율구분", "적용개시일", "적용만료일")
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's 1900 date system (serial 60 is its phantom 1900-02-29)
OPEN_END = date(9999, 12, 31)
MAX_EXAMPLES = 50
_SHEET_DATE = re.compile(r"^\s*(\d{1,2})[.\-/](\d{1,2})\s*$")


class FileProblem(ValueError):
    """The file as a whole cannot be read (no header, unknown format, unreadable workbook)."""


class RowProblem(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class KcsLoadReport:
    """What a load read, kept, skipped and why: shown to the administrator and stored with the load."""

    sheet: str | None = None
    sheets_ignored: list[str] = field(default_factory=list)
    header_spelling: str = ""
    rows_read: int = 0
    loaded: int = 0
    duplicates: int = 0
    skipped_count: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # first MAX_EXAMPLES (row, reason)
    skipped_by_reason: Counter[str] = field(default_factory=Counter)
    refused_codes: Counter[str] = field(default_factory=Counter)
    rate_codes: Counter[str] = field(default_factory=Counter)  # rows loaded per rate code
    kinds: Counter[str] = field(default_factory=Counter)  # rows loaded per kind of rate (관세법 제50조)
    country_types: Counter[str] = field(default_factory=Counter)
    date_cells: Counter[str] = field(default_factory=Counter)  # text / excel_serial / date cell
    use_specific_rows: int = 0
    greater_of_rows: int = 0
    specific_rows: int = 0
    reference_price_rows: int = 0
    codes: set[str] = field(default_factory=set)
    codes_with_basic: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def codes_without_basic(self) -> list[str]:
        return sorted(self.codes - self.codes_with_basic)

    def skip(self, row: int, problem: RowProblem) -> None:
        self.skipped_count += 1
        self.skipped_by_reason[problem.code] += 1
        if len(self.skipped) < MAX_EXAMPLES:
            self.skipped.append((row, problem.message))

    def as_dict(self) -> dict[str, Any]:
        without = self.codes_without_basic
        return {
            "sheet": self.sheet,
            "sheets_ignored": self.sheets_ignored,
            "header_spelling": self.header_spelling,
            "rows_read": self.rows_read,
            "loaded": self.loaded,
            "duplicates": self.duplicates,
            "skipped": self.skipped_count,
            "skipped_by_reason": dict(self.skipped_by_reason.most_common()),
            "skipped_examples": [{"row": r, "reason": m} for r, m in self.skipped],
            "refused_rate_codes": dict(self.refused_codes.most_common()),
            "rows_per_kind": dict(self.kinds.most_common()),
            "rate_codes": dict(self.rate_codes.most_common()),
            "country_types": dict(self.country_types.most_common()),
            "date_cells": dict(self.date_cells.most_common()),
            "greater_of_rows": self.greater_of_rows,
            "specific_rows": self.specific_rows,
            "use_specific_rows": self.use_specific_rows,
            "reference_price_rows": self.reference_price_rows,
            "commodity_codes": len(self.codes),
            "codes_without_basic_rate": len(without),
            "codes_without_basic_rate_examples": without[:20],
            "warnings": self.warnings[:50],
            "seconds": round(self.seconds, 2),
        }


# ---- cells ---------------------------------------------------------------------------------------------
def _normal(header: object) -> str:
    return str(header or "").strip().lstrip("\ufeff").lower().replace(" ", "")


def header_map(row: list[Any], spec: dict[str, tuple[str, ...]]) -> dict[str, int]:
    names = [_normal(c) for c in row]
    found: dict[str, int] = {}
    for key, aliases in spec.items():
        for alias in aliases:
            a = _normal(alias)
            if a in names:
                found[key] = names.index(a)
                break
    return found


def find_header(
    rows: Iterator[list[Any]], spec: dict[str, tuple[str, ...]], required: tuple[str, ...], within: int = 20
) -> tuple[int, dict[str, int], list[Any]] | None:
    """Read up to ``within`` rows for the header row: (its row number, columns, the row) or None."""
    for number, row in enumerate(rows, start=1):
        candidate = header_map(row, spec)
        if all(k in candidate for k in required):
            return number, candidate, row
        if number >= within:
            break
    return None


def text_of(value: Any) -> str:
    """A cell as text: numbers without a spurious '.0', dates as YYYYMMDD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.strftime("%Y%m%d")
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    return str(value).strip()


def decimal_of(value: Any, what: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RowProblem("bad_number", f"{what} '{value}' is not a number")
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = str(value).strip().replace(",", "")
        if text in ("", "-"):
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise RowProblem("bad_number", f"{what} '{text}' is not a number") from None
    if not number.is_finite():
        raise RowProblem("bad_number", f"{what} '{value}' is not a number")
    if number < 0:
        raise RowProblem("negative_rate", f"{what} {value} is negative")
    return number


def date_of(value: Any, what: str, report: KcsLoadReport | None = None) -> date | None:
    """YYYYMMDD (or YYYY-MM-DD) text, an Excel serial number, or a date cell; 99991231 / blank = None."""
    kind = "text"
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        day, kind = value.date(), "date_cell"
    elif isinstance(value, date):
        day, kind = value, "date_cell"
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 19000101 <= value <= 99991231:  # YYYYMMDD typed as a number
            day = _yyyymmdd(str(int(value)), what)
            kind = "number_yyyymmdd"
        elif 1 <= value < 2958466:  # an Excel serial (up to 9999-12-31)
            day, kind = EXCEL_EPOCH + timedelta(days=int(value)), "excel_serial"
        else:
            raise RowProblem("bad_date", f"{what} '{value}' is neither a YYYYMMDD date nor an Excel date")
    else:
        text = str(value).strip()
        if not text:
            return None
        digits = text.replace("-", "").replace(".", "").replace("/", "")
        if digits.isdigit() and len(digits) == 5:  # an Excel serial that arrived as text
            day, kind = EXCEL_EPOCH + timedelta(days=int(digits)), "excel_serial"
        else:
            day = _yyyymmdd(digits, what)
    if report is not None:
        report.date_cells[kind] += 1
    return None if day == OPEN_END else day


def _yyyymmdd(digits: str, what: str) -> date:
    if len(digits) != 8 or not digits.isdigit():
        raise RowProblem("bad_date", f"{what} '{digits}' is not a date (YYYYMMDD)")
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise RowProblem("bad_date", f"{what} '{digits}' is not a calendar date") from None


# ---- sheets --------------------------------------------------------------------------------------------
def choose_sheet(names: list[str], wanted: str | None = None) -> tuple[list[str], str]:
    """The sheets to try, best first, and why: the named sheet, the latest by month.day name, or the last."""
    if wanted is not None:
        if wanted not in names:
            raise FileProblem(f"no sheet named '{wanted}' (sheets: {', '.join(names)})")
        return [wanted], "the sheet asked for"
    dated = [(int(m.group(1)), int(m.group(2)), n) for n in names if (m := _SHEET_DATE.match(n))]
    if dated and len(dated) == len(names):
        ordered = [n for _, _, n in sorted(dated, reverse=True)]
        return ordered, "the latest publication (sheets are named month.day)"
    return list(reversed(names)), "the last sheet with a header"


# ---- rows → measures -----------------------------------------------------------------------------------
@dataclass
class KcsReader:
    """Turns the data rows of one sheet into measures, counting everything in ``report``."""

    source: str
    codes: RateCodes
    priority: RatePriority
    default_unit: str = "KGM"
    demo: bool = False
    report: KcsLoadReport = field(default_factory=KcsLoadReport)
    _seen: set[int] = field(default_factory=set)
    _dates: dict[tuple[type, Any], tuple[date | None, str]] = field(default_factory=dict)
    _expressions: dict[tuple[Any, ...], DutyExpression] = field(default_factory=dict)
    _columns: dict[str, int] | None = None
    _ix: tuple[int, ...] = ()
    _width: int = 0
    _units: frozenset[str] = field(default_factory=lambda: frozenset(units()))

    def read(self, rows: Iterable[list[Any]], columns: dict[str, int], first_row: int) -> Iterator[Measure]:
        started = time.perf_counter()
        report = self.report
        for number, row in enumerate(rows, start=first_row):
            if not any(c not in (None, "") for c in row):
                continue
            report.rows_read += 1
            try:
                measure = self.measure(row, columns)
            except RowProblem as problem:
                report.skip(number, problem)
                continue
            # One key per distinct row. A 64-bit hash keeps memory flat over 380,000 rows; two different rows
            # colliding (odds ~1e-9 for a full file) would drop one, which the duplicate count would show.
            key = hash(
                (
                    measure.commodity_code,
                    measure.rate_code,
                    measure.valid_from,
                    measure.valid_to,
                    measure.expression,
                    measure.country_type,
                    measure.use_type,
                    measure.reference_price,
                )
            )
            if key in self._seen:
                report.duplicates += 1
                continue
            self._seen.add(key)
            self._count(measure)
            yield measure
        report.seconds += time.perf_counter() - started

    def _count(self, m: Measure) -> None:
        report = self.report
        report.loaded += 1
        report.rate_codes[m.rate_code] += 1
        rule = self.priority.rule_for(m.rate_code)
        report.kinds[rule.kind.value if rule else "no_rule"] += 1
        report.country_types[m.country_type or "-"] += 1
        report.codes.add(m.commodity_code)
        meaning = self.codes.get(m.rate_code)
        if meaning is not None and meaning.family == "A":
            report.codes_with_basic.add(m.commodity_code)
        if m.use_type:
            report.use_specific_rows += 1
        if m.reference_price:
            report.reference_price_rows += 1
        if m.expression.combination is Combination.GREATER_OF:
            report.greater_of_rows += 1
        elif not m.expression.is_pure_ad_valorem:
            report.specific_rows += 1

    def measure(self, row: list[Any], columns: dict[str, int]) -> Measure:
        ix = self._index(columns)
        row = list(row)
        width = self._width  # the header's columns; one empty cell after them stands for a missing column
        if len(row) > width:
            del row[width:]
        elif len(row) < width:
            row.extend([None] * (width - len(row)))
        row.append(None)
        get = row.__getitem__
        code = self._code(get(ix[0]))
        rate_code = text_of(get(ix[1])).upper()
        if not rate_code:
            raise RowProblem("no_rate_code", "no rate code (관세율구분)")
        meaning = self.codes.get(rate_code)
        if meaning is None:
            self.report.refused_codes[rate_code] += 1
            raise RowProblem("unknown_rate_code", f"rate code {rate_code} is not in the KCS code list")
        if meaning.refused:
            self.report.refused_codes[rate_code] += 1
            raise RowProblem(
                "refused_rate_code",
                f"rate code {rate_code} ({meaning.name_ko}) is refused: {meaning.refused}",
            )
        expression = self._expression(get(ix[2]), get(ix[3]), get(ix[9]))
        start = self._date(get(ix[7]), "적용개시일")
        if start is None:
            raise RowProblem("no_start", "no start date (적용개시일)")
        end = self._date(get(ix[8]), "적용만료일")
        if end is not None and end < start:
            raise RowProblem("end_before_start", f"end date {end} before start date {start}")
        country_type = text_of(get(ix[5])) or None
        if country_type not in (None, "1", "2"):
            raise RowProblem("bad_country_type", f"적용국가구분 '{country_type}' is neither 1 nor 2")
        if country_type == "1" and meaning.is_fta:
            self._warn(
                f"{rate_code} is an agreement rate but 적용국가구분 is 1; it is applied to the agreement's "
                "partners only"
            )
        use_type = text_of(get(ix[6])) or None
        if use_type in ("0", "00"):
            use_type = None
        reference_price = decimal_of(get(ix[4]), "기준가격")
        return Measure(
            code,
            rate_code,
            expression,
            start,
            end,
            reference_price=reference_price or None,
            country_type=country_type,
            use_type=use_type,
            source=self.source,
            demo=self.demo,
        )

    _KEYS = (
        "code",
        "rate_code",
        "ad_valorem",
        "specific",
        "reference_price",
        "country_type",
        "use_type",
        "start",
        "end",
        "unit",
    )

    def _index(self, columns: dict[str, int]) -> tuple[int, ...]:
        """Column positions in a fixed order; a missing column points at the padding cell (always empty)."""
        if self._columns is not columns:
            self._width = max(columns.values()) + 1
            self._ix = tuple(columns.get(k, self._width) for k in self._KEYS)
            self._columns = columns
        return self._ix

    def _date(self, value: Any, what: str) -> date | None:
        key = (type(value), value)
        found = self._dates.get(key)
        if found is None:
            before = self.report.date_cells.copy()
            day = date_of(value, what, self.report)
            kind = next(iter((self.report.date_cells - before).keys()), "")
            found = self._dates[key] = (day, kind)
        elif found[1]:
            self.report.date_cells[found[1]] += 1
        return found[0]

    def _expression(self, adval_cell: Any, specific_cell: Any, unit_cell: Any) -> DutyExpression:
        key = (type(adval_cell), adval_cell, type(specific_cell), specific_cell, unit_cell)
        found = self._expressions.get(key)
        if found is None:
            found = self._expressions[key] = self._parse_expression(adval_cell, specific_cell, unit_cell)
        return found

    def _parse_expression(self, adval_cell: Any, specific_cell: Any, unit_cell: Any) -> DutyExpression:
        adval = decimal_of(adval_cell, "관세율")
        specific = decimal_of(specific_cell, "단위당세액")
        unit = text_of(unit_cell).upper() or self.default_unit
        if specific and unit not in self._units:
            raise RowProblem("bad_unit", f"unit '{unit}' of the per-unit amount is not a UN/ECE Rec 20 unit")
        components: list[MeasureComponent] = []
        if adval is not None:
            components.append(MeasureComponent(ComponentKind.AD_VALOREM, adval))
        if specific:
            components.append(MeasureComponent(ComponentKind.SPECIFIC, specific, "KRW", unit))
        if not components:
            raise RowProblem("no_rate", "neither a rate (관세율) nor a per-unit amount (단위당세액)")
        # 관세율 with 단위당세액 = 선택세, "whichever is the greater" (관세법 별표 관세율표 통칙)
        combination = Combination.GREATER_OF if len(components) == 2 else Combination.SINGLE
        return DutyExpression(tuple(components), combination)

    def _warn(self, message: str) -> None:
        if message not in self.report.warnings:
            self.report.warnings.append(message)

    @staticmethod
    def _code(value: Any) -> str:
        if type(value) is str and len(value) == 10 and value.isdigit():
            return value
        code = text_of(value).replace(".", "").replace("-", "")
        if code.isdigit() and len(code) == 9:  # a number that lost its leading zero (chapters 01-09)
            code = code.zfill(10)
        if len(code) != 10 or not code.isdigit():
            raise RowProblem("bad_code", f"'{code}' is not a 10-digit HSK code")
        return code


def spelling_of(header_row: list[Any]) -> str:
    names = {_normal(c) for c in header_row}
    return (
        "official (2026 release)"
        if all(_normal(n) in names for n in OFFICIAL_SPELLING)
        else "older (용도구분 / 적용개시일자 / 적용만료일자)"
    )


def parse_kcs_rates(
    rows: Iterable[list[Any]],
    *,
    source: str,
    codes: RateCodes,
    priority: RatePriority,
    default_unit: str = "KGM",
    demo: bool = False,
) -> tuple[list[Measure], KcsLoadReport]:
    """A whole small table at once (tests, excerpts): the header is looked for in the first 20 rows."""
    iterator = iter(rows)
    found = find_header(iterator, KCS_HEADERS, KCS_REQUIRED)
    if found is None:
        raise FileProblem(
            "no header row found for the KCS rate file: expected columns 품목번호, 관세율구분, "
            "관세율, 적용개시일"
        )
    number, columns, header = found
    reader = KcsReader(source, codes, priority, default_unit, demo)
    reader.report.header_spelling = spelling_of(header)
    measures = list(reader.read(iterator, columns, number + 1))
    return measures, reader.report
