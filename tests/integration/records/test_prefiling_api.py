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
