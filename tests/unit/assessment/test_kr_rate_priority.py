"""관세법 제50조 / FTA 관세특례법 제5조: which rate applies, with hand-computed duties.

Every line here is CIF USD 1,000 at 1,400 won = customs value 1,400,000 won unless stated.
"""

from __future__ import annotations

from datetime import date

from clearway.tariff.measures import DutyExpression, Measure
from tests.unit.assessment.assessment_helpers import LAPTOP, D, av, claim, figures, line, run, snapshot


def applied(result):
    return result.lines[0].choice.applied.measure.rate_code


def status(result, rate_code):
    return next(c.status for c in result.lines[0].choice.candidates if c.measure.rate_code == rate_code)


def test_basic_rate_alone():
    result = run(snapshot([av(LAPTOP, "A", "8")]), line())
    assert applied(result) == "A" and figures(result)["customs_duty"] == 112_000  # 1,400,000 x 8%


def test_wto_rate_applies_only_if_lower():
    # C 6.5% → 91,000 < A 112,000: C applies
    result = run(snapshot([av(LAPTOP, "A", "8"), av(LAPTOP, "C", "6.5")]), line())
    assert applied(result) == "C" and figures(result)["customs_duty"] == 91_000
    # C 10% → 140,000 is not lower than A: A applies
    result = run(snapshot([av(LAPTOP, "A", "8"), av(LAPTOP, "C", "10")]), line())
    assert applied(result) == "A" and status(result, "C") == "not_lower"


def test_provisional_rate_takes_precedence_over_basic_even_when_higher():
    result = run(snapshot([av(LAPTOP, "A", "5"), av(LAPTOP, "B", "8")]), line())
    assert applied(result) == "B" and figures(result)["customs_duty"] == 112_000
    assert status(result, "A") == "superseded"


def test_quota_rate_takes_precedence_over_basic_even_when_higher():
    # P3 10% → 140,000 applies over A 8% (rank 4 over ranks 6-7)
    result = run(snapshot([av(LAPTOP, "A", "8"), av(LAPTOP, "P3", "10")]), line())
    assert applied(result) == "P3" and figures(result)["customs_duty"] == 140_000


def test_wto_rate_compared_with_the_quota_rate():
    # A 8, P3 3 (42,000), C 5 (70,000): C is not lower than P3 → P3 applies
    result = run(snapshot([av(LAPTOP, "A", "8"), av(LAPTOP, "P3", "3"), av(LAPTOP, "C", "5")]), line())
    assert applied(result) == "P3" and figures(result)["customs_duty"] == 42_000
    assert status(result, "C") == "not_lower"


def test_recommended_quota_rate_needs_a_recommendation():
    measures = [av(LAPTOP, "A", "8"), av(LAPTOP, "P1", "0")]
    result = run(snapshot(measures), line())
    assert applied(result) == "A" and status(result, "P1") == "conditional"
    result = run(snapshot(measures), line(recommendation=True))
    assert applied(result) == "P1" and figures(result)["customs_duty"] == 0


def test_agricultural_concession_w2_prevails_over_basic_even_when_higher():
    # W2 50% → 700,000 over A 30% (420,000): 관세법 제50조 제3항 단서
    result = run(snapshot([av(LAPTOP, "A", "30"), av(LAPTOP, "W2", "50")]), line())
    assert applied(result) == "W2" and figures(result)["customs_duty"] == 700_000


def test_agricultural_concession_over_quota_only_if_lower():
    # P3 20% (280,000) vs W2 50% (700,000): W2 is not lower → P3
    result = run(snapshot([av(LAPTOP, "A", "30"), av(LAPTOP, "W2", "50"), av(LAPTOP, "P3", "20")]), line())
    assert applied(result) == "P3" and status(result, "W2") == "not_lower"


def test_fta_rate_with_a_granted_claim_when_lower():
    # KORUS FUS1 0% < A 8%: duty 0; VAT 1,400,000 x 10% = 140,000
    snap = snapshot([av(LAPTOP, "A", "8"), av(LAPTOP, "FUS1", "0")])
    result = run(snap, line(origin="US", preference=claim("KORUS", "FUS1")))
    assert applied(result) == "FUS1" and figures(result) == {"customs_duty": 0, "vat": 140_000}


