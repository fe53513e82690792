"""Invariants of the engine over generated lines and rates (hypothesis)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from clearway.assessment.explain import DUTY_KEYS
from clearway.assessment.taxes import truncate
from clearway.tariff.measures import DutyExpression, Measure
from tests.unit.assessment.assessment_helpers import BAG, CAR, LAPTOP, WINE, claim, fx, line, run, snapshot

pct = st.decimals(min_value=0, max_value=800, places=1)
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000000"), places=2)
specific = st.decimals(min_value=0, max_value=20000, places=0)
mass = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("100000"), places=3)
rate = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("3000"), places=2)
codes = st.sampled_from([LAPTOP, CAR, BAG, WINE])


def expression(draw_pct, draw_specific, kind):
    if kind == "ad_valorem":
        return DutyExpression.ad_valorem(draw_pct)
    if kind == "specific":
        return DutyExpression.specific(draw_specific, "KGM")
    return DutyExpression.greater_of(draw_pct, draw_specific, "KGM")


@st.composite
def cases(draw):
    code = draw(codes)
    kind_a = draw(st.sampled_from(["ad_valorem", "specific", "greater_of"]))
    measures = [Measure(code, "A", expression(draw(pct), draw(specific), kind_a), date(2026, 1, 1))]
    for rate_code in draw(st.lists(st.sampled_from(["C", "P3", "FUS1", "B"]), unique=True, max_size=3)):
        kind = draw(st.sampled_from(["ad_valorem", "greater_of"]))
        measures.append(
            Measure(code, rate_code, expression(draw(pct), draw(specific), kind), date(2026, 1, 1))
        )
    unit = "LTR" if code == WINE else "U"
    ln = line(
        code,
        amount=str(draw(money)),
        origin="US",
        mass=str(draw(mass)),
        unit=unit,
        quantity=str(draw(st.integers(min_value=1, max_value=500))),
        preference=claim("KORUS", "FUS1", granted=draw(st.booleans())),
    )
    return snapshot(measures, rates=[fx("USD", str(draw(rate)))]), ln


@settings(max_examples=300, deadline=None)
@given(cases())
def test_invariants(case):
    snap, ln = case
    result = run(snap, ln)
    line_result = result.lines[0]
    assert line_result.can_assess, line_result.reasons
    figures = line_result.figures

    # duty (and every other figure) is never negative
    assert all(f.amount >= 0 and f.exact >= 0 for f in figures)
    assert line_result.duty >= 0 and result.total_due >= 0

    # rounding never increases a tax, and drops less than 10 won (국고금 관리법 제47조)
    for f in figures:
        assert f.amount <= f.exact
        assert f.exact - f.amount < 10
        assert f.amount % 10 == 0
    assert line_result.valuation.customs_value <= line_result.valuation.exact_krw
    assert line_result.valuation.exact_krw - line_result.valuation.customs_value < 1

    # the VAT base includes every other tax: customs value + duty + internal taxes and surtaxes
    vat = next(f for f in figures if f.key == "vat")
    others = sum((f.amount for f in figures if f.key != "vat"), Decimal(0))
    assert vat.base == line_result.valuation.customs_value + others

    # an FTA rate is applied only with a granted claim and only when it is not higher than the rate that
    # would apply without it (FTA 관세특례법 제5조): compare with the same line without a granted claim
    choice = line_result.choice
    applied = choice.applied
    assert all(c.status and c.reason for c in choice.candidates)  # every candidate says what became of it
    refused = run(snap, replace(ln, preference=replace(ln.preference, granted=False))).lines[0].choice.applied
    assert refused.measure.rate_code != "FUS1"
    if applied.measure.rate_code == "FUS1":
        assert ln.preference.granted and applied.amount <= refused.amount
    else:
        assert applied.measure is refused.measure or applied.measure == refused.measure
        fta = next((c for c in choice.candidates if c.measure.rate_code == "FUS1"), None)
        if fta is not None and ln.preference.granted:
            assert fta.amount > refused.amount

    # the declaration total is what the lines owe, less any amount not collected
    assert result.total_due == line_result.due + sum((a.amount for a in result.adjustments), Decimal(0))
    assert sum((f.amount for f in figures if f.key in DUTY_KEYS), Decimal(0)) == line_result.duty


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=Decimal("1e9"), places=4), st.sampled_from([1, 10, 100]))
def test_truncation_never_increases(value, unit):
    out = truncate(value, Decimal(unit))
    assert out <= value and value - out < unit and out % unit == 0
