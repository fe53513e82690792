"""The Korean assessment engine: pure. A request and a tariff snapshot in, figures with explanations out.

For each goods line on the declaration date:

1. the code must be a valid HSK line on that date, and the line's amounts sound;
2. customs value (과세가격) in won: CIF by Incoterm at the customs exchange rate of the week
   (:mod:`.valuation`);
3. every candidate rate and the one applied under 관세법 제50조 / FTA 관세특례법 제5조, trade remedies on
   top (:mod:`.rates`);
4. duty, internal taxes and VAT, each truncated below 10 won (:mod:`.taxes`);

then, for the declaration: small-parcel de minimis or the traveller allowance (by regime), the minimum
collection and the self-declaration reduction (:mod:`.reliefs`). A line that cannot be assessed honestly
says why (never a silent zero); the declaration is then ``can_assess = False``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from clearway.assessment import reliefs
from clearway.assessment.explain import DUTY_KEYS, REMEDY_TAX_KEY, Figure, Reason
from clearway.assessment.inputs import AssessmentRequest, LineInput, Regime
from clearway.assessment.rates import ClaimFacts, RateChoice, choose
from clearway.assessment.taxes import internal_taxes, truncate, vat
from clearway.assessment.valuation import FxResolver, Valuation, value_line
from clearway.declaration.assessed import AssessedLine
from clearway.tariff.duty import declared_quantity_resolver
from clearway.tariff.exchange import week_of
from clearway.tariff.parameters import (
    TAX_AMOUNT_UNIT,
    VAT_RATE_PCT,
    MissingParameter,
    ParameterSet,
)
from clearway.tariff.snapshot import TariffSnapshot

ZERO = Decimal(0)
METHOD = "kr-tariff-v1"


@dataclass(slots=True)
class LineResult:
    line: LineInput
    pointer: str
    reasons: list[Reason] = field(default_factory=list)
    valuation: Valuation | None = None
    deduction: Decimal = ZERO  # traveller allowance deducted from the customs value
    choice: RateChoice | None = None
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    relief: str | None = None  # set when a relief makes the whole line free of duty and tax
    demo: bool = False

    @property
    def can_assess(self) -> bool:
        return not self.reasons

    @property
    def duty(self) -> Decimal:
        return sum((f.amount for f in self.figures if f.key in DUTY_KEYS), ZERO)

    @property
    def taxes(self) -> Decimal:
        return sum((f.amount for f in self.figures if f.key not in DUTY_KEYS), ZERO)

    @property
    def due(self) -> Decimal:
        return ZERO if self.relief else self.duty + self.taxes

    @property
    def taxable_value(self) -> Decimal | None:
        if self.valuation is None:
            return None
        value = self.valuation.customs_value - self.deduction
        return value if value > ZERO else ZERO

    def assessed(self) -> AssessedLine:
        """The line's figures typed, for the declaration and risk selection; they agree with
        :meth:`as_dict`, which explains the same figures for people."""
        applied = self.choice.applied if self.choice is not None else None
        claim = self.line.preference
        taxes: dict[str, Decimal] = {}
        if self.can_assess:
            for f in self.figures:
                if f.key not in DUTY_KEYS:
                    taxes[f.key] = taxes.get(f.key, ZERO) + f.amount
        return AssessedLine(
            line_number=self.line.line_number,
            can_assess=self.can_assess,
            customs_value_krw=self.valuation.customs_value if self.valuation is not None else None,
            duty_krw=self.duty if self.can_assess else None,
            taxes_krw=self.taxes if self.can_assess else None,
            due_krw=self.due if self.can_assess else None,
            taxes_by_kind=MappingProxyType(taxes),
            applied_rate_code=applied.measure.rate_code if applied is not None else None,
            applied_rate_kind=applied.rule.kind if applied is not None and applied.rule is not None else None,
            preference_rate_code=claim.rate_code if claim is not None else None,
            preference_granted=claim.granted if claim is not None else None,
        )

    def as_dict(self, snapshot: TariffSnapshot) -> dict[str, Any]:
        line = self.line
        d: dict[str, Any] = {
            "line_number": line.line_number,
            "commodity_code": line.commodity_code,
            "origin": line.origin,
            "can_assess": self.can_assess,
        }
        if self.reasons:
            d["reasons"] = [r.as_dict() for r in self.reasons]
        if self.valuation is not None:
            d["customs_value_krw"] = str(self.valuation.customs_value)
            d["valuation"] = self.valuation.as_dict()
            if self.deduction:
                d["valuation"]["traveller_allowance_deducted_krw"] = str(self.deduction)
                d["valuation"]["taxable_value_krw"] = str(self.taxable_value)
        if self.choice is not None:
            applied = self.choice.applied
            d["rates"] = {
                "applied": applied.measure.rate_code if applied else None,
                "added": [r.measure.rate_code for r in self.choice.remedies],
                "candidates": [c.as_dict(snapshot.geography) for c in self.choice.candidates],
            }
        if line.preference is not None:
            p = line.preference
            d["preference"] = {
                "agreement": p.agreement,
                "rate_code": p.rate_code,
                "certificate_reference": p.certificate_reference,
                "granted": p.granted,
                "reasons": list(p.reasons),
                "assumed_for_estimate": p.assumed,
            }
        if self.can_assess:
            d["duty_krw"] = str(self.duty)
            d["taxes_krw"] = str(self.taxes)
            d["assessed_krw"] = str(self.duty + self.taxes)
            d["due_krw"] = str(self.due)
            d["figures"] = [f.as_dict() for f in self.figures]
            if self.relief:
                d["relief"] = self.relief
        if self.notes:
            d["notes"] = list(self.notes)
        if self.demo:
            d["demo_data"] = True
        return d


@dataclass(slots=True)
class DeclarationResult:
    on: date
    regime: Regime
    lines: list[LineResult]
    reasons: list[Reason] = field(default_factory=list)
    adjustments: list[reliefs.Adjustment] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def can_assess(self) -> bool:
        return not self.reasons and all(line.can_assess for line in self.lines)

    def totals(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for line in self.lines:
            if not line.can_assess or line.relief:
                continue
            for f in line.figures:
                totals[f.key] = totals.get(f.key, ZERO) + f.amount
        return totals

    @property
    def total_due(self) -> Decimal | None:
        if not self.can_assess:
            return None
        return sum((line.due for line in self.lines), ZERO) + sum((a.amount for a in self.adjustments), ZERO)

    @property
    def demo(self) -> bool:
        return any(line.demo for line in self.lines)

    def as_dict(self, snapshot: TariffSnapshot) -> dict[str, Any]:
        total = self.total_due
        return {
            "method": METHOD,
            "on": self.on.isoformat(),
            "regime": self.regime.value,
            "can_assess": self.can_assess,
            "total_due_krw": None if total is None else str(total),
            "totals_krw": {k: str(v) for k, v in self.totals().items()},
            "adjustments": [a.as_dict() for a in self.adjustments],
            "reasons": [r.as_dict() for r in self.reasons],
            "notes": list(self.notes),
            "demo_data": self.demo,
            "lines": [line.as_dict(snapshot) for line in self.lines],
        }


def assess(request: AssessmentRequest, snapshot: TariffSnapshot) -> DeclarationResult:
    """Assess every line of the request on ``request.on`` and apply the declaration-level rules."""
    on = request.on
    params = snapshot.parameters.on(on)
    result = DeclarationResult(on, request.regime, [])
    try:
        amount_unit = params.decimal(TAX_AMOUNT_UNIT)
        vat_rate = params.decimal(VAT_RATE_PCT)
    except MissingParameter as exc:
        result.reasons.append(Reason("missing_parameter", f"{exc} (load them: clearway tariff load-bundled)"))
        fx_for = FxResolver(on, snapshot.exchange_rates, request.exchange_rates)
        result.lines = [
            check_line(line, i, request, snapshot, fx_for)[0] for i, line in enumerate(request.lines)
        ]
        return result
    fx_for = FxResolver(on, snapshot.exchange_rates, request.exchange_rates)
    vat_text = f"{vat_rate:f}".rstrip("0").rstrip(".") + "%" if "." in f"{vat_rate:f}" else f"{vat_rate:f}%"
    lines = [
        assess_line(line, i, request, snapshot, amount_unit, vat_rate, fx_for=fx_for, vat_text=vat_text)
        for i, line in enumerate(request.lines)
    ]
    result.lines = lines
    if request.regime is Regime.SMALL_PARCEL:
        reliefs.apply_de_minimis(result, request, snapshot, params)
    elif request.regime is Regime.TRAVELLER:
        deductions = reliefs.traveller_deductions(result, request, snapshot, params)
        if deductions:
            result.lines = [
                assess_line(
                    line,
                    i,
                    request,
                    snapshot,
                    amount_unit,
                    vat_rate,
                    deductions.get(i, ZERO),
                    fx_for,
                    vat_text,
                )
                if deductions.get(i)
                else lines[i]
                for i, line in enumerate(request.lines)
            ]
        if result.can_assess:
            reliefs.apply_self_declaration(result, request, params)
    if result.can_assess:
        reliefs.apply_minimum_collection(result, params)
    return result


def assess_line(
    line: LineInput,
    index: int,
    request: AssessmentRequest,
    snapshot: TariffSnapshot,
    amount_unit: Decimal,
    vat_rate: Decimal,
    deduction: Decimal = ZERO,
    fx_for: FxResolver | None = None,
    vat_text: str | None = None,
) -> LineResult:
    on = request.on
    if fx_for is None:
        fx_for = FxResolver(on, snapshot.exchange_rates, request.exchange_rates)
    out, measures = check_line(line, index, request, snapshot, fx_for)
    valuation = out.valuation
    if out.reasons or valuation is None:
        return out
    out.notes += valuation.notes
    return _finish(out, line, request, snapshot, measures, amount_unit, vat_rate, deduction, fx_for, vat_text)


def check_line(
    line: LineInput, index: int, request: AssessmentRequest, snapshot: TariffSnapshot, fx_for: FxResolver
) -> tuple[LineResult, list[Any]]:
    """The checks before any figure: code on the date, amounts, claim, exchange rate, rates loaded."""
    on = request.on
    pointer = f"/items/{index}"
    out = LineResult(line, pointer)
    code = line.commodity_code
    problem = snapshot.check_code(code, on)
    if problem is not None:
        out.reasons.append(
            Reason(problem[0], f"{problem[1]} (on {on.isoformat()})", f"{pointer}/commodity_code")
        )
    if line.quantity <= ZERO:
        out.reasons.append(
            Reason("non_positive_quantity", "the quantity must be positive", f"{pointer}/quantity")
        )
    claim = line.preference
    if claim is not None and not claim.certificate_reference:
        out.reasons.append(
            Reason(
                "claim_without_certificate",
                f"the {claim.agreement} preference claim names no "
                "certificate of origin (FTA 관세특례법 제8조): attach one or withdraw the claim",
                f"{pointer}/preference/certificate_reference",
            )
        )
    valuation, reasons = value_line(line, on, fx_for, pointer)
    out.reasons += reasons
    out.valuation = valuation
    measures = snapshot.measures.on(code, on) if problem is None else []
    if problem is None and not measures:
        out.reasons.append(
            Reason(
                "no_rate_loaded",
                f"no rate loaded for {code} on {on.isoformat()}: load the "
                "official KCS rate file (clearway tariff load)",
                f"{pointer}/commodity_code",
            )
        )
    return out, measures


def _finish(
    out: LineResult,
    line: LineInput,
    request: AssessmentRequest,
    snapshot: TariffSnapshot,
    measures: list[Any],
    amount_unit: Decimal,
    vat_rate: Decimal,
    deduction: Decimal,
    fx_for: FxResolver,
    vat_text: str | None,
) -> LineResult:
    on = request.on
    pointer = out.pointer
    code = line.commodity_code
    claim = line.preference
    valuation = out.valuation
    assert valuation is not None
    out.deduction = deduction
    value = valuation.customs_value - deduction if deduction else valuation.customs_value
    if value < ZERO:
        value = ZERO
    to_working = fx_for.per_unit
    quantity_of = declared_quantity_resolver(line.quantity, line.quantity_unit, line.net_mass_kg)
    facts = ClaimFacts(
        origin=line.origin,
        fta_rate_code=claim.rate_code if claim else None,
        granted=bool(claim and claim.granted),
        refusal="; ".join(claim.reasons) if claim else "",
        use_type=line.use_type,
        recommendation=line.recommendation,
        agreement=claim.agreement if claim else None,
        on=on,
    )
    choice = choose(
        measures,
        facts,
        value,
        quantity_of,
        to_working,
        snapshot.currency,
        snapshot.priority,
        snapshot.geography,
    )
    out.choice = choice
    if choice.error is not None or choice.applied is None:
        code_, message = choice.error or ("no_rate", "no rate applies")
        out.reasons.append(Reason(code_, message, f"{pointer}/commodity_code"))
        return out
    applied = choice.applied
    assert applied.result is not None
    parts = (("customs_value", value),)
    note = applied.measure.description
    if (
        claim is not None
        and claim.assumed
        and applied.rule is not None
        and applied.measure.rate_code == claim.rate_code
    ):
        note = "FTA rate applied on the filer's assumption that the claim will be granted (estimate only)"
    out.figures.append(
        Figure(
            "customs_duty",
            truncate(applied.result.amount, amount_unit),
            applied.result.amount,
            value,
            parts,
            applied.measure.expression,
            applied.measure.rate_code,
            "won_10",
            applied.result,
            note,
            _basis(applied),
        )
    )
    demo = applied.measure.demo
    for remedy in choice.remedies:
        assert remedy.result is not None
        key = REMEDY_TAX_KEY.get(remedy.measure.rate_code, "anti_dumping_duty")
        out.figures.append(
            Figure(
                key,
                truncate(remedy.result.amount, amount_unit),
                remedy.result.amount,
                value,
                parts,
                remedy.measure.expression,
                remedy.measure.rate_code,
                "won_10",
                remedy.result,
                remedy.measure.description,
            )
        )
        demo = demo or remedy.measure.demo
    duty_total = sum((f.amount for f in out.figures), ZERO)
    taxes, exemption, reasons = internal_taxes(
        code,
        on,
        value,
        duty_total,
        line.quantity,
        line.quantity_unit,
        quantity_of,
        to_working,
        snapshot.internal_taxes,
        amount_unit,
        pointer,
    )
    if reasons:
        out.reasons += reasons
        return out
    out.figures += taxes
    out.figures.append(vat(value, out.figures, vat_rate, amount_unit, exemption, vat_text))
    out.demo = demo or valuation.fx.demo
    if demo:
        out.notes.append("DEMO DATA: the rate applied is a demo value, not an official rate")
    if valuation.fx.demo:
        out.notes.append("DEMO DATA: the exchange rate is a demo value, not the customs rate")
    return out


def _basis(applied: Any) -> str | None:
    rule = applied.rule
    if rule is None:
        return None
    return f"{rule.legal_basis} ({rule.name_ko}); 관세법 제50조 (세율 적용의 우선순위)"


def week_text(on: date) -> str:
    start, end = week_of(on)
    return f"{start.isoformat()}..{end.isoformat()}"


__all__ = ["METHOD", "DeclarationResult", "LineResult", "ParameterSet", "assess", "assess_line", "week_text"]
