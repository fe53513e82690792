"""Internal taxes and VAT for one line, on their bases, each truncated below 10 won.

* 개별소비세·주세: base = customs value + customs duty (개별소비세법 제8조; 주세법); luxury goods only on the
  part of the price per item above the threshold (기준가격, 개별소비세법 제1조 제3항);
* 교통·에너지·환경세: per litre;
* 교육세·농어촌특별세: a percentage of the tax they ride on (교육세법 제5조, 농어촌특별세법 제5조);
* 부가가치세: 10% of customs value + customs duty + every tax above (부가가치세법 제29조 제2항), unless the
  code is exempt (부가가치세법 제27조).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from clearway.assessment.explain import Figure, Reason
from clearway.reference.codes import units
from clearway.tariff.duty import CannotCompute, QuantityOf, ToWorking, evaluate
from clearway.tariff.internal_tax import InternalTax, InternalTaxIndex, InternalTaxRule
from clearway.tariff.measures import format_number

ZERO = Decimal(0)
HUNDRED = Decimal(100)

_ORDER = (InternalTax.INDIVIDUAL_CONSUMPTION, InternalTax.LIQUOR, InternalTax.TRANSPORT_ENERGY_ENVIRONMENT)


def truncate(value: Decimal, unit: Decimal) -> Decimal:
    """Drop the part below ``unit`` (국고금 관리법 제47조). Values here are never negative."""
    if value <= ZERO:
        return ZERO
    return (value // unit) * unit


def item_count(quantity: Decimal, quantity_unit: str) -> Decimal | None:
    unit = units().get(quantity_unit)
    if unit is None or unit.dimension not in ("count", "pair"):
        return None
    return quantity * unit.factor_to_base


def internal_taxes(
    code: str,
    on: date,
    customs_value: Decimal,
    duty_total: Decimal,
    quantity: Decimal,
    quantity_unit: str,
    quantity_of: QuantityOf,
    to_working: ToWorking,
    index: InternalTaxIndex,
    amount_unit: Decimal,
    pointer: str,
) -> tuple[list[Figure], InternalTaxRule | None, list[Reason]]:
    """Figures for 개별소비세, 주세, 교통·에너지·환경세 and their surtaxes; also the VAT exemption rule, if any."""
    rules = index.for_code(code, on)
    if not rules:
        return [], None, []
    figures: list[Figure] = []
    reasons: list[Reason] = []
    base = customs_value + duty_total
    parts = (("customs_value", customs_value), ("customs_duty", duty_total))
    for tax in _ORDER:
        rule = rules.get(tax)
        if rule is None or rule.expression is None:
            continue
        taxable = base
        note = f"{rule.description}; rule {rule.rule_id} ({rule.status})"
        if rule.threshold_krw is not None:
            count = item_count(quantity, quantity_unit)
            if count is None:
                reasons.append(
                    Reason(
                        "unit_not_usable",
                        f"{rule.description}: the threshold of "
                        f"{format_number(rule.threshold_krw)} won applies per item; declare the "
                        "quantity as a number of items (U, PCE, NAR, SET, PR)",
                        f"{pointer}/quantity_unit",
                    )
                )
                continue
            taxable = base - rule.threshold_krw * count
            if taxable < ZERO:
                taxable = ZERO
            note += (
                f"; taxed on the part above {format_number(rule.threshold_krw)} won per item: "
                f"{format_number(base)} − {format_number(rule.threshold_krw)} × {format_number(count)} = "
                f"{format_number(taxable)}"
            )
        try:
            result = evaluate(rule.expression, taxable, quantity_of, to_working, "KRW")
        except CannotCompute as exc:
            reasons.append(Reason(exc.code, f"{rule.description}: {exc.message}", f"{pointer}/quantity_unit"))
            continue
        amount = truncate(result.amount, amount_unit)
        figures.append(
            Figure(
                tax.value,
                amount,
                result.amount,
                taxable,
                parts,
                rule.expression,
                None,
                "won_10",
                result,
                note,
                rule.legal_basis,
            )
        )
        if rule.education_pct:
            figures.append(_surtax("education_tax", tax.value, amount, rule.education_pct, amount_unit, rule))
        if rule.rural_pct:
            figures.append(
                _surtax("rural_development_tax", tax.value, amount, rule.rural_pct, amount_unit, rule)
            )
    return figures, rules.get(InternalTax.VAT_EXEMPTION), reasons


def _surtax(
    key: str, on_key: str, on_amount: Decimal, pct: Decimal, unit: Decimal, rule: InternalTaxRule
) -> Figure:
    exact = on_amount * pct / HUNDRED
    return Figure(
        key,
        truncate(exact, unit),
        exact,
        on_amount,
        ((on_key, on_amount),),
        f"{format_number(pct)}%",
        None,
        "won_10",
        None,
        f"{format_number(pct)}% of the {on_key.replace('_', ' ')} (rule {rule.rule_id}, {rule.status})",
    )


def vat(
    customs_value: Decimal,
    others: list[Figure],
    rate_pct: Decimal,
    amount_unit: Decimal,
    exemption: InternalTaxRule | None,
    rate_text: str | None = None,
) -> Figure:
    parts = [("customs_value", customs_value)]
    totals: dict[str, Decimal] = {}
    for f in others:
        totals[f.key] = totals.get(f.key, ZERO) + f.amount
    parts += list(totals.items())
    base = customs_value + sum(totals.values(), ZERO)
    if exemption is not None:
        return Figure(
            "vat",
            ZERO,
            ZERO,
            base,
            tuple(parts),
            "exempt",
            None,
            "none",
            None,
            f"exempt: {exemption.description} (rule {exemption.rule_id}, {exemption.status})",
            exemption.legal_basis,
        )
    exact = base * rate_pct / HUNDRED
    return Figure(
        "vat",
        truncate(exact, amount_unit),
        exact,
        base,
        tuple(parts),
        rate_text or f"{format_number(rate_pct)}%",
    )
