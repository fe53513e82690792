"""Small builders for engine tests: synthetic measures, one exchange rate week, the bundled parameters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from clearway.assessment.core import DeclarationResult, assess
from clearway.assessment.explain import DUTY_KEYS
from clearway.assessment.inputs import AssessmentRequest, LineInput, PreferenceInput, Regime
from clearway.declaration.assessed import AssessedLine
from clearway.tariff import bundled
from clearway.tariff.exchange import ExchangeRate, week_of
from clearway.tariff.measures import DutyExpression, Measure
from clearway.tariff.snapshot import TariffSnapshot, make_snapshot

D = Decimal
ON = date(2026, 3, 4)  # a Wednesday; its customs-rate week is Sunday 2026-03-01 to Saturday 2026-03-07
LAPTOP = "8471300000"
CAR = "8703231010"
BAG = "4202211090"
WINE = "2204211000"
BEER = "2203000000"
ORANGES = "0805100000"
HONEY = "0409000000"
WHISKY = "2208301000"


def av(code: str, rate_code: str, pct: str, **kw) -> Measure:
    return Measure(code, rate_code, DutyExpression.ad_valorem(pct), date(2026, 1, 1), **kw)


def fx(currency: str, rate: str, per: int = 1, on: date = ON) -> ExchangeRate:
    start, end = week_of(on)
    return ExchangeRate(currency, D(rate), start, end, per, "test rates")


def snapshot(measures, rates=None, internal_taxes=None, parameters=None) -> TariffSnapshot:
    return make_snapshot(
        measures=measures,
        exchange_rates=rates
        if rates is not None
        else [fx("USD", "1400"), fx("EUR", "1500"), fx("JPY", "950", 100)],
        internal_taxes=bundled.internal_tax_rules() if internal_taxes is None else internal_taxes,
        parameters=bundled.parameters() if parameters is None else parameters,
    )


def line(
    code: str = LAPTOP,
    *,
    amount: str = "1000",
    currency: str = "USD",
    incoterm: str = "CIF",
    freight: str | None = None,
    insurance: str | None = None,
    origin: str = "CN",
    quantity: str = "1",
    unit: str = "U",
    mass: str = "2",
    number: int = 1,
    preference: PreferenceInput | None = None,
    **kw,
) -> LineInput:
    return LineInput(
        number,
        code,
        origin,
        D(quantity),
        unit,
        D(mass),
        D(amount),
        currency,
        incoterm,
        None if freight is None else D(freight),
        None if insurance is None else D(insurance),
        preference=preference,
        **kw,
    )


def claim(
    agreement: str, rate_code: str, granted: bool = True, certificate: str | None = "CO-1"
) -> PreferenceInput:
    return PreferenceInput(
        agreement, rate_code, certificate, granted, () if granted else ("certificate could not be verified",)
    )


def run(
    snap: TariffSnapshot, *lines: LineInput, on: date = ON, regime: Regime = Regime.GENERAL, **kw
) -> DeclarationResult:
    return assess(AssessmentRequest(on, tuple(lines), regime, **kw), snap)


def figures(result: DeclarationResult, index: int = 0) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for f in result.lines[index].figures:
        out[f.key] = out.get(f.key, D(0)) + f.amount
    return out


def reason_codes(result: DeclarationResult, index: int = 0) -> list[str]:
    return [r.code for r in result.lines[index].reasons]


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def assert_agrees(typed: AssessedLine, shown: dict[str, Any], snap: TariffSnapshot) -> None:
    """Every figure of the typed line result is the figure the display JSON of the line shows."""
    assert typed.line_number == shown["line_number"]
    assert typed.can_assess is shown["can_assess"]
    assert typed.customs_value_krw == _decimal(shown.get("customs_value_krw"))
    assert typed.duty_krw == _decimal(shown.get("duty_krw"))
    assert typed.taxes_krw == _decimal(shown.get("taxes_krw"))
    assert typed.due_krw == _decimal(shown.get("due_krw"))
    shown_taxes: dict[str, Decimal] = {}
    for f in shown.get("figures", []):
        if f["tax"] not in DUTY_KEYS:
            shown_taxes[f["tax"]] = shown_taxes.get(f["tax"], Decimal(0)) + Decimal(f["amount_krw"])
    assert dict(typed.taxes_by_kind) == shown_taxes
    if typed.taxes_krw is not None:
        assert sum(typed.taxes_by_kind.values(), Decimal(0)) == typed.taxes_krw
    applied = (shown.get("rates") or {}).get("applied")
    assert typed.applied_rate_code == applied
    rule = snap.priority.rule_for(applied) if applied else None
    assert typed.applied_rate_kind == (rule.kind if rule else None)
    preference = shown.get("preference")
    assert typed.preference_granted == (preference["granted"] if preference else None)
    assert typed.preference_rate_code == (preference["rate_code"] if preference else None)
