"""Declaration-level rules: de minimis, traveller allowance, self-declaration reduction, minimum collection.

* 소액물품 면세 (관세법 제94조 제4호, 시행규칙 제45조; 특송 고시): personal-use small parcels whose goods price is
  within USD 150 (USD 200 shipped from the US) are free of duty and VAT; above it the whole value is taxed,
  not the excess. Alcohol and tobacco are taxed whatever the value (parameter ``de_minimis.excluded_prefixes``).
* 여행자 휴대품 면세 (관세법 제96조 제1항 제1호, 시행규칙 제48조): USD 800 deducted from the value of a
  traveller's goods, from the most heavily taxed goods first; a voluntary declaration (자진신고) reduces the
  customs duty by 30%, up to a cap (관세법 제96조 제3항).
* 징수금액의 최저한 (관세법 제40조, 시행령 제37조): a customs duty below 10,000 won for the declaration is not
  collected (it still counts in the VAT base: it is assessed, only not collected).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from clearway.assessment.explain import DUTY_KEYS, TAXES
from clearway.assessment.inputs import AssessmentRequest
from clearway.assessment.taxes import truncate
from clearway.assessment.valuation import find_fx, no_rate_reason
from clearway.tariff.measures import format_number
from clearway.tariff.parameters import (
    DE_MINIMIS_EXCLUDED,
    DE_MINIMIS_US_USD,
    DE_MINIMIS_USD,
    MIN_COLLECTION,
    MIN_COLLECTION_APPLIES_TO,
    TAX_AMOUNT_UNIT,
    TRAVELLER_ALLOWANCE_USD,
    TRAVELLER_REDUCTION_CAP,
    TRAVELLER_REDUCTION_PCT,
    MissingParameter,
    ParameterSet,
)
from clearway.tariff.snapshot import TariffSnapshot

if TYPE_CHECKING:  # the result types live in core, which calls this module
    from clearway.assessment.core import DeclarationResult, LineResult

ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Adjustment:
    """A declaration-level change to what is collected (negative: less is collected)."""

    key: str
    tax: str
    amount: Decimal
    legal_basis: str
    explanation: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "adjustment": self.key,
            "tax": self.tax,
            "tax_name_ko": TAXES[self.tax][0],
            "amount_krw": str(self.amount),
            "legal_basis": self.legal_basis,
            "explanation": self.explanation,
        }


def _usd_per_unit(
    result: DeclarationResult, request: AssessmentRequest, snapshot: TariffSnapshot
) -> Decimal | None:
    fx = find_fx("USD", request.on, snapshot.exchange_rates, request.exchange_rates)
    if fx is None:
        result.reasons.append(no_rate_reason("USD", request.on, "/"))
        return None
    return fx.per_unit


def apply_de_minimis(
    result: DeclarationResult, request: AssessmentRequest, snapshot: TariffSnapshot, params: ParameterSet
) -> None:
    if not result.can_assess:
        return
    try:
        excluded = params.list(DE_MINIMIS_EXCLUDED)
        normal = params.decimal(DE_MINIMIS_USD)
        from_us = params.decimal(DE_MINIMIS_US_USD)
    except MissingParameter as exc:
        result.notes.append(f"de minimis not applied: {exc}")
        return
    usd = _usd_per_unit(result, request, snapshot)
    if usd is None:
        return
    eligible = [ln for ln in result.lines if not any(ln.line.commodity_code.startswith(p) for p in excluded)]
    for ln in result.lines:
        if ln not in eligible:
            ln.notes.append("alcohol and tobacco are taxed whatever the value (no small-parcel exemption)")
    if not eligible:
        return
    origins = {ln.line.origin for ln in result.lines}
    dispatch = request.dispatch_country or (origins.pop() if len(origins) == 1 else None)
    threshold = from_us if dispatch == "US" else normal
    goods_usd = sum(
        (
            ln.line.invoice_amount
            if ln.line.currency == "USD"
            else (ln.valuation.goods_price_krw / usd if ln.valuation else ZERO)
            for ln in eligible
        ),
        ZERO,
    )
    where = "shipped from the US" if dispatch == "US" else "not shipped from the US"
    shown = format_number(goods_usd.quantize(Decimal("0.01")))
    if goods_usd <= threshold:
        text = (
            f"small-parcel de minimis: goods price USD {shown} is within USD {format_number(threshold)} "
            f"({where}): free of duty and VAT (관세법 제94조 제4호; 관세법 시행규칙 제45조)"
        )
        for ln in eligible:
            ln.relief = text
        result.notes.append(text)
    else:
        result.notes.append(
            f"goods price USD {shown} exceeds the small-parcel limit of USD "
            f"{format_number(threshold)} ({where}): the whole value is taxed, not the excess"
        )


def traveller_deductions(
    result: DeclarationResult, request: AssessmentRequest, snapshot: TariffSnapshot, params: ParameterSet
) -> dict[int, Decimal]:
    """Line index → part of the allowance deducted from its customs value (most heavily taxed lines first)."""
    if not result.can_assess:
        return {}
    try:
        allowance_usd = params.decimal(TRAVELLER_ALLOWANCE_USD)
    except MissingParameter as exc:
        result.notes.append(f"traveller allowance not applied: {exc}")
        return {}
    usd = _usd_per_unit(result, request, snapshot)
    if usd is None:
        return {}
    allowance = truncate(allowance_usd * usd, Decimal(1))
    order = sorted(range(len(result.lines)), key=lambda i: (-_burden(result.lines[i]), i))
    remaining = allowance
    deductions: dict[int, Decimal] = {}
    for i in order:
        if remaining <= ZERO:
            break
        valuation = result.lines[i].valuation
        value = valuation.customs_value if valuation else ZERO
        part = min(value, remaining)
        if part > ZERO:
            deductions[i] = part
            remaining -= part
    used = allowance - remaining
    result.notes.append(
        f"traveller allowance USD {format_number(allowance_usd)} = {format_number(allowance)} won at "
        f"{format_number(usd)} won/USD; {format_number(used)} won deducted from the customs value, most heavily "
        "taxed goods first (관세법 제96조 제1항 제1호; 관세법 시행규칙 제48조). Simplified traveller rates "
        "(간이세율, 관세법 제81조) are not used: goods are assessed at their ordinary rates"
    )
    return deductions


def _burden(line: LineResult) -> Decimal:
    value = line.valuation.customs_value if line.valuation else ZERO
    if value <= ZERO:
        return ZERO
    return (line.duty + line.taxes) / value


def apply_self_declaration(
    result: DeclarationResult, request: AssessmentRequest, params: ParameterSet
) -> None:
    if not request.self_declared:
        result.notes.append(
            "not declared voluntarily: no self-declaration reduction (goods found undeclared bear a "
            "40% surcharge, not computed here)"
        )
        return
    try:
        pct = params.decimal(TRAVELLER_REDUCTION_PCT)
        cap = params.decimal(TRAVELLER_REDUCTION_CAP)
        unit = params.decimal(TAX_AMOUNT_UNIT)
    except MissingParameter as exc:
        result.notes.append(f"self-declaration reduction not applied: {exc}")
        return
    duty = _duty_total(result)
    exact = duty * pct / HUNDRED
    reduction = truncate(min(exact, cap), unit)
    if reduction > ZERO:
        result.adjustments.append(
            Adjustment(
                "self_declaration_reduction",
                "customs_duty",
                -reduction,
                "관세법 제96조 제3항",
                f"{format_number(pct)}% of the customs duty {format_number(duty)} = {format_number(exact)}, capped at "
                f"{format_number(cap)} → {format_number(reduction)} won not collected (자진신고 감면)",
            )
        )


def apply_minimum_collection(result: DeclarationResult, params: ParameterSet) -> None:
    try:
        minimum = params.decimal(MIN_COLLECTION)
        applies_to = params.list(MIN_COLLECTION_APPLIES_TO)
    except MissingParameter as exc:
        result.notes.append(f"minimum collection not applied: {exc}")
        return
    totals = result.totals()
    for tax in applies_to:
        if tax == "customs_duty":
            amount = _duty_total(result)
        else:
            amount = totals.get(tax, ZERO) + sum((a.amount for a in result.adjustments if a.tax == tax), ZERO)
        if ZERO < amount < minimum:
            result.adjustments.append(
                Adjustment(
                    "minimum_collection",
                    tax,
                    -amount,
                    "관세법 제40조; 관세법 시행령 제37조",
                    f"{TAXES[tax][0]} of {format_number(amount)} won for the declaration is below "
                    f"{format_number(minimum)} won: not collected (징수금액의 최저한); it still counts in the VAT base",
                )
            )


def _duty_total(result: DeclarationResult) -> Decimal:
    totals = result.totals()
    duty = sum((v for k, v in totals.items() if k in DUTY_KEYS), ZERO)
    return duty + sum((a.amount for a in result.adjustments if a.tax == "customs_duty"), ZERO)
