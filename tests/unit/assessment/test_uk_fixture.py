"""Country-neutral model, proven: the UK duty-calculator fixture for 7202118000 reproduces every figure.

The expected values are those of trade-tariff-duty-calculator's spec (MIT), transcribed in
``data/tariff/uk/expected_duty_calculator_7202118000.json``; the arithmetic is also written out below.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from clearway.assessment.uk import UkInputs, duty_options
from clearway.tariff.uk import fixture_commodity, fixture_expected, fixture_schemes


@pytest.fixture(scope="module")
def expected():
    return fixture_expected()


@pytest.fixture(scope="module")
def options(expected):
    i = expected["inputs"]
    cv = i["customs_value"]
    inputs = UkInputs(
        origin=i["country_of_origin"],
        destination=i["import_destination"],
        goods_value=Decimal(str(cv["monetary_value"])),
        shipping=Decimal(str(cv["shipping_cost"])),
        insurance=Decimal(str(cv["insurance_cost"])),
        currency=cv["currency"],
        quantities={k: Decimal(str(v)) for k, v in i["measure_amount"].items()},
        additional_codes=i["additional_code"]["uk"],
    )
    return duty_options(fixture_commodity(), inputs, fixture_schemes())


def test_the_fixture_loads_into_the_shared_measure_model():
    commodity = fixture_commodity()
    by_sid = {m.measure.sid: m for m in commodity.measures}
    assert len(by_sid) == 8
    ad = by_sid[20041036].measure
    # anti-dumping 552: 144.10 GBP per tonne of biodiesel (TNE + qualifier I), for producer C490, not CA/US
    (component,) = ad.expression.components
    assert (component.amount, component.currency, component.unit, component.qualifier) == (
        Decimal("144.1"),
        "GBP",
        "TNE",
        "I",
    )
    assert ad.additional_code == "C490" and ad.excluded == frozenset({"CA", "US"})
    assert by_sid[20124406].measure.order_number == "054003"
    assert by_sid[1881982].measure.valid_from.isoformat() == "1999-01-01"


def test_options_in_priority_order(options, expected):
    got = [(o.type, o.priority, o.measure.measure.sid if o.measure else None) for o in options]
    want = [(e["type"], e["priority"], e.get("measure_sid")) for e in expected["expected_options"]]
    assert got == want


def test_every_row_of_every_option(options, expected):
    for option, want in zip(options, expected["expected_options"], strict=True):
        if want["type"] == "waiver":
            assert option.value is None and option.rows == []
            continue
        assert option.measure.type_id == want["measure_type_id"]
        assert [[r.label, r.calculation, r.shown] for r in option.rows] == [
            [label, calc, Decimal(str(value)).quantize(Decimal("0.01"))]
            for label, calc, value in want["rows"]
        ]
        # The option's own duty, unrounded. The spec's 252.17799999999997 is Ruby float arithmetic for
        # 1260.89 * 20 / 100 = 252.178 exactly.
        assert abs(float(option.value) - want["value"]) < 1e-9
        if "order_number" in want:
            assert option.measure.measure.order_number == want["order_number"]
        if "scheme_code" in want:
            assert option.scheme_code == want["scheme_code"]


def test_third_country_option_by_hand(options):
    third = options[0]
    rows = {r.label: r.exact for r in third.rows}
    # customs value = 1000.00 + 250.89 + 10.00 = 1260.89 GBP
    assert rows["valuation"] == Decimal("1260.89")
    # duty 2.70% x 1260.89 = 34.04403; safeguard 696 and additional 695: 25% x 1260.89 = 315.2225 each
    assert rows["import_duty third-country"] == Decimal("34.04403")
    assert rows["additional duties (safeguard) 696"] == Decimal("315.2225")
    assert rows["additional duties 695"] == Decimal("315.2225")
    # anti-dumping: 2 t x 144.10 GBP/t = 288.20
    assert rows["definitive anti-dumping 552 (C490)"] == Decimal("288.2")
    # VAT base = 1260.89 + 34.04403 + 315.2225 + 315.2225 + 288.20 = 2213.57903; VAT 20% = 442.715806
    assert rows["VAT standard rate"] == Decimal("442.715806")
    # total = 34.04403 + 315.2225 + 315.2225 + 288.20 + 442.715806 = 1395.404836 → shown 1395.40
    assert rows["duty total incl. VAT"] == Decimal("1395.404836")
    assert expected_check() == {
        "duties_sum": 952.68903,
        "vat_base": 2213.57903,
        "vat": 442.715806,
        "total": 1395.404836,
    }


def expected_check():
    return fixture_expected()["expected_options"][0]["check"]


def test_quota_option_leaves_out_the_safeguard(options):
    quota = next(o for o in options if o.category == "quota")
    labels = [r.label for r in quota.rows]
    assert "additional duties (safeguard) 696" not in labels
    # VAT base = 1260.89 + 252.178 + 315.2225 + 288.20 = 2116.4905 → 20% = 423.2981 → 423.30
    vat = next(r for r in quota.rows if r.label == "VAT standard rate")
    assert vat.exact == Decimal("423.2981") and vat.shown == Decimal("423.30")
