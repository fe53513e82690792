"""Trade statistics, pure: what one declaration contributes to the materialised cells, the delta between two
contributions, and the confidentiality rule.

**What is counted.** A declaration counts once customs accepted it (수리: status accepted, paid or released), in
the month it was filed, with its current version. A change (amendment, a later inspection finding) replaces
its contribution: the refresh job subtracts the old one and adds the new one, so no cell is ever recomputed
from the declarations.

**Values.** Imports: the customs value (CIF, KRW) of the assessment. Exports: the invoice amount at the
customs exchange rate of the filing week (Korea assesses no export value). USD: the KRW value at that week's
USD customs rate, rounded to the cent half-to-even (a statistical figure, not a tax). Quantities are in each
line's declared unit (meaningful within one HS10 code).

**Counting declarations.** A cell counts the declarations with at least one line in it; a declaration with
lines in two chapters is counted in both (so counts by HS or country may add up to more than the number of
declarations; counts by month, office or transport mode do not, except by country of origin).

**Confidentiality rule.** A published cell built from fewer than :data:`MIN_COMPANIES` distinct companies
(importers or exporters of record) is suppressed: its key is shown, its figures are not, and suppressed cells
are listed after the published ones so their rank does not reveal their size. A company sees its own figures
in full; customs see every figure.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from typing import Any

from clearway.reference.codes import Agreement

CELL_KEYS = ("month", "kind", "hs10", "country", "office", "mode", "company_id")
CELL_MEASURES = (
    "declarations",
    "lines",
    "value_krw",
    "value_usd_cents",
    "quantity_e4",
    "net_mass_e4",
    "duty_krw",
    "taxes_krw",
    "green",
    "blue",
    "yellow",
    "red",
    "checked",
    "hits",
)
FTA_KEYS = ("month", "agreement", "company_id")
FTA_MEASURES = (
    "eligible_lines",
    "eligible_value_krw",
    "claimed_lines",
    "claimed_value_krw",
    "granted_lines",
    "granted_value_krw",
)

MIN_COMPANIES = 3
COUNTED = frozenset({"accepted", "paid", "released"})
CHECK_LANES = frozenset({"yellow", "red"})
GROUPS = ("hs2", "hs4", "hs6", "hs10", "country", "office", "mode", "month")
SCALE = Decimal(10000)


@dataclass(frozen=True, slots=True)
class Item:
    commodity_code: str
    country: str  # origin (import) or destination (export)
    quantity: Decimal
    net_mass_kg: Decimal
    invoice_amount: Decimal
    currency: str
    customs_value_krw: Decimal | None
    duty_krw: Decimal
    taxes_krw: Decimal
    claimed: str | None  # the agreement claimed
    granted: bool  # an FTA rate was applied


@dataclass(frozen=True, slots=True)
class Source:
    declaration_id: int
    version: int
    kind: str
    status: str
    lane: str | None
    company_id: int
    filed_on: date
    office: str
    mode: str
    checked: bool
    hit: bool
    items: tuple[Item, ...] = field(default_factory=tuple)


def month_of(day: date) -> date:
    return day.replace(day=1)


def state_of(source: Source) -> str:
    """What the contribution depends on; an unchanged state needs no recomputation."""
    raw = f"{source.version}|{source.status}|{source.lane}|{source.checked}|{source.hit}|{source.company_id}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _scaled(value: Decimal) -> int:
    return int((value * SCALE).to_integral_value(ROUND_HALF_EVEN))


def value_krw(item: Item, rates: Mapping[str, Decimal]) -> Decimal:
    """The item's value in won: the customs value if assessed, else the invoice at the week's customs rate."""
    if item.customs_value_krw is not None:
        return item.customs_value_krw
    rate = rates.get(item.currency)
    if rate is None:
        return Decimal(0)
    return (item.invoice_amount * rate).to_integral_value(ROUND_DOWN)


def usd_cents(krw: Decimal, usd_rate: Decimal | None) -> int:
    if not usd_rate:
        return 0
    return int((krw / usd_rate * 100).to_integral_value(ROUND_HALF_EVEN))


def cell_key(month: date, kind: str, hs10: str, country: str, office: str, mode: str, company_id: int) -> str:
    return "|".join((month.isoformat(), kind, hs10, country, office, mode, str(company_id)))


def parse_cell_key(key: str) -> tuple[date, str, str, str, str, str, int]:
    month, kind, hs10, country, office, mode, company = key.split("|")
    return date.fromisoformat(month), kind, hs10, country, office, mode, int(company)


def fta_key(month: date, agreement: str, company_id: int) -> str:
    return f"{month.isoformat()}|{agreement}|{company_id}"


def parse_fta_key(key: str) -> tuple[date, str, int]:
    month, agreement, company = key.split("|")
    return date.fromisoformat(month), agreement, int(company)


def contribution(
    source: Source, rates: Mapping[str, Decimal], agreements: Iterable[Agreement]
) -> dict[str, dict[str, list[int]]]:
    """``{"cells": {key: measures}, "fta": {key: measures}}`` (measures in the order of the models'
    ``CELL_MEASURES`` / ``FTA_MEASURES``); empty when the declaration does not count."""
    if source.status not in COUNTED:
        return {"cells": {}, "fta": {}}
    month = month_of(source.filed_on)
    usd = rates.get("USD")
    cells: dict[str, list[int]] = {}
    for item in source.items:
        key = cell_key(
            month,
            source.kind,
            item.commodity_code,
            item.country,
            source.office,
            source.mode,
            source.company_id,
        )
        krw = value_krw(item, rates)
        add = {
            "lines": 1,
            "value_krw": int(krw),
            "value_usd_cents": usd_cents(krw, usd),
            "quantity_e4": _scaled(item.quantity),
            "net_mass_e4": _scaled(item.net_mass_kg),
            "duty_krw": int(item.duty_krw),
            "taxes_krw": int(item.taxes_krw),
        }
        row = cells.setdefault(key, [0] * len(CELL_MEASURES))
        for name, value in add.items():
            row[CELL_MEASURES.index(name)] += value
    per_declaration = {
        "declarations": 1,
        "green": int(source.lane == "green"),
        "blue": int(source.lane == "blue"),
        "yellow": int(source.lane == "yellow"),
        "red": int(source.lane == "red"),
        "checked": int(source.checked),
        "hits": int(source.checked and source.hit),
    }
    for row in cells.values():
        for name, value in per_declaration.items():
            row[CELL_MEASURES.index(name)] = value
    fta: dict[str, list[int]] = {}
    if source.kind == "import":
        for item in source.items:
            line_krw = int(value_krw(item, rates))
            for agreement in agreements:
                if item.country not in agreement.partners or source.filed_on < agreement.in_force_from:
                    continue
                claimed = item.claimed == agreement.code
                granted = claimed and item.granted
                fta_row = fta.setdefault(
                    fta_key(month, agreement.code, source.company_id), [0] * len(FTA_MEASURES)
                )
                for name, value in (
                    ("eligible_lines", 1),
                    ("eligible_value_krw", line_krw),
                    ("claimed_lines", int(claimed)),
                    ("claimed_value_krw", line_krw if claimed else 0),
                    ("granted_lines", int(granted)),
                    ("granted_value_krw", line_krw if granted else 0),
                ):
                    fta_row[FTA_MEASURES.index(name)] += value
    return {"cells": cells, "fta": fta}


def delta(old: Mapping[str, list[int]], new: Mapping[str, list[int]]) -> dict[str, list[int]]:
    """new − old per key (keys whose delta is all zero are left out)."""
    out: dict[str, list[int]] = {}
    for key in set(old) | set(new):
        a, b = old.get(key), new.get(key)
        width = len(a or b or [])
        d = [(b[i] if b else 0) - (a[i] if a else 0) for i in range(width)]
        if any(d):
            out[key] = d
    return out


def suppressed(companies: int) -> bool:
    return companies < MIN_COMPANIES


def rate(part: int | Decimal, whole: int | Decimal) -> float | None:
    return round(float(part) / float(whole), 4) if whole else None


def from_scaled(value: int) -> Decimal:
    return (Decimal(value) / SCALE).normalize() if value else Decimal(0)


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


# ---- periods of the rollup --------------------------------------------------------------------------------
# The rollup keeps each (kind, dimension, key) per month (span 1) and, built from those month rows, per quarter
# (span 3) and per calendar year (span 12). A query over a range of months reads the fewest rows that tile the
# range exactly: whole years where they fit, then whole quarters, then single months (a year of one key is one
# row instead of twelve).
SPANS = (12, 3, 1)


def add_months(month: date, n: int) -> date:
    y, m = divmod(month.year * 12 + month.month - 1 + n, 12)
    return date(y, m + 1, 1)


def period_start(month: date, span: int) -> date:
    """The first month of the span-month period (calendar quarter or year) holding ``month``."""
    if span not in SPANS:
        raise ValueError(f"span {span} is not one of {SPANS}")
    return date(month.year, (month.month - 1) // span * span + 1, 1)


def periods(first: date, last: date) -> list[tuple[int, date]]:
    """(span, start) periods tiling the months ``first`` … ``last`` (inclusive) exactly, largest first where
    aligned: every month of the range is in exactly one period and no month outside it is."""
    out: list[tuple[int, date]] = []
    month = first.replace(day=1)
    last = last.replace(day=1)
    while month <= last:
        for span in SPANS:
            end = add_months(month, span - 1)
            if period_start(month, span) == month and end <= last:
                out.append((span, month))
                month = add_months(month, span)
                break
    return out


def enclosing_periods(months: Iterable[date]) -> list[tuple[int, date]]:
    """The quarters and years holding the given months (what to rebuild when those months change)."""
    return sorted({(span, period_start(m, span)) for m in months for span in SPANS if span > 1})
