"""The SME pre-filing simulator through the API: MFN against each FTA the origin can use, with the saving and
what the FTA needs; the expected lanes come from past declarations of the same goods."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clearway.assessment.step import TariffAssessment
from clearway.declaration.steps import FilingSteps
from clearway.tariff import service as tariff
from clearway.uow import unit_of_work
from tests.steps import FixedLane

PLAN = {
    "item": {
        "commodity_code": "8471300000",
        "origin_country": "CN",
        "quantity": "100",
        "quantity_unit": "U",
        "net_mass_kg": "160",
        "invoice_amount": "85000",
        "currency": "USD",
        "incoterm": "CIF",
    }
}


@pytest.fixture
def steps() -> FilingSteps:
    return FilingSteps(lane_selector=FixedLane(), assessment=TariffAssessment())


@pytest.fixture(autouse=True)
def demo_tariff(runtime, tariff_sessions, clock):  # type: ignore[no-untyped-def]
    with unit_of_work(runtime.sessions) as session:
        tariff.load_demo_tariff(session, now=clock())


def test_mfn_against_each_usable_agreement(client, auth):  # type: ignore[no-untyped-def]
    r = client.post("/api/v1/prefiling", json=PLAN, headers=auth("trader"))
    assert r.status_code == 200, r.text
    body = r.json()
    names = [s["scenario"] for s in body["scenarios"]]
    assert names[0] == "MFN" and "KR-CN" in names and "KORUS" not in names  # only agreements with China
    mfn = body["scenarios"][0]
    for s in body["scenarios"][1:]:
        assert Decimal(s["saving_krw"]) == Decimal(mfn["total_krw"]) - Decimal(s["total_krw"])
        assert any("certificate of origin" in n for n in s["needs"])
    assert body["best"] in names
    assert body["clearance_path"]["based_on"] == "none"  # no history yet: no lane shares invented
    assert client.post("/api/v1/prefiling", json={"goods": "x"}, headers=auth("trader")).status_code == 422
    assert client.post("/api/v1/prefiling", json=PLAN).status_code == 401


def test_savings_report_names_what_an_unclaimed_fta_would_have_saved(client, auth):  # type: ignore[no-untyped-def]
    from tests.documents import import_declaration

    document = import_declaration(
        "SAVE-1",
        **{
            "items__0__commodity_code": "9018909000",
            "items__0__origin_country": "DE",
            "items__0__description": "Parts for ultrasound diagnostic apparatus",
        },
    )
    filed = client.post("/api/v1/declarations", json=document, headers=auth("trader"))
    assert filed.status_code == 201, filed.text
    line = filed.json()["assessment"]["lines"][0]
    applied = next(c for c in line["rates"]["candidates"] if c["status"] == "applied")
    report = client.get("/api/v1/fta-savings", headers=auth("trader")).json()
    assert report["saved_krw"] == "0" and report["lines"] == 1
    (missed,) = report["missed"]
    assert missed["fta_rate"] == "FEU1" and Decimal(missed["missed_krw"]) == Decimal(applied["duty_krw"])
    assert Decimal(report["could_have_saved_krw"]) > 0
    other = client.get("/api/v1/fta-savings", headers=auth("trader2")).json()
    assert other["lines"] == 0  # another company's imports are not in its report


LAPTOP_FROM_DE = {
    "item": {
        "commodity_code": "8471300000",
        "origin_country": "DE",
        "quantity": "10",
        "quantity_unit": "U",
        "net_mass_kg": "20",
        "invoice_amount": "1000",
        "currency": "USD",
        "incoterm": "FOB",
    }
}


def _bom(processor_value: str) -> dict[str, object]:
    return {
        "ex_works_price": "1000",
        "components": [
            {
                "hs": "847150",
                "origin_country": "CN",
                "value": processor_value,
                "description": "processing unit",
            },
            {"hs": "854442", "origin_country": "DE", "value": "50", "description": "cable"},
        ],
    }


def test_bom_origin_check_names_the_failing_component_and_the_value_share(client, auth):  # type: ignore[no-untyped-def]
    r = client.post("/api/v1/prefiling", json={**LAPTOP_FROM_DE, "bom": _bom("600")}, headers=auth("trader"))
    assert r.status_code == 200, r.text
    body = r.json()
    (check,) = [c for c in body["origin_checks"] if c["agreement"] == "KR-EU"]
    assert check["status"] == "not_originating" and check["rule_met"] is False
    shift, value = check["alternatives"]
    assert not shift["passed"] and "8471.50" in shift["criteria"][0]["reason"]  # same heading as the product
    assert (
        not value["passed"]
        and "60.00%" in value["criteria"][0]["reason"]
        and "45%" in value["criteria"][0]["reason"]
    )
    asks = " ".join(check["ask_supplier"])
    assert "component 1" in asks and "supplier's declaration that component 2" in asks
    assert check["assumed_originating"] == ["8544.42 cable (DE)"]
    # the same goods with a cheaper foreign part meet the value alternative
    cheaper = client.post(
        "/api/v1/prefiling", json={**LAPTOP_FROM_DE, "bom": _bom("300")}, headers=auth("trader")
    ).json()
    (met,) = [c for c in cheaper["origin_checks"] if c["agreement"] == "KR-EU"]
    assert met["status"] == "originating" and met["met_alternative"] == 2
    # requirements confirmed by customs for a computer: the radio-equipment conformity assessment
    assert "radio_equipment" in [q["id"] for q in body["requirements"]]
    assert any("전파법" in q["legal_basis"] for q in body["requirements"])


def test_bom_problems_are_named_by_pointer(client, auth):  # type: ignore[no-untyped-def]
    bad = {"components": [{"hs": "x", "origin_country": "Germany", "value": "-1"}]}
    r = client.post("/api/v1/prefiling", json={**LAPTOP_FROM_DE, "bom": bad}, headers=auth("trader"))
    assert r.status_code == 422
    pointers = {e["pointer"] for e in r.json()["errors"]}
    assert {"/bom/components/0/hs", "/bom/components/0/origin_country", "/bom/components/0/value"} <= pointers


def test_korean_exporter_sees_uk_duty_and_the_uk_rule_of_origin(client, auth):  # type: ignore[no-untyped-def]
    plan = {
        "direction": "export",
        "destination": "GB",
        "item": {
            "commodity_code": "7202118000",
            "invoice_amount": "1000",
            "freight": "100",
            "insurance": "10",
            "currency": "GBP",
        },
        "bom": {
            "components": [
                {"hs": "260200", "origin_country": "ZA", "value": "400", "description": "manganese ore"},
            ]
        },
    }
    r = client.post("/api/v1/prefiling", json=plan, headers=auth("trader"))
    assert r.status_code == 200, r.text
    body = r.json()
    uk = body["uk_tariff"]
    # UK third-country duty 2.70% of 1,110 = 29.97, VAT 20% of 1,139.97 = 227.99
    assert uk["mfn"]["rate"] == "2.70 %" and uk["mfn"]["duty"] == "29.97"
    assert uk["mfn"]["total_incl_vat"] == "257.96"
    # the bundled UK data hold no preference measure for Korea on this line: said, not invented
    assert uk["fta_found"] is False and uk["fta"] is None and uk["saving"] is None
    assert any(n["measure_type"] == "696" for n in uk["not_assessed"])
    assert body["origin_rule"]["found"] and body["origin_rule"]["alternatives"] == [
        "Manufacture from materials of any heading, except that of the product."
    ]
    (check,) = body["origin_checks"]
    assert (
        check["agreement"] == "UK-KR" and check["status"] == "originating"
    )  # ore (2602) → ferro-alloy (7202)
    assert any("origin declaration" in d.lower() for d in body["documents"])
    # a foreign ferro-alloy of the same heading fails the change of heading
    plan["bom"] = {"components": [{"hs": "720211", "origin_country": "CN", "value": "700"}]}
    failing = client.post("/api/v1/prefiling", json=plan, headers=auth("trader")).json()
    assert failing["origin_checks"][0]["status"] == "not_originating"
    assert "component 1" in " ".join(failing["origin_checks"][0]["ask_supplier"])
    other = client.post("/api/v1/prefiling", json={**plan, "destination": "US"}, headers=auth("trader"))
    assert other.status_code == 422 and other.json()["errors"][0]["pointer"] == "/destination"
    unknown = client.post(
        "/api/v1/prefiling",
        json={**plan, "item": {**plan["item"], "commodity_code": "8471300000"}, "bom": None},
        headers=auth("trader"),
    ).json()
    assert unknown["uk_tariff"] is None and unknown["uk_tariff_held"] == ["7202118000"]
    assert unknown["origin_rule"]["found"]  # the UK rule of origin is known for every heading
