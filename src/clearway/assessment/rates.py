"""Which rate applies: every candidate measure, and the choice under 관세법 제50조 / FTA 관세특례법 제5조.

The rates are compared by the duty they give on this line (ad valorem, specific and greater-of rates compare
on one scale), exact before rounding:

1. 기본세율 A, or 잠정세율 B where there is one (B takes precedence over A, 제50조 제1항);
2. LDC rate R takes precedence over A/B; quota (할당관세 P) and adjustment (조정관세 L) rates take precedence
   over A/B and over R only if lower;
3. WTO/international concessions (C, CIT, D, E, G, F, N) apply only if lower than the result of step 2;
   W1/W2 (농림축산물 양허) take precedence over A/B even when higher, over P/L/R only if lower;
4. an FTA rate applies only with a granted preference claim and only if not higher than the result of step
   3 (the importer may elect it when equal: a claim is that election);
5. trade-remedy duties (anti-dumping I, countervailing M, special safeguard T ...) are added on top;
6. goods of North Korean origin take the file's U rate instead of any other (inter-Korean trade).

Conditions the rate file states are checked here: a rate for particular countries (적용국가구분 2, an FTA
code's partners from the day the agreement entered into force for them), a use (용도세율구분: only for a line
declared for that use) and a reference price (기준가격: only while the goods' price per unit is below it).

A candidate the engine cannot apply without facts the line does not carry (a use, a recommendation, a list of
origins not loaded) is shown with the reason and not applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from clearway.tariff.duty import CannotCompute, DutyResult, QuantityOf, ToWorking, evaluate
from clearway.tariff.geography import Geography, UnknownArea
from clearway.tariff.measures import Measure
from clearway.tariff.priority import RateKind, RatePriority, RateRule

# candidate statuses
APPLIED = "applied"
ADDED = "added"  # trade remedy added on top
NOT_LOWER = "not_lower"
SUPERSEDED = "superseded"
CONDITIONAL = "conditional"
NOT_GRANTED = "not_granted"
NOT_CLAIMED = "not_claimed"
OTHER_ORIGIN = "other_origin"
REFERENCE = "reference"
NO_RULE = "no_rule"
_NOT_EVALUATED = frozenset({OTHER_ORIGIN, REFERENCE})


@dataclass(slots=True)
class Candidate:
    measure: Measure
    rule: RateRule | None
    status: str
    reason: str
    result: DutyResult | None = None
    error: CannotCompute | None = None

    @property
    def amount(self) -> Decimal | None:
        return None if self.result is None else self.result.amount

    def as_dict(self, geography: Geography) -> dict[str, Any]:
        m = self.measure
        name = self.rule.name_en if self.rule else None
        if self.rule is not None and self.rule.kind is RateKind.FTA:
            agreement = geography.agreement_by_rate_code.get(m.rate_code)
            name = f"FTA preferential rate ({agreement})" if agreement else "FTA preferential rate"
        d: dict[str, Any] = {
            "rate_code": m.rate_code,
            "name_ko": self.rule.name_ko if self.rule else None,
            "name": name,
            "rank": self.rule.rank if self.rule and self.rule.rank < 99 else None,
            "legal_basis": self.rule.legal_basis if self.rule else None,
            "rate": m.expression.text(),
            "origins": geography.describe(m.geo_area, m.rate_code),
            "valid_from": m.valid_from.isoformat(),
            "valid_to": m.valid_to.isoformat() if m.valid_to else None,
            "duty_krw": None if self.result is None else _plain(self.result.amount),
            "status": self.status,
            "reason": self.reason,
            "source": m.source,
        }
        if m.demo:
            d["demo"] = True
        if m.description:
            d["note"] = m.description
        return d


@dataclass(slots=True)
class RateChoice:
    candidates: list[Candidate]
    applied: Candidate | None
    remedies: list[Candidate]
    error: tuple[str, str] | None = None  # (code, message) when no honest choice is possible


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    """What the line says about conditions some rates need."""

    origin: str
    fta_rate_code: str | None = None  # the rate code of the agreement claimed
    granted: bool = False
    refusal: str = ""  # why the claim was not granted
    use_type: str | None = None
    recommendation: bool = False  # holds the recommendation (추천) W1/P1 need
    agreement: str | None = None  # the agreement claimed (KR-CN, RCEP ...): any of its rate codes may apply
    on: date | None = None  # declaration date: an agreement serves a partner from its entry into force


def choose(
    measures: list[Measure],
    facts: ClaimFacts,
    value: Decimal,
    quantity_of: QuantityOf,
    to_working: ToWorking,
    currency: str,
    priority: RatePriority,
    geography: Geography,
) -> RateChoice:
    candidates: list[Candidate] = []
    eligible: dict[RateKind, list[Candidate]] = {}
    for m in measures:
        rule = priority.rule_for(m.rate_code)
        status, reason = _screen(m, rule, facts, geography)
        if status == "" and m.reference_price:
            status, reason = _price_condition(m, value, quantity_of)
        c = Candidate(m, rule, status, reason)
        if (
            status not in _NOT_EVALUATED
        ):  # rates for other origins and reference lines: shown without an amount
            try:
                c.result = evaluate(m.expression, value, quantity_of, to_working, currency)
            except CannotCompute as exc:
                c.error = exc
        candidates.append(c)
        if status == "" and rule is not None:
            eligible.setdefault(rule.kind, []).append(c)

    for group in eligible.values():
        for c in group:
            if c.error is not None:  # an eligible rate we cannot evaluate: no honest choice
                _settle(candidates, "undecided", "not decided: another eligible rate could not be evaluated")
                c.status, c.reason = "not_computable", c.error.message
                return RateChoice(
                    candidates, None, [], (c.error.code, f"{c.measure.rate_code}: {c.error.message}")
                )

    base = _latest(eligible.get(RateKind.PROVISIONAL)) or _basic(eligible.get(RateKind.BASIC))
    if base is None:
        _settle(candidates, "undecided", "not decided: no basic rate to compare with")
        return RateChoice(
            candidates,
            None,
            [],
            (
                "no_basic_rate",
                "no basic (A) or provisional (B) rate is loaded "
                "for this code on this date, so the applicable rate cannot be "
                "established",
            ),
        )
    current = base
    for other in eligible.get(RateKind.BASIC, []) + eligible.get(RateKind.PROVISIONAL, []):
        if other is not base:
            _lose(
                other,
                SUPERSEDED,
                "잠정세율 B takes precedence over 기본세율 A (관세법 제50조 제1항)"
                if base.rule and base.rule.kind is RateKind.PROVISIONAL
                else "another rate of this rank applies",
            )

    ldc = _lowest(eligible.get(RateKind.LDC))
    if ldc is not None:
        _lose(current, SUPERSEDED, "the LDC rate R takes precedence over ranks 6-7")
        current = ldc

    quota = _lowest(eligible.get(RateKind.QUOTA_ADJUSTMENT))
    if quota is not None:
        if current.rule and current.rule.kind is RateKind.LDC and _amt(quota) >= _amt(current):
            _lose(quota, NOT_LOWER, "applies over the LDC rate only if lower")
        else:
            _lose(
                current,
                SUPERSEDED,
                f"{quota.measure.rate_code} ({quota.rule.name_ko if quota.rule else ''}) "
                "takes precedence over ranks 5-7",
            )
            current = quota
    _others_lose(eligible.get(RateKind.QUOTA_ADJUSTMENT), quota, "a lower rate of the same rank applies")

    r47 = current
    options: list[Candidate] = []
    agri = _lowest(eligible.get(RateKind.AGRI_CONCESSION))
    if agri is not None:
        if (r47.rule and r47.rule.rank >= 6) or _amt(agri) < _amt(r47):
            options.append(agri)
        else:
            _lose(agri, NOT_LOWER, "applies over quota/adjustment/LDC rates only if lower")
    concession = _lowest(eligible.get(RateKind.CONCESSION))
    if concession is not None:
        if _amt(concession) < _amt(r47):
            options.append(concession)
        else:
            _lose(
                concession,
                NOT_LOWER,
                f"not lower than {r47.measure.rate_code}: a concession rate applies only "
                "if lower than ranks 4-7 (관세법 제50조)",
            )
    _others_lose(eligible.get(RateKind.AGRI_CONCESSION), agri, "a lower rate of the same rank applies")
    _others_lose(eligible.get(RateKind.CONCESSION), concession, "a lower rate of the same rank applies")
    if options:
        best = min(options, key=_amt)
        for o in options:
            if o is not best:
                _lose(o, NOT_LOWER, f"{best.measure.rate_code} of the same rank gives less duty")
        _lose(current, SUPERSEDED, f"{best.measure.rate_code} applies (관세법 제50조 제3항)")
        current = best

    fta = _lowest(_most_specific(eligible.get(RateKind.FTA), geography))
    if fta is not None:
        if _amt(fta) <= _amt(current):
            equal = _amt(fta) == _amt(current)
            _lose(
                current,
                SUPERSEDED,
                f"the FTA rate {fta.measure.rate_code} is "
                + ("equal and the importer elected it by claiming it" if equal else "lower")
                + " (FTA 관세특례법 제5조)",
            )
            current = fta
        else:
            _lose(
                fta,
                NOT_LOWER,
                f"higher than {current.measure.rate_code}: an FTA rate applies only where it is "
                "not higher (FTA 관세특례법 제5조)",
            )
    _others_lose(eligible.get(RateKind.FTA), fta, "a lower FTA rate applies")

    override = _latest(eligible.get(RateKind.OVERRIDE))
    if override is not None:
        _lose(current, SUPERSEDED, f"{override.measure.rate_code} is applied first (관세법 제50조)")
        current = override

    inter_korean = _latest(eligible.get(RateKind.INTER_KOREAN))
    if inter_korean is not None:
        _lose(
            current,
            SUPERSEDED,
            "goods of North Korean origin take the U rate (남북교류협력에 관한 법률 제26조)",
        )
        current = inter_korean

    current.status = APPLIED
    current.reason = current.reason or "applied under the rate priority (관세법 제50조)"
    remedies = eligible.get(RateKind.REMEDY, [])
    for r in remedies:
        r.status = ADDED
        r.reason = "added on top of the applied rate (trade remedy)"
    _settle(candidates, SUPERSEDED, "another rate of the same rank applies")
    return RateChoice(candidates, current, remedies)


def _settle(candidates: list[Candidate], status: str, reason: str) -> None:
    for c in candidates:
        if c.status == "":
            c.status, c.reason = status, reason


def _screen(m: Measure, rule: RateRule | None, facts: ClaimFacts, geography: Geography) -> tuple[str, str]:
    """'' if the measure is eligible for this line, else (status, reason)."""
    if rule is None:
        return NO_RULE, f"rate code {m.rate_code} has no place in the rate priority table; not applied"
    if rule.kind is RateKind.REFERENCE:
        return REFERENCE, "reference only (e.g. an FTA schedule's base rate); never applied"
    try:
        if not geography.applies(m.geo_area, m.rate_code, m.excluded, facts.origin):
            return (
                OTHER_ORIGIN,
                f"applies to {geography.describe(m.geo_area, m.rate_code)}, not to {facts.origin}",
            )
    except UnknownArea as exc:
        return CONDITIONAL, f"{exc}; shown, not applied"
    start = geography.in_force_from(m.rate_code, facts.origin)
    if facts.on is not None and start is not None and facts.on < start:
        return OTHER_ORIGIN, f"the agreement enters into force for {facts.origin} on {start.isoformat()}"
    if m.conditional:
        return CONDITIONAL, "the source marks this rate as conditional; not applied automatically"
    if m.use_type and m.use_type != facts.use_type:
        declared = (
            f"; the line declares use '{facts.use_type}'"
            if facts.use_type
            else ", which the line does not declare"
        )
        return CONDITIONAL, f"applies only to goods declared for use '{m.use_type}' (용도세율구분){declared}"
    if rule.needs_recommendation and not facts.recommendation:
        return (
            CONDITIONAL,
            f"{m.rate_code} needs a recommendation or quota allocation (추천), which the line does "
            "not declare",
        )
    if rule.kind is RateKind.FTA:
        agreement = geography.agreement_code_by_rate_code.get(m.rate_code)
        claimed = facts.fta_rate_code == m.rate_code or (
            facts.agreement is not None and agreement == facts.agreement
        )
        if not claimed:
            return NOT_CLAIMED, "no preference claim under this agreement on the line"
        if not facts.granted:
            return NOT_GRANTED, f"preference claim not granted: {facts.refusal}"
    return "", ""


def _price_condition(m: Measure, value: Decimal, quantity_of: QuantityOf) -> tuple[str, str]:
    """기준가격: the rate applies while the goods' price per unit (the unit of the row's per-unit amount, else
    kilograms) is below the reference price. '' when it applies."""
    assert m.reference_price is not None
    unit = next((c.unit for c in m.expression.components if c.unit), None) or "KGM"
    try:
        quantity = quantity_of(unit, None)
    except CannotCompute:
        quantity = None
    condition = f"applies only below the reference price of {_plain(m.reference_price)} won/{unit} (기준가격)"
    if not quantity:
        return CONDITIONAL, f"{condition}; the line gives no quantity in {unit}"
    try:
        price = value / quantity
    except (InvalidOperation, ZeroDivisionError):
        return CONDITIONAL, "the price per unit cannot be worked out"
    if price >= m.reference_price:
        cost = _plain(price.quantize(Decimal("0.01")))
        return CONDITIONAL, f"{condition}; the goods cost {cost} won/{unit}"
    return "", ""


def _most_specific(group: list[Candidate] | None, geography: Geography) -> list[Candidate] | None:
    """A rate for fewer partners of the agreement replaces its agreement-wide rate: the Korea–ASEAN 상호대응세율
    for Thailand (FASTH) applies to Thai goods instead of FAS1, even when higher."""
    if not group:
        return group
    size = {
        c.measure.rate_code: len(geography.partners_by_rate_code.get(c.measure.rate_code, ())) or 999
        for c in group
    }
    narrowest = min(size.values())
    keep = [c for c in group if size[c.measure.rate_code] == narrowest]
    for c in group:
        if c not in keep:
            _lose(
                c,
                SUPERSEDED,
                "a rate of this agreement for fewer partners (e.g. a reciprocal rate) applies "
                "to this origin instead",
            )
    return keep


def _basic(group: list[Candidate] | None) -> Candidate | None:
    """기본세율: the latest A row, a row for the line's declared use before the general one; an A1 variant only
    where no A row applies."""
    if not group:
        return None
    return max(
        group,
        key=lambda c: (c.measure.rate_code == "A", c.measure.use_type is not None, c.measure.valid_from),
    )


def _amt(c: Candidate) -> Decimal:
    assert c.result is not None
    return c.result.amount


def _lowest(group: list[Candidate] | None) -> Candidate | None:
    return min(group, key=_amt) if group else None


def _latest(group: list[Candidate] | None) -> Candidate | None:
    return max(group, key=lambda c: c.measure.valid_from) if group else None


def _lose(c: Candidate, status: str, reason: str) -> None:
    c.status = status
    c.reason = reason


def _others_lose(group: list[Candidate] | None, winner: Candidate | None, reason: str) -> None:
    for c in group or ():
        if c is not winner and c.status == "":
            _lose(c, NOT_LOWER, reason)


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
