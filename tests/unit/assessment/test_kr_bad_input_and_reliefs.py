"""Cannot-assess reasons (never a silent zero) and the declaration-level reliefs, by hand."""

from __future__ import annotations

from datetime import date

from clearway.assessment.inputs import Regime
from clearway.tariff.measures import DutyExpression, Measure
from tests.unit.assessment.assessment_helpers import (
    BAG,
    BEER,
    LAPTOP,
    ORANGES,
    WHISKY,
    D,
    av,
    claim,
    figures,
    fx,
    line,
    reason_codes,
    run,
    snapshot,
)


def test_unknown_commodity_code():
    result = run(snapshot([av(LAPTOP, "A", "8")]), line("8471309999"))
    assert reason_codes(result) == ["unknown_commodity_code"]
    assert not result.can_assess and result.total_due is None
    assert "duty_krw" not in result.as_dict(snapshot([]))["lines"][0]


def test_code_not_valid_on_the_date():
    # the bundled HSK lines start on 2026-01-01
    result = run(
        snapshot([av(LAPTOP, "A", "8")], rates=[fx("USD", "1400", on=date(2025, 6, 4))]),
        line(),
        on=date(2025, 6, 4),
    )
    assert reason_codes(result) == ["commodity_code_not_yet_valid"]
    # and the bundled parameter set starts on 2026-01-01 too: a missing parameter is said, not assumed
    assert [r.code for r in result.reasons] == ["missing_parameter"]


def test_no_rate_loaded_for_the_code_on_the_date():
    result = run(snapshot([]), line())
    assert reason_codes(result) == ["no_rate_loaded"]
    assert "no rate loaded for 8471300000 on 2026-03-04" in result.lines[0].reasons[0].message


def test_rates_only_for_another_period():
    later = Measure(LAPTOP, "A", DutyExpression.ad_valorem("8"), date(2026, 6, 1))
    assert reason_codes(run(snapshot([later]), line())) == ["no_rate_loaded"]


def test_no_basic_rate_among_the_rates_loaded():
    result = run(snapshot([av(LAPTOP, "C", "0")]), line())
    assert reason_codes(result) == ["no_basic_rate"]


def test_currency_without_a_rate_that_week():
    result = run(snapshot([av(LAPTOP, "A", "8")]), line(currency="GBP"))
    (reason,) = result.lines[0].reasons
    assert reason.code == "no_exchange_rate" and reason.pointer == "/items/0/currency"
    assert "GBP" in reason.message and "2026-03-01 to 2026-03-07" in reason.message


def test_rate_of_the_previous_week_is_not_used():
    snap = snapshot([av(LAPTOP, "A", "8")], rates=[fx("USD", "1400", on=date(2026, 2, 25))])
    assert reason_codes(run(snap, line())) == ["no_exchange_rate"]


def test_specific_duty_with_a_unit_it_cannot_use():
    # 500 won per litre, but the line gives units and kilograms only
    snap = snapshot([Measure(LAPTOP, "A", DutyExpression.specific("500", "LTR"), date(2026, 1, 1))])
    result = run(snap, line(unit="U"))
    assert reason_codes(result) == ["unit_not_usable"]
    assert "LTR" in result.lines[0].reasons[0].message


def test_beer_declared_by_weight_cannot_get_its_per_litre_liquor_tax():
    result = run(
        snapshot([av(BEER, "A", "30")]), line(BEER, currency="EUR", quantity="500", unit="KGM", mass="500")
    )
    assert reason_codes(result) == ["unit_not_usable"]


def test_luxury_threshold_needs_a_count_of_items():
    result = run(snapshot([av(BAG, "A", "8")]), line(BAG, currency="EUR", quantity="3", unit="KGM"))
    assert reason_codes(result) == ["unit_not_usable"]


def test_negative_freight_and_missing_freight():
    snap = snapshot([av(LAPTOP, "A", "8")])
    assert reason_codes(run(snap, line(incoterm="FOB", freight="-5"))) == ["negative_freight"]
    assert reason_codes(run(snap, line(incoterm="FOB"))) == ["freight_missing"]
    assert reason_codes(run(snap, line(incoterm="XYZ"))) == ["unknown_incoterm"]


def test_claim_without_certificate():
    snap = snapshot([av(LAPTOP, "A", "8"), av(LAPTOP, "FUS1", "0")])
    result = run(snap, line(origin="US", preference=claim("KORUS", "FUS1", certificate=None)))
    assert reason_codes(result) == ["claim_without_certificate"]


def test_every_problem_of_a_line_is_reported_at_once():
    result = run(snapshot([]), line("8471309999", currency="GBP", incoterm="FOB", freight="-1"))
    assert set(reason_codes(result)) == {"unknown_commodity_code", "negative_freight", "no_exchange_rate"}


def test_one_bad_line_makes_the_declaration_unassessable_but_the_others_are_shown():
    snap = snapshot([av(LAPTOP, "A", "8")])
    result = run(snap, line(), line("8471309999", number=2))
    assert not result.can_assess and result.total_due is None
    assert result.lines[0].can_assess and figures(result)["customs_duty"] == 112_000


# ---- small parcels ------------------------------------------------------------------------------------
def test_small_parcel_within_usd_150_is_free():
    result = run(snapshot([av(LAPTOP, "A", "8")]), line(amount="150"), regime=Regime.SMALL_PARCEL)
    assert result.total_due == 0 and result.lines[0].relief


