"""Worked examples, computed by hand in the comments, for each rule of the Korean engine."""

from __future__ import annotations

from datetime import date

from clearway.tariff.measures import DutyExpression, Measure
from tests.unit.assessment.assessment_helpers import (
    BAG,
    BEER,
    CAR,
    HONEY,
    LAPTOP,
    ON,
    ORANGES,
    WHISKY,
    WINE,
    D,
    av,
    figures,
    fx,
    line,
    run,
    snapshot,
)


def test_source_worked_example_cif_1000_usd_at_1200_8_percent():
    # kr_import_tax_parameters.json customs_duty.worked_example: CIF USD 1,000 x 1,200 = 1,200,000; 8% = 96,000
    snap = snapshot([av(LAPTOP, "A", "8")], rates=[fx("USD", "1200")])
    result = run(snap, line(amount="1000"))
    f = figures(result)
    assert result.lines[0].valuation.customs_value == 1_200_000
    assert f["customs_duty"] == 96_000
    # VAT: (1,200,000 + 96,000) x 10% = 129,600
    assert f["vat"] == 129_600
    assert result.total_due == 225_600


def test_fob_adds_freight_and_insurance_and_truncates():
    # FOB USD 1,000 + freight 100 + insurance 10 = CIF USD 1,110; x 1,351.27 = 1,499,909.7 → 1,499,909 (1-won base)
    # duty 8%: 1,499,909 x 0.08 = 119,992.72 → 119,990 (10-won truncation)
    # VAT: (1,499,909 + 119,990) = 1,619,899 x 10% = 161,989.9 → 161,980
    snap = snapshot([av(LAPTOP, "A", "8")], rates=[fx("USD", "1351.27")])
    result = run(snap, line(amount="1000", incoterm="FOB", freight="100", insurance="10"))
    ln = result.lines[0]
    assert ln.valuation.exact_krw == D("1499909.7")
    assert ln.valuation.customs_value == 1_499_909
    assert figures(result) == {"customs_duty": 119_990, "vat": 161_980}
    assert result.total_due == 281_970


def test_cfr_adds_insurance_only_and_notes_freight_already_in_price():
    # CFR USD 1,000 (price includes freight) + insurance 5 = 1,005 x 1,400 = 1,407,000
    snap = snapshot([av(LAPTOP, "A", "8")])
    result = run(snap, line(amount="1000", incoterm="CFR", freight="70", insurance="5"))
    ln = result.lines[0]
    assert ln.valuation.customs_value == 1_407_000
    assert any("freight 70 not added" in n for n in ln.notes)


def test_fob_without_insurance_adds_none_and_says_so():
    # FOB USD 1,000 + freight 50, no insurance declared: 1,050 x 1,400 = 1,470,000
    snap = snapshot([av(LAPTOP, "A", "8")])
    result = run(snap, line(amount="1000", incoterm="FOB", freight="50"))
    assert result.lines[0].valuation.customs_value == 1_470_000
    assert any("no insurance declared" in n for n in result.lines[0].notes)


def test_truncation_of_base_and_amounts():
    # CIF USD 1,000.37 x 1,400.13 = 1,400,648.0481 → customs value 1,400,648
    # duty 8%: 112,051.84 → 112,050; VAT: 1,512,698 x 10% = 151,269.8 → 151,260
    snap = snapshot([av(LAPTOP, "A", "8")], rates=[fx("USD", "1400.13")])
    result = run(snap, line(amount="1000.37"))
    assert result.lines[0].valuation.customs_value == 1_400_648
    duty = next(f for f in result.lines[0].figures if f.key == "customs_duty")
    assert (duty.exact, duty.amount) == (D("112051.84"), 112_050)
    assert figures(result)["vat"] == 151_260


def test_jpy_is_quoted_per_100():
    # CIF JPY 100,000 at 950 won per 100 yen = 950,000; duty 8% = 76,000
    snap = snapshot([av(LAPTOP, "A", "8")])
    result = run(snap, line(amount="100000", currency="JPY"))
    assert result.lines[0].valuation.customs_value == 950_000
    assert figures(result)["customs_duty"] == 76_000


def test_krw_invoice_needs_no_exchange_rate():
    snap = snapshot([av(LAPTOP, "A", "8")], rates=[])
    result = run(snap, line(amount="500000", currency="KRW"))
    assert result.lines[0].valuation.customs_value == 500_000  # duty 40,000; VAT 54,000
    assert figures(result) == {"customs_duty": 40_000, "vat": 54_000}


def test_what_if_exchange_rate_overrides_the_customs_rate():
    # USD 1,000 at the what-if 1,500 = 1,500,000 (the week's customs rate 1,400 is ignored)
    snap = snapshot([av(LAPTOP, "A", "8")])
    result = run(snap, line(amount="1000"), exchange_rates={"USD": D("1500")})
    ln = result.lines[0]
    assert ln.valuation.customs_value == 1_500_000
    assert ln.valuation.fx.what_if
    assert ln.as_dict(snap)["valuation"]["exchange_rate"]["what_if"] is True


