"""Customs value (과세가격) in won: the price brought to CIF and converted at the customs rate of the week.

* 관세법 제30조: the transaction value is the price actually paid or payable, plus freight and insurance to the
  Korean port of entry where the price does not include them (Incoterms 2020: EXW/FCA/FAS/FOB exclude both,
  CFR/CPT exclude insurance, CIF/CIP/DAP/DPU/DDP include both — ``clearway.reference.codes.INCOTERMS_2020``).
  Insurance is added only when actually paid: a line that declares none adds none.
* Methods 2-6 (제31조~제35조): the declared amount is taken as the value found by that method; the method is
  recorded.
* 관세법 제17조·제18조: the customs exchange rate (과세환율) of the week containing the declaration date.
* 국고금 관리법 제47조 제2항: the tax base drops the part below 1 won.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from clearway.assessment.explain import Reason
from clearway.assessment.inputs import LineInput
from clearway.reference.codes import INCOTERMS_2020
from clearway.tariff.exchange import ExchangeRateTable, week_of
from clearway.tariff.measures import format_number

ZERO = Decimal(0)
ONE = Decimal(1)

METHODS = {
    1: ("transaction value of the goods", "관세법 제30조"),
    2: ("transaction value of identical goods", "관세법 제31조"),
    3: ("transaction value of similar goods", "관세법 제32조"),
    4: ("deductive value", "관세법 제33조"),
    5: ("computed value", "관세법 제34조"),
    6: ("other reasonable means", "관세법 제35조"),
}


@dataclass(frozen=True, slots=True)
class FxUsed:
    currency: str
    rate_krw: Decimal  # KRW per `per` units
    per: int
    week_start: date | None
    week_end: date | None
    source: str
    demo: bool = False
    what_if: bool = False

    @property
    def per_unit(self) -> Decimal:
        return self.rate_krw if self.per == 1 else self.rate_krw / self.per

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "currency": self.currency,
            "rate_krw": str(self.rate_krw),
            "per": self.per,
            "source": self.source,
        }
        if self.week_start:
            d["week"] = [self.week_start.isoformat(), self.week_end.isoformat() if self.week_end else None]
        if self.demo:
            d["demo"] = True
        if self.what_if:
            d["what_if"] = True
        return d


KRW_FX = FxUsed("KRW", ONE, 1, None, None, "the invoice is in won")


@dataclass(frozen=True, slots=True)
class Valuation:
    method: int
    incoterm: str
    currency: str
    invoice_amount: Decimal
    freight_added: Decimal
    insurance_added: Decimal
    fx: FxUsed
    exact_krw: Decimal  # CIF in won before the 1-won truncation
    customs_value: Decimal  # 과세가격, truncated to the won
    goods_price_krw: Decimal  # the invoice price alone in won (for de minimis)
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        name, article = METHODS[self.method]
        total = self.invoice_amount + self.freight_added + self.insurance_added
        return {
            "method": self.method,
            "method_name": name,
            "legal_basis": article,
            "incoterm": self.incoterm,
            "currency": self.currency,
            "invoice_amount": format_number(self.invoice_amount),
            "freight_added": format_number(self.freight_added),
            "insurance_added": format_number(self.insurance_added),
            "cif_in_currency": format_number(total),
            "exchange_rate": self.fx.as_dict(),
            "computation": f"({format_number(self.invoice_amount)} + {format_number(self.freight_added)} + "
            f"{format_number(self.insurance_added)}) {self.currency} × "
            f"{format_number(self.fx.per_unit)} = {format_number(self.exact_krw)} → "
            f"{format_number(self.customs_value)} KRW",
            "rounding": "the part below 1 won is dropped (국고금 관리법 제47조 제2항)",
            "notes": list(self.notes),
        }


def find_fx(
    currency: str, on: date, table: ExchangeRateTable, overrides: dict[str, Decimal] | Any
) -> FxUsed | None:
    if currency == "KRW":
        return KRW_FX
    override = overrides.get(currency) if overrides else None
    if override is not None:
        return FxUsed(
            currency,
            override,
            1,
            None,
            None,
            "what-if rate given in the request (not the customs rate)",
            what_if=True,
        )
    rate = table.rate(currency, on)
    if rate is None:
        return None
    return FxUsed(currency, rate.rate_krw, rate.per, rate.valid_from, rate.valid_to, rate.source, rate.demo)


class FxResolver:
    """The exchange rate of each currency for one request's date, looked up once (what-if overrides first)."""

    __slots__ = ("_cache", "on", "overrides", "table")

    def __init__(self, on: date, table: ExchangeRateTable, overrides: Any) -> None:
        self.on = on
        self.table = table
        self.overrides = overrides
        self._cache: dict[str, FxUsed | None] = {}

    def __call__(self, currency: str) -> FxUsed | None:
        try:
            return self._cache[currency]
        except KeyError:
            found = self._cache[currency] = find_fx(currency, self.on, self.table, self.overrides)
            return found

    def per_unit(self, currency: str) -> Decimal | None:
        fx = self(currency)
        return None if fx is None else fx.per_unit