def test_fta_rate_when_equal_is_elected_by_the_claim():
    # C 6.5% = FUS1 6.5% = 91,000: the importer may elect the FTA rate
    snap = snapshot([av(LAPTOP, "A", "8"), av(LAPTOP, "C", "6.5"), av(LAPTOP, "FUS1", "6.5")])
    result = run(snap, line(origin="US", preference=claim("KORUS", "FUS1")))
    assert applied(result) == "FUS1" and figures(result)["customs_duty"] == 91_000
    assert "elected" in next(
        c.reason for c in result.lines[0].choice.candidates if c.measure.rate_code == "C"
    )


def test_fta_rate_not_applied_when_higher():
    snap = snapshot([av(LAPTOP, "A", "8"), av(LAPTOP, "FUS1", "10")])
    result = run(snap, line(origin="US", preference=claim("KORUS", "FUS1")))
    assert applied(result) == "A" and status(result, "FUS1") == "not_lower"


def test_fta_rate_not_applied_without_a_granted_claim():
    snap = snapshot([av(LAPTOP, "A", "8"), av(LAPTOP, "FUS1", "0")])
    refused = run(snap, line(origin="US", preference=claim("KORUS", "FUS1", granted=False)))
    assert applied(refused) == "A" and status(refused, "FUS1") == "not_granted"
    none = run(snap, line(origin="US"))
    assert applied(none) == "A" and status(none, "FUS1") == "not_claimed"


def test_fta_rate_of_another_partner_does_not_apply():
    # FEU1 covers EU origins only; a US-origin line cannot use it even with a (wrong) claim
    snap = snapshot([av(LAPTOP, "A", "8"), av(LAPTOP, "FEU1", "0")])
    result = run(snap, line(origin="US", preference=claim("KR-EU", "FEU1")))
    assert applied(result) == "A" and status(result, "FEU1") == "other_origin"


def test_trade_remedy_added_on_top():
    # A 8% = 112,000; anti-dumping I 20% (on CN goods) = 280,000, a separate tax amount
    # VAT: (1,400,000 + 112,000 + 280,000) x 10% = 179,200
    snap = snapshot([av(LAPTOP, "A", "8"), av(LAPTOP, "I", "20", geo_area="CN")])
    result = run(snap, line(origin="CN"))
    assert figures(result) == {"customs_duty": 112_000, "anti_dumping_duty": 280_000, "vat": 179_200}
    assert result.lines[0].duty == 392_000
    other = run(snap, line(origin="VN"))
    assert figures(other) == {"customs_duty": 112_000, "vat": 151_200}
    assert status(other, "I") == "other_origin"


def test_trade_remedy_without_a_country_is_shown_not_applied():
    # a rate-file row for I names no country: it cannot be applied to anyone automatically
    snap = snapshot([av(LAPTOP, "A", "8"), av(LAPTOP, "I", "20")])
    result = run(snap, line(origin="CN"))
    assert figures(result)["customs_duty"] == 112_000 and "anti_dumping_duty" not in figures(result)
    assert status(result, "I") == "conditional"


def test_unknown_rate_code_is_listed_not_applied():
    snap = snapshot([av(LAPTOP, "A", "8"), av(LAPTOP, "Z9", "0")])
    result = run(snap, line())
    assert applied(result) == "A" and status(result, "Z9") == "no_rule"


def test_rates_compared_by_duty_amount_not_percentage():
    # A 8% = 112,000 vs C "1% or 300 won/kg whichever greater": 1,000 kg → 300,000 > 112,000, so A applies
    c = Measure(LAPTOP, "C", DutyExpression.greater_of("1", "300", "KGM"), date(2026, 1, 1))
    result = run(snapshot([av(LAPTOP, "A", "8"), c]), line(mass="1000"))
    assert applied(result) == "A"
    # with 100 kg the C duty is max(14,000, 30,000) = 30,000 < 112,000, so C applies
    result = run(snapshot([av(LAPTOP, "A", "8"), c]), line(mass="100"))
    assert applied(result) == "C" and figures(result)["customs_duty"] == 30_000


def test_rates_out_of_their_validity_are_ignored():
    old = av(LAPTOP, "A", "13")
    old = Measure(old.commodity_code, "A", old.expression, date(2026, 1, 1), date(2026, 2, 28))
    new = Measure(LAPTOP, "A", DutyExpression.ad_valorem("8"), date(2026, 3, 1))
    result = run(snapshot([old, new]), line())
    assert figures(result)["customs_duty"] == D(112_000)