def test_greater_of_ad_valorem_wins():
    # honey 100 kg, CIF USD 300 x 1,400 = 420,000: 243% = 1,020,600 > 1,864 x 100 kg = 186,400
    snap = snapshot([Measure(HONEY, "A", DutyExpression.greater_of("243", "1864", "KGM"), date(2026, 1, 1))])
    result = run(snap, line(HONEY, amount="300", quantity="100", unit="KGM", mass="100"))
    assert figures(result)["customs_duty"] == 1_020_600
    # VAT: (420,000 + 1,020,600) x 10% = 144,060
    assert figures(result)["vat"] == 144_060
    assert result.lines[0].figures[0].duty.chosen == 0


def test_greater_of_specific_wins():
    # CIF USD 30 x 1,400 = 42,000: 243% = 102,060 < 1,864 x 100 kg = 186,400 → 186,400
    snap = snapshot([Measure(HONEY, "A", DutyExpression.greater_of("243", "1864", "KGM"), date(2026, 1, 1))])
    result = run(snap, line(HONEY, amount="30", quantity="100", unit="KGM", mass="100"))
    assert figures(result)["customs_duty"] == 186_400
    # VAT: (42,000 + 186,400) x 10% = 22,840
    assert figures(result)["vat"] == 22_840


def test_specific_duty_uses_net_mass_in_the_components_unit():
    # 1,500 won per tonne; net mass 2,500 kg = 2.5 t → 3,750 → 3,750 (already a multiple of 10)
    snap = snapshot([Measure(LAPTOP, "A", DutyExpression.specific("1500", "TNE"), date(2026, 1, 1))])
    result = run(snap, line(amount="100", mass="2500"))
    assert figures(result)["customs_duty"] == 3_750


def test_specific_duty_per_litre_converts_the_declared_volume():
    # 500 won per litre, 3 m3 declared = 3,000 L → 1,500,000
    snap = snapshot([Measure(LAPTOP, "A", DutyExpression.specific("500", "LTR"), date(2026, 1, 1))])
    result = run(snap, line(amount="100", quantity="3", unit="MTQ"))
    assert figures(result)["customs_duty"] == 1_500_000


def test_minimum_collection_below_10000_won():
    # CIF USD 80 x 1,400 = 112,000; duty 8% = 8,960 < 10,000 → not collected (관세법 제40조)
    # VAT still on (112,000 + 8,960) = 120,960 x 10% = 12,096 → 12,090
    snap = snapshot([av(LAPTOP, "A", "8")])
    result = run(snap, line(amount="80"))
    assert figures(result) == {"customs_duty": 8_960, "vat": 12_090}
    (adjustment,) = result.adjustments
    assert (adjustment.key, adjustment.amount) == ("minimum_collection", -8_960)
    assert result.total_due == 12_090


def test_minimum_collection_is_per_declaration():
    # two such lines: duty 8,960 + 8,960 = 17,920 ≥ 10,000 → collected
    snap = snapshot([av(LAPTOP, "A", "8")])
    result = run(snap, line(amount="80"), line(amount="80", number=2))
    assert result.adjustments == []
    assert result.total_due == 2 * (8_960 + 12_090)


def test_vat_exempt_unprocessed_food():
    # oranges CIF USD 1,000 x 1,400 = 1,400,000; duty 50% = 700,000; VAT exempt (부가가치세법 제27조)
    snap = snapshot([av(ORANGES, "A", "50")])
    result = run(snap, line(ORANGES, quantity="500", unit="KGM", mass="500", origin="US"))
    assert figures(result) == {"customs_duty": 700_000, "vat": 0}
    vat = result.lines[0].figures[-1]
    assert vat.base == 2_100_000 and vat.rate == "exempt"


def test_passenger_car_individual_consumption_and_education_tax():
    # CIF EUR 40,000 x 1,520 = 60,800,000; duty 8% = 4,864,000
    # 개별소비세 5% of (60,800,000 + 4,864,000 = 65,664,000) = 3,283,200; 교육세 30% of it = 984,960
    # VAT: (60,800,000 + 4,864,000 + 3,283,200 + 984,960 = 69,932,160) x 10% = 6,993,216 → 6,993,210
    snap = snapshot([av(CAR, "A", "8")], rates=[fx("EUR", "1520")])
    result = run(snap, line(CAR, amount="40000", currency="EUR", origin="DE", mass="1500"))
    assert figures(result) == {
        "customs_duty": 4_864_000,
        "individual_consumption_tax": 3_283_200,
        "education_tax": 984_960,
        "vat": 6_993_210,
    }
    assert result.total_due == 4_864_000 + 3_283_200 + 984_960 + 6_993_210