def test_small_parcel_above_usd_150_taxes_the_whole_value():
    # USD 150.01 x 1,400 = 210,014; duty 8% = 16,801.12 → 16,800; VAT 226,814 x 10% = 22,681.4 → 22,680
    result = run(snapshot([av(LAPTOP, "A", "8")]), line(amount="150.01"), regime=Regime.SMALL_PARCEL)
    assert result.total_due == 16_800 + 22_680
    assert any("whole value is taxed" in n for n in result.notes)


def test_small_parcel_from_the_us_has_a_usd_200_limit():
    snap = snapshot([av(LAPTOP, "A", "8")])
    assert run(snap, line(amount="180", origin="US"), regime=Regime.SMALL_PARCEL).total_due == 0
    assert run(snap, line(amount="180", origin="CN"), regime=Regime.SMALL_PARCEL).total_due > 0
    # the dispatch country decides, when given
    assert (
        run(
            snap, line(amount="180", origin="CN"), regime=Regime.SMALL_PARCEL, dispatch_country="US"
        ).total_due
        == 0
    )


def test_small_parcel_limit_is_on_the_goods_price_not_freight():
    # FOB USD 140 + freight 30: the goods price 140 is within 150, so the parcel is free
    snap = snapshot([av(LAPTOP, "A", "8")])
    result = run(snap, line(amount="140", incoterm="FOB", freight="30"), regime=Regime.SMALL_PARCEL)
    assert result.total_due == 0


def test_small_parcel_of_alcohol_is_taxed():
    # whisky USD 50 x 1,400 = 70,000; duty 20% = 14,000; 주세 72% of 84,000 = 60,480; 교육세 30% = 18,144 → 18,140
    # VAT: (70,000 + 14,000 + 60,480 + 18,140 = 162,620) x 10% = 16,262 → 16,260
    snap = snapshot([av(WHISKY, "A", "20")])
    result = run(
        snap,
        line(WHISKY, amount="50", origin="GB", quantity="1", unit="LTR", mass="1.5"),
        regime=Regime.SMALL_PARCEL,
    )
    assert result.total_due == 14_000 + 60_480 + 18_140 + 16_260


# ---- travellers ---------------------------------------------------------------------------------------
def test_traveller_allowance_and_self_declaration():
    # USD 1,000 x 1,400 = 1,400,000; allowance USD 800 x 1,400 = 1,120,000 → taxable 280,000
    # duty 8% = 22,400; VAT (280,000 + 22,400) x 10% = 30,240
    # self-declared: 30% of 22,400 = 6,720 not collected → due 22,400 + 30,240 - 6,720 = 45,920
    snap = snapshot([av(LAPTOP, "A", "8")])
    result = run(snap, line(amount="1000"), regime=Regime.TRAVELLER, self_declared=True)
    assert result.lines[0].deduction == 1_120_000
    assert figures(result) == {"customs_duty": 22_400, "vat": 30_240}
    assert [(a.key, a.amount) for a in result.adjustments] == [("self_declaration_reduction", -6_720)]
    assert result.total_due == 45_920
    not_declared = run(snap, line(amount="1000"), regime=Regime.TRAVELLER)
    assert not_declared.total_due == 52_640


def test_traveller_within_the_allowance_pays_nothing():
    snap = snapshot([av(LAPTOP, "A", "8")])
    assert run(snap, line(amount="800"), regime=Regime.TRAVELLER).total_due == 0


def test_traveller_allowance_goes_to_the_most_taxed_goods_first():
    # oranges (duty 50%) USD 600 = 840,000 and a laptop (8%) USD 600 = 840,000; allowance 1,120,000:
    # oranges fully covered (840,000), the laptop gets the remaining 280,000 → taxable 560,000
    # laptop duty 8% = 44,800; VAT (560,000 + 44,800) x 10% = 60,480; oranges: 0
    snap = snapshot([av(LAPTOP, "A", "8"), av(ORANGES, "A", "50")])
    result = run(
        snap,
        line(amount="600"),
        line(ORANGES, amount="600", quantity="10", unit="KGM", number=2),
        regime=Regime.TRAVELLER,
    )
    assert [ln.deduction for ln in result.lines] == [280_000, 840_000]
    assert result.total_due == 44_800 + 60_480


def test_self_declaration_reduction_is_capped():
    # USD 20,800 x 1,400 = 29,120,000 - 1,120,000 = 28,000,000 taxable; duty 8% = 2,240,000
    # 30% = 672,000 > cap 200,000 → reduction 200,000
    snap = snapshot([av(LAPTOP, "A", "8")])
    result = run(snap, line(amount="20800"), regime=Regime.TRAVELLER, self_declared=True)
    assert [a.amount for a in result.adjustments] == [-200_000]


def test_reliefs_need_the_usd_rate():
    snap = snapshot([av(LAPTOP, "A", "8")], rates=[fx("EUR", "1500")])
    result = run(snap, line(currency="EUR", amount="100"), regime=Regime.SMALL_PARCEL)
    assert not result.can_assess and result.reasons[0].code == "no_exchange_rate"


def test_amounts_are_decimal_all_the_way():
    snap = snapshot([av(LAPTOP, "A", "8")])
    result = run(snap, line(amount="0.01"))
    assert isinstance(result.total_due, D)
