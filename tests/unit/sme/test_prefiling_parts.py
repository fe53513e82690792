"""The simulator's new pure parts: requirements confirmed by customs per HS code, the bill-of-materials origin
check against an agreement's rule, and the exporter's UK duty view."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearway.assessment.uk import UkInputs
from clearway.errors import ValidationFailed
from clearway.origin.loader import get_agreement
from clearway.sme import origin_check, requirements, uk_export
from clearway.tariff.measures import ComponentKind, DutyExpression, Measure, MeasureComponent
from clearway.tariff.uk import UkMeasure, fixture_commodity

TODAY = date(2026, 12, 5)


@pytest.fixture(scope="module")
def table() -> tuple[requirements.Requirement, ...]:
    path = resources.files("clearway.data").joinpath("sme", "import_requirements.json")
    return requirements.parse(json.loads(path.read_text("utf-8")))


def test_every_requirement_names_its_law_and_authority(table) -> None:  # type: ignore[no-untyped-def]
    assert len(table) >= 10
    for r in table:
        assert "법" in r.legal_basis and r.authority and r.name_ko and r.name_en and r.documents_ko


def test_requirements_by_hs_code(table) -> None:  # type: ignore[no-untyped-def]
    ids = lambda code: [r.id for r in requirements.for_code(code, table)]  # noqa: E731
    assert "food_import_report" in ids("2106.90-9099")  # chapter 21, dots ignored
    assert "food_import_report" not in ids("2208300000")  # spirits are excepted from the food entry
    assert {"food_import_report", "animal_quarantine"} <= set(ids("0201300000"))
    assert "electrical_safety" in ids("8516710000") and "radio_equipment" not in ids("8516710000")
    assert "radio_equipment" in ids("8517130000")
    assert "chemicals" in ids("2915210000")
    assert ids("7202118000") == [] and ids("1") == []


@given(st.text(alphabet="0123456789", min_size=2, max_size=10))
def test_a_code_gets_exactly_the_entries_whose_prefix_it_starts_with(code: str) -> None:
    path = resources.files("clearway.data").joinpath("sme", "import_requirements.json")
    table = requirements.parse(json.loads(path.read_text("utf-8")))
    got = {r.id for r in requirements.for_code(code, table)}
    want = {
        r.id
        for r in table
        if any(code.startswith(p) for p in r.prefixes) and not any(code.startswith(e) for e in r.exceptions)
    }
    assert got == want


def test_a_bad_prefix_in_the_table_is_refused() -> None:
    bad = {
        "entries": [
            {
                "id": "x",
                "hs": ["8a"],
                "name_en": "",
                "name_ko": "",
                "authority": "",
                "legal_basis": "",
                "documents_en": "",
                "documents_ko": "",
            }
        ]
    }
    with pytest.raises(ValueError, match="not an HS prefix"):
        requirements.parse(bad)


# ---- origin check ----------------------------------------------------------------------------------------
def _bom(processor: str, cable_originating: bool | None = None) -> origin_check.PlannedBom:
    cable = {"hs": "854442", "origin_country": "DE", "value": "50", "description": "cable"}
    if cable_originating is not None:
        cable["originating"] = cable_originating
    bom = origin_check.parse_bom(
        {"components": [{"hs": "847150", "origin_country": "CN", "value": processor}, cable]},
        default_price="1000",
        default_currency="EUR",
    )
    assert bom is not None
    return bom


def test_the_failing_component_and_the_value_share_are_named() -> None:
    result = origin_check.check(get_agreement("KR-EU"), "8471300000", "DE", _bom("600"), on=TODAY)
    assert result.status == "not_originating" and result.met_alternative is None
    shift, value = result.alternatives
    assert "8471.50" in shift["criteria"][0]["reason"]
    assert "60.00%" in value["criteria"][0]["reason"] and "45%" in value["criteria"][0]["reason"]
    assert any("component 1" in a for a in result.ask_supplier)
    assert result.assumed_originating == ["8544.42 cable (DE)"]  # from a Party, not stated: assumed, to prove


@given(st.integers(0, 950))
def test_the_value_alternative_holds_exactly_up_to_45_percent(processor: int) -> None:
    result = origin_check.check(get_agreement("KR-EU"), "8471300000", "DE", _bom(str(processor)), on=TODAY)
    assert (result.status == "originating") == (processor <= 450)


def test_a_component_stated_non_originating_is_not_assumed() -> None:
    result = origin_check.check(get_agreement("KR-EU"), "8471300000", "DE", _bom("440", False), on=TODAY)
    # 440 + 50 = 490 of 1000: above 45% once the cable counts as non-originating
    assert result.status == "not_originating" and result.assumed_originating == []


def test_bom_problems_are_named_by_pointer() -> None:
    with pytest.raises(ValidationFailed) as caught:
        origin_check.parse_bom({"components": [{"hs": "x", "origin_country": "Germany", "value": "-1"}]})
    assert {e.pointer for e in caught.value.errors} == {
        "/bom/components/0/hs",
        "/bom/components/0/origin_country",
        "/bom/components/0/value",
        "/bom/ex_works_price",
    }
    assert origin_check.parse_bom(None) is None
    assert origin_check.parse_bom({"components": []}, default_price="10") is None


# ---- the UK view -----------------------------------------------------------------------------------------
def _preference(area: str, percent: str) -> UkMeasure:
    expression = DutyExpression((MeasureComponent(ComponentKind.AD_VALOREM, Decimal(percent)),))
    measure = Measure("7202118000", "142", expression, date(2021, 1, 1), None, area, sid=1)
    return UkMeasure(measure, False, False, "C", area, f"{percent} %")


def test_uk_mfn_without_a_korean_preference_in_the_data() -> None:
    inputs = UkInputs("KR", "GB", Decimal(1000), Decimal(100), Decimal(10), "GBP")
    view = uk_export.view(fixture_commodity(), {}, inputs, on=TODAY)
    assert view["mfn"]["duty"] == "29.97" and view["fta"] is None and not view["fta_found"]
    # the GB-only preference of the fixture does not apply to Korean goods; the safeguard group is unlisted
    assert [n["measure_type"] for n in view["not_assessed"]] == ["696"]


def test_uk_korea_preference_against_mfn() -> None:
    commodity = fixture_commodity()
    with_kr = type(commodity)(
        commodity.code, commodity.description, (*commodity.measures, _preference("KR", "0.00")), {}
    )
    inputs = UkInputs("KR", "GB", Decimal(1000), Decimal(100), Decimal(10), "GBP")
    view = uk_export.view(with_kr, {}, inputs, on=TODAY)
    assert view["fta"]["duty"] == "0.00" and view["fta"]["total_incl_vat"] == "222.00"
    assert view["saving"] == "35.96"  # 29.97 duty + 20% VAT on it (5.994), to the cent
    # a preference for a group holds for Korea only when the group lists Korea
    grouped = type(commodity)(commodity.code, "", (*commodity.measures, _preference("2005", "1.00")), {})
    assert (
        uk_export.view(grouped, {"2005": frozenset({"KR", "VN"})}, inputs, on=TODAY)["fta"]["duty"] == "11.10"
    )
    assert uk_export.view(grouped, {"2005": frozenset({"VN"})}, inputs, on=TODAY)["fta"] is None


def test_a_specific_duty_without_its_quantity_is_named_not_guessed() -> None:
    expression = DutyExpression((MeasureComponent(ComponentKind.SPECIFIC, Decimal(10), "GBP", "DTN"),))
    measure = Measure("7202118000", "103", expression, date(2021, 1, 1), None, "1011", sid=2)
    commodity = type(fixture_commodity())(
        "7202118000", "", (UkMeasure(measure, False, False, "C", "ERGA OMNES", "10 GBP / 100 kg"),), {}
    )
    inputs = UkInputs("KR", "GB", Decimal(1000), Decimal(0), Decimal(0), "GBP")
    view = uk_export.view(commodity, {}, inputs, on=TODAY)
    assert view["mfn"] is None and "DTN" in view["not_assessed"][0]["reason"]
    weighed = UkInputs(
        "KR", "GB", Decimal(1000), Decimal(0), Decimal(0), "GBP", uk_export.quantities(Decimal(500))
    )
    assert uk_export.view(commodity, {}, weighed, on=TODAY)["mfn"]["duty"] == "50.00"  # 5 × 100 kg × 10 GBP