def no_rate_reason(currency: str, on: date, pointer: str) -> Reason:
    start, end = week_of(on)
    return Reason(
        "no_exchange_rate",
        f"no customs exchange rate (과세환율) for {currency} is loaded for the week "
        f"{start.isoformat()} to {end.isoformat()}",
        pointer,
    )


def value_line(
    line: LineInput, on: date, fx_for: FxResolver, pointer: str
) -> tuple[Valuation | None, list[Reason]]:
    reasons: list[Reason] = []
    if line.invoice_amount <= ZERO:
        reasons.append(
            Reason("non_positive_amount", "the invoice amount must be positive", f"{pointer}/invoice_amount")
        )
    if line.freight is not None and line.freight < ZERO:
        reasons.append(Reason("negative_freight", "freight cannot be negative", f"{pointer}/freight"))
    if line.insurance is not None and line.insurance < ZERO:
        reasons.append(Reason("negative_insurance", "insurance cannot be negative", f"{pointer}/insurance"))
    if line.valuation_method not in METHODS:
        reasons.append(
            Reason(
                "unknown_valuation_method",
                "the valuation method is 1 to 6 (관세법 제30조~제35조)",
                f"{pointer}/valuation_method",
            )
        )
    included = INCOTERMS_2020.get(line.incoterm)
    if included is None:
        reasons.append(
            Reason(
                "unknown_incoterm", f"'{line.incoterm}' is not an Incoterms 2020 rule", f"{pointer}/incoterm"
            )
        )
        included = "FI"
    freight = ZERO
    insurance = ZERO
    notes: list[str] = []
    if "F" not in included:
        if line.freight is None:
            reasons.append(
                Reason(
                    "freight_missing",
                    f"an {line.incoterm} price excludes freight to the Korean port; "
                    "declare the freight (관세법 제30조 제1항 제6호)",
                    f"{pointer}/freight",
                )
            )
        else:
            freight = line.freight
    elif line.freight:
        notes.append(
            f"freight {format_number(line.freight)} not added: an {line.incoterm} price already includes it"
        )
    if "I" not in included:
        if line.insurance is None:
            notes.append("no insurance declared: none added (only insurance actually paid is added)")
        else:
            insurance = line.insurance
    elif line.insurance:
        notes.append(
            f"insurance {format_number(line.insurance)} not added: an {line.incoterm} price includes it"
        )
    if line.incoterm == "DDP":
        notes.append(
            "a DDP price includes Korean duties and taxes, which are not part of the customs value "
            "(관세법 제30조 제2항): declare the price net of them"
        )
    elif line.incoterm in ("DAP", "DPU"):
        notes.append(
            f"costs after arrival in Korea included in a {line.incoterm} price are not part of the customs "
            "value (관세법 제30조 제2항): deduct them if they are shown separately"
        )
    if line.valuation_method != 1 and line.valuation_method in METHODS:
        name, article = METHODS[line.valuation_method]
        notes.append(
            f"valuation method {line.valuation_method} ({name}, {article}): the declared amount is taken "
            "as the value that method gives"
        )
    fx = fx_for(line.currency)
    if fx is None:
        reasons.append(no_rate_reason(line.currency, on, f"{pointer}/currency"))
    if reasons or fx is None:
        return None, reasons
    per_unit = fx.per_unit
    total = line.invoice_amount + freight + insurance
    exact = total * per_unit
    return Valuation(
        method=line.valuation_method,
        incoterm=line.incoterm,
        currency=line.currency,
        invoice_amount=line.invoice_amount,
        freight_added=freight,
        insurance_added=insurance,
        fx=fx,
        exact_krw=exact,
        customs_value=exact // ONE,
        goods_price_krw=line.invoice_amount * per_unit,
        notes=tuple(notes),
    ), []
