"""The typed line result the assessment hands the declaration and risk selection agrees with the figures it
shows people (the display JSON of the same line), over generated declarations in every regime."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearway.assessment.inputs import Regime
from clearway.declaration.assessed import AssessedLine
from clearway.declaration.steps import AssessmentOutcome
from clearway.tariff.measures import DutyExpression, Measure
from clearway.tariff.priority import RateKind
from clearway.tariff.snapshot import TariffSnapshot
from tests.unit.assessment.assessment_helpers import (
    BAG,
    LAPTOP,
    WINE,
    assert_agrees,
    av,
    claim,
    line,
    run,
    snapshot,
)

UNRATED = "9503003900"  # a valid code with no rate loaded in these snapshots: valued, never assessed
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("3000000"), places=2)
pct = st.decimals(min_value=0, max_value=300, places=1)


@st.composite
def declarations(draw: st.DrawFn) -> tuple[TariffSnapshot, list[Any], Regime, bool]:
    measures = [
        av(LAPTOP, "A", str(draw(pct))),
        av(LAPTOP, "FUS1", str(draw(pct))),
        av(BAG, "A", str(draw(pct))),
        Measure(WINE, "A", DutyExpression.ad_valorem(draw(pct)), date(2026, 1, 1)),
    ]
    if draw(st.booleans()):  # an anti-dumping duty on top of the rate applied
        measures.append(av(BAG, "I", str(draw(pct)), geo_area="CN"))
    lines = []
    for number in range(1, draw(st.integers(min_value=1, max_value=4)) + 1):
        code = draw(st.sampled_from([LAPTOP, BAG, WINE, UNRATED]))
        preference = None
        if draw(st.booleans()):
            preference = claim(
                "KORUS",
                "FUS1",
                granted=draw(st.booleans()),
                certificate=draw(st.sampled_from(["CO-1", "CO-1", "CO-1", None])),
            )
        lines.append(
            line(
                code,
                number=number,
                amount=str(draw(money)),
                currency=draw(st.sampled_from(["USD", "USD", "EUR", "GBP"])),  # no GBP rate: not valued
                origin="US" if preference else draw(st.sampled_from(["US", "CN"])),
                unit="LTR" if code == WINE else "U",
                quantity=str(draw(st.sampled_from([0, 1, 2, 3, 10, 40]))),  # 0: a reason, not a figure
                preference=preference,
            )
        )
    regime = draw(st.sampled_from(list(Regime)))
    return snapshot(measures), lines, regime, draw(st.booleans())


@settings(max_examples=300, deadline=None)
@given(declarations())
def test_the_typed_result_agrees_with_the_display_figures(case: tuple[Any, ...]) -> None:
    snap, lines, regime, self_declared = case
    result = run(snap, *lines, regime=regime, self_declared=self_declared)
    for line_result in result.lines:
        assert_agrees(line_result.assessed(), line_result.as_dict(snap), snap)


def test_a_valued_line_without_a_rate_keeps_its_value_and_no_duty() -> None:
    snap = snapshot([av(LAPTOP, "A", "8")])
    result = run(snap, line(UNRATED, amount="1000"))
    typed = result.lines[0].assessed()
    assert not typed.can_assess and typed.customs_value_krw == Decimal(1_400_000)
    assert typed.duty_krw is None and typed.taxes_krw is None and typed.due_krw is None
    assert typed.applied_rate_code is None and typed.taxes_by_kind == {}
    assert_agrees(typed, result.lines[0].as_dict(snap), snap)


def test_a_granted_claim_applies_the_fta_rate_and_says_so() -> None:
    snap = snapshot([av(LAPTOP, "A", "8"), av(LAPTOP, "FUS1", "0")])
    result = run(snap, line(origin="US", preference=claim("KORUS", "FUS1")))
    typed = result.lines[0].assessed()
    assert (typed.applied_rate_code, typed.applied_rate_kind) == ("FUS1", RateKind.FTA)
    assert typed.preference_granted is True and typed.taxed_at() == "FUS1"
    assert typed.duty_krw == 0 and typed.taxes_by_kind["vat"] == typed.taxes_krw == Decimal(140_000)


def test_the_rate_taxed_at_falls_back_to_a_granted_preference_only() -> None:
    granted = AssessedLine(1, can_assess=False, preference_rate_code="FUS1", preference_granted=True)
    refused = AssessedLine(1, can_assess=False, preference_rate_code="FUS1", preference_granted=False)
    assert granted.taxed_at() == "FUS1" and refused.taxed_at() is None
    assert AssessedLine(1, True, applied_rate_code="A", preference_granted=True).taxed_at() == "A"


def test_an_outcome_must_type_every_line_it_explains() -> None:
    shown = [{"line_number": 1}, {"line_number": 2}]
    with pytest.raises(ValueError, match="typed results for lines \\[1\\]"):
        AssessmentOutcome("m", False, Decimal(0), shown, results=(AssessedLine(1, True),))
    both = AssessmentOutcome("m", False, None, shown, results=(AssessedLine(2, True), AssessedLine(1, True)))
    assert sorted(both.result_by_line()) == [1, 2]
    assert AssessmentOutcome("none", True, None).results == ()  # nothing explained, nothing typed


def test_a_trade_remedy_is_part_of_the_duty_not_of_the_taxes() -> None:
    snap = snapshot([av(BAG, "A", "8"), av(BAG, "I", "20", geo_area="CN")])
    result = run(snap, line(BAG, amount="1000", origin="CN"))
    typed = result.lines[0].assessed()
    assert typed.duty_krw == Decimal(112_000) + Decimal(280_000)  # 8% and 20% of 1,400,000 won
    assert "anti_dumping_duty" not in typed.taxes_by_kind and "vat" in typed.taxes_by_kind
    assert typed.applied_rate_code == "A" and typed.applied_rate_kind is RateKind.BASIC
    assert_agrees(typed, result.lines[0].as_dict(snap), snap)
