"""The tariff engine plugged into filing, and estimates through the service (SQLite, and PostgreSQL in CI)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from clearway.assessment import service as assessment
from clearway.assessment.preference import PreferenceVerdict, PreferenceVerifier
from clearway.assessment.step import TariffAssessment
from clearway.declaration.models import DeclarationLine
from clearway.declaration.steps import FilingContext, FilingSteps
from clearway.declaration.validation import parse_declaration
from clearway.errors import ValidationFailed
from clearway.risk.records import records_from_content
from clearway.tariff import service as tariff
from clearway.tariff.nomenclature import bundled_nomenclature
from clearway.uow import unit_of_work
from tests.documents import import_declaration
from tests.unit.assessment.assessment_helpers import assert_agrees

URL = "/api/v1/declarations"
NOW = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
ON = date(2026, 11, 20)  # a Friday; DEMO USD rate 1,400 for the week 2026-11-15..2026-11-21


class GrantAll(PreferenceVerifier):
    def verify(self, session, content, item, on, sees=None):  # type: ignore[no-untyped-def]
        return PreferenceVerdict(granted=True, reasons=[])


@pytest.fixture
def steps() -> FilingSteps:
    return FilingSteps(assessment=TariffAssessment())


@pytest.fixture
def demo_tariff(runtime, tariff_sessions):  # type: ignore[no-untyped-def]
    with unit_of_work(runtime.sessions) as session:
        tariff.load_demo_tariff(session, now=NOW)


def test_filing_assesses_every_line_and_stores_the_figures(client, auth, runtime, demo_tariff):
    # FOB USD 85,000 + freight 1,200 + insurance 150 = 86,350 x 1,400 (DEMO) = 120,890,000
    # laptops: CIT 0% (DEMO) applies over A 8%: duty 0; VAT 120,890,000 x 10% = 12,089,000
    response = client.post(URL, json=import_declaration("TA-1"), headers=auth("trader"))
    assert response.status_code == 201, response.text
    body = response.json()
    assessment = body["assessment"]
    assert assessment["method"] == "kr-tariff-v1" and assessment["placeholder"] is False
    assert assessment["can_assess"] is True
    assert Decimal(body["total_due_krw"]) == 12_089_000
    (line,) = assessment["lines"]
    assert line["customs_value_krw"] == "120890000" and line["rates"]["applied"] == "CIT"
    assert any("DEMO DATA" in n for n in assessment["notes"])
    with runtime.sessions() as session:
        row = session.scalars(select(DeclarationLine)).one()
        assert (row.customs_value_krw, row.duty_krw, row.taxes_krw) == (120_890_000, 0, 12_089_000)


def test_a_line_without_rates_is_not_released_unchecked(client, auth, demo_tariff):
    document = import_declaration(
        "TA-2", items__0__commodity_code="0101211000"
    )  # a real code, no rate loaded
    body = client.post(URL, json=document, headers=auth("trader")).json()
    assert body["assessment"]["can_assess"] is False and body["total_due_krw"] is None
    reason = body["assessment"]["lines"][0]["reasons"][0]
    assert reason["code"] == "no_rate_loaded" and "0101211000" in reason["message"]
    assert body["lane"] not in ("green", "blue")


def test_without_any_tariff_loaded_the_step_says_so(client, auth, tariff_sessions):
    body = client.post(URL, json=import_declaration("TA-3"), headers=auth("trader")).json()
    assert body["assessment"]["can_assess"] is False
    assert any("clearway tariff load-bundled" in n for n in body["assessment"]["notes"])


def test_preference_granted_by_the_verifier(runtime, demo_tariff):
    document = import_declaration(
        "TA-4",
        items__0__origin_country="US",
        items__0__preference={"agreement": "KORUS", "certificate_reference": "CO-9"},
        documents=[
            {"kind": "invoice", "reference": "INV-1"},
            {"kind": "certificate_of_origin", "reference": "CO-9"},
        ],
    )
    content = parse_declaration(document, nomenclature=bundled_nomenclature(), on=ON)
    context = FilingContext(1, 1, ON, None)
    with runtime.sessions() as session:
        refused = TariffAssessment().assess(session, content, context)
        granted = TariffAssessment(GrantAll()).assess(session, content, context)
    # the laptop's FUS1 is not in the demo set; its DEMO CIT 0% applies either way — check the verdicts
    assert refused.lines[0]["preference"]["granted"] is False
    assert granted.lines[0]["preference"]["granted"] is True


def test_batch_reads_each_code_once(runtime, demo_tariff, monkeypatch):
    calls = []
    original = tariff.repo.measures_for

    def counting(session, codes, country="KR"):  # type: ignore[no-untyped-def]
        calls.append(sorted(codes))
        return original(session, codes, country)

    monkeypatch.setattr(tariff.repo, "measures_for", counting)
    content = parse_declaration(import_declaration("TA-5"), nomenclature=bundled_nomenclature(), on=ON)
    step = TariffAssessment()
    with runtime.sessions() as session:
        for i in range(20):
            outcome = step.assess(session, content, FilingContext(i, 1, ON, None))
            assert outcome.can_assess
    assert calls == [["8471300000"]]


def test_estimate_from_light_items_with_a_what_if_rate(runtime, demo_tariff):
    request = {
        "on": "2026-11-20",
        "exchange_rates": {"EUR": "1600"},
        "items": [
            {
                "commodity_code": "8703.23-1010",
                "origin_country": "DE",
                "quantity": "1",
                "quantity_unit": "U",
                "net_mass_kg": "1500",
                "invoice_amount": "40000",
                "currency": "EUR",
                "incoterm": "CIF",
                "preference": {
                    "agreement": "KR-EU",
                    "certificate_reference": "EUR-1",
                    "assume_granted": True,
                },
            }
        ],
    }
    with runtime.sessions() as session:
        result = assessment.estimate(session, request, today=ON, verifier=TariffAssessment().verifier)
    # CIF EUR 40,000 x 1,600 (what-if) = 64,000,000; FEU1 0% (DEMO, assumed granted): duty 0
    # 개별소비세 5% x 64,000,000 = 3,200,000; 교육세 30% = 960,000
    # VAT (64,000,000 + 3,200,000 + 960,000) x 10% = 6,816,000
    (line,) = result["lines"]
    assert line["rates"]["applied"] == "FEU1" and line["valuation"]["exchange_rate"]["what_if"] is True
    assert result["totals_krw"] == {
        "customs_duty": "0",
        "individual_consumption_tax": "3200000",
        "education_tax": "960000",
        "vat": "6816000",
    }
    assert result["total_due_krw"] == "10976000" and result["filed"] is False


def test_estimate_from_a_full_declaration(runtime, demo_tariff):
    with runtime.sessions() as session:
        result = assessment.estimate(
            session,
            {"declaration": import_declaration("E-1")},
            today=ON,
            verifier=TariffAssessment().verifier,
        )
    assert result["input"] == "declaration" and result["total_due_krw"] == "12089000"


def test_estimate_rejects_a_malformed_request(runtime, demo_tariff):
    with runtime.sessions() as session, pytest.raises(ValidationFailed) as info:
        assessment.estimate(
            session,
            {"items": [{"commodity_code": "8471300000"}]},
            today=ON,
            verifier=TariffAssessment().verifier,
        )
    assert any(e.pointer == "/items/0/origin_country" for e in info.value.errors)


def test_the_step_hands_a_typed_result_per_line_that_agrees_with_the_display(runtime, demo_tariff):
    """What the declaration stores and risk selection reads (the typed results) is what filers are shown."""
    document = import_declaration(
        "TA-9",
        items__0__origin_country="US",
        items__0__preference={"agreement": "KORUS", "certificate_reference": "CO-9"},
        documents=[
            {"kind": "invoice", "reference": "INV-1"},
            {"kind": "certificate_of_origin", "reference": "CO-9"},
        ],
    )
    unrated = {**document["items"][0], "line_number": 2, "commodity_code": "0101211000"}
    del unrated["preference"]
    document["items"].append(unrated)
    content = parse_declaration(document, nomenclature=bundled_nomenclature(), on=ON)
    context = FilingContext(1, 1, ON, None)
    with runtime.sessions() as session:
        outcome = TariffAssessment(GrantAll()).assess(session, content, context)
        snap = tariff.snapshot_for(session, ["8471300000", "0101211000"], [ON])
    assert [r.line_number for r in outcome.results] == [1, 2]
    for shown, typed in zip(outcome.lines, outcome.results, strict=True):
        assert_agrees(typed, shown, snap)
    laptop, horse = outcome.results
    assert laptop.customs_value_krw == 120_890_000 and laptop.applied_rate_code == "CIT"
    assert laptop.preference_granted is True and laptop.taxes_by_kind == {"vat": Decimal(12_089_000)}
    assert not horse.can_assess and horse.duty_krw is None and horse.customs_value_krw is not None
    records = records_from_content(content, context, outcome)
    assert [r.value_krw for r in records] == [float(line["customs_value_krw"]) for line in outcome.lines]
    assert [r.tax_type for r in records] == ["CIT", None]


def test_an_export_has_typed_zero_lines(runtime):
    document = import_declaration("TA-10", kind="export", importer=...)
    document["exporter"] = document["declarant"]
    document["seller"] = document["declarant"]
    document["buyer"] = {"name": "Pacific Rim Imports LLC", "country": "US"}
    content = parse_declaration(document, nomenclature=bundled_nomenclature(), on=ON)
    with runtime.sessions() as session:
        outcome = TariffAssessment().assess(session, content, FilingContext(1, 1, ON, None))
    (typed,) = outcome.results
    assert (typed.line_number, typed.duty_krw, typed.taxes_krw, typed.due_krw) == (1, 0, 0, 0)
    assert typed.customs_value_krw is None and outcome.lines[0]["due_krw"] == "0"