def test_luxury_bags_taxed_above_the_threshold_per_item():
    # 2 bags, CIF EUR 5,000 x 1,520 = 7,600,000; duty 8% = 608,000
    # ICT base: 8,208,000 - 2,000,000 x 2 = 4,208,000; ICT 20% = 841,600
    # 교육세 30% = 252,480; 농어촌특별세 10% = 84,160
    # VAT: (7,600,000 + 608,000 + 841,600 + 252,480 + 84,160 = 9,386,240) x 10% = 938,624 → 938,620
    snap = snapshot([av(BAG, "A", "8")], rates=[fx("EUR", "1520")])
    result = run(snap, line(BAG, amount="5000", currency="EUR", origin="IT", quantity="2", mass="3"))
    assert figures(result) == {
        "customs_duty": 608_000,
        "individual_consumption_tax": 841_600,
        "education_tax": 252_480,
        "rural_development_tax": 84_160,
        "vat": 938_620,
    }


def test_luxury_bag_below_the_threshold_pays_no_consumption_tax():
    # 1 bag CIF EUR 1,000 x 1,520 = 1,520,000; duty 121,600; 1,641,600 < 2,000,000 → ICT 0
    # VAT: (1,520,000 + 121,600) x 10% = 164,160
    snap = snapshot([av(BAG, "A", "8")], rates=[fx("EUR", "1520")])
    result = run(snap, line(BAG, amount="1000", currency="EUR", origin="IT", mass="1"))
    f = figures(result)
    assert f["individual_consumption_tax"] == 0 and f["vat"] == 164_160


def test_wine_liquor_tax_and_education_tax():
    # CIF EUR 2,000 x 1,500 = 3,000,000; duty 15% = 450,000
    # 주세 30% of 3,450,000 = 1,035,000; 교육세 10% = 103,500
    # VAT: (3,000,000 + 450,000 + 1,035,000 + 103,500 = 4,588,500) x 10% = 458,850
    snap = snapshot([av(WINE, "A", "15")])
    result = run(
        snap, line(WINE, amount="2000", currency="EUR", origin="FR", quantity="200", unit="LTR", mass="300")
    )
    assert figures(result) == {
        "customs_duty": 450_000,
        "liquor_tax": 1_035_000,
        "education_tax": 103_500,
        "vat": 458_850,
    }


def test_spirits_above_70_percent_pay_30_percent_education_tax():
    # CIF EUR 1,000 x 1,500 = 1,500,000; duty 20% = 300,000; 주세 72% of 1,800,000 = 1,296,000
    # 교육세 30% = 388,800; VAT: (1,500,000 + 300,000 + 1,296,000 + 388,800 = 3,484,800) x 10% = 348,480
    snap = snapshot([av(WHISKY, "A", "20")])
    result = run(
        snap, line(WHISKY, amount="1000", currency="EUR", origin="GB", quantity="100", unit="LTR", mass="150")
    )
    assert figures(result) == {
        "customs_duty": 300_000,
        "liquor_tax": 1_296_000,
        "education_tax": 388_800,
        "vat": 348_480,
    }


def test_beer_liquor_tax_is_per_litre():
    # CIF EUR 1,000 x 1,500 = 1,500,000; duty 30% = 450,000; 주세 1,000 L x 885.7 = 885,700; 교육세 30% = 265,710
    # VAT: (1,500,000 + 450,000 + 885,700 + 265,710 = 3,101,410) x 10% = 310,141 → 310,140
    snap = snapshot([av(BEER, "A", "30")])
    result = run(
        snap, line(BEER, amount="1000", currency="EUR", origin="DE", quantity="1000", unit="LTR", mass="1050")
    )
    assert figures(result) == {
        "customs_duty": 450_000,
        "liquor_tax": 885_700,
        "education_tax": 265_710,
        "vat": 310_140,
    }


def test_every_figure_explains_itself():
    snap = snapshot([av(CAR, "A", "8")], rates=[fx("EUR", "1520")])
    result = run(snap, line(CAR, amount="40000", currency="EUR", origin="DE", mass="1500"))
    rendered = result.as_dict(snap)["lines"][0]
    duty = rendered["figures"][0]
    assert duty["rate_code"] == "A" and duty["rate"] == "8%"
    assert "관세법 제50조" in duty["legal_basis"]
    assert duty["computation"] == "60,800,000 × 8% = 4,864,000"
    assert "국고금 관리법 제47조" in duty["rounding"]
    ict = rendered["figures"][1]
    assert ict["base"] == "과세가격 60,800,000 + 관세 4,864,000" and "개별소비세법" in ict["legal_basis"]
    vat = rendered["figures"][-1]
    assert vat["base"] == "과세가격 60,800,000 + 관세 4,864,000 + 개별소비세 3,283,200 + 교육세 984,960"
    assert vat["computation"] == "69,932,160 × 10% = 6,993,216 → 6,993,210"
    assert rendered["customs_value_krw"] == "60800000" and rendered["duty_krw"] == "4864000"
    assert rendered["taxes_krw"] == str(3_283_200 + 984_960 + 6_993_210)
    assert rendered["valuation"]["exchange_rate"]["week"] == ["2026-03-01", "2026-03-07"]
    assert ON.isoformat() == "2026-03-04"
