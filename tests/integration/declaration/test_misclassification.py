"""Issue 21, defect 5: "Men's leather shoes" filed under 8471.30 (0% ITA) went green. With the served classifier
the unlikely code now sends the declaration to a check, with the reason an officer reads; "check without
filing" shows the warning and the duty estimate."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearway.classification.step import ClassificationAdvisor
from clearway.declaration.steps import FilingSteps
from clearway.risk.step import RiskLaneSelector
from tests.documents import import_declaration

SERVED = Path(__file__).resolve().parents[3] / "var" / "models"
pytestmark = pytest.mark.skipif(
    not (SERVED / "classification" / "CURRENT").exists(),
    reason="no served classification model in var/models",
)
URL = "/api/v1/declarations"
SHOES = {"items__0__description": "Men's leather shoes, rubber soles", "items__0__quantity_unit": "PR"}


@pytest.fixture
def steps(tmp_path: Path, clock) -> FilingSteps:  # type: ignore[no-untyped-def]
    # The served classifier; risk selection without a model (criteria and exploration only).
    return FilingSteps(
        advisors=(ClassificationAdvisor(SERVED),),
        lane_selector=RiskLaneSelector(tmp_path / "no-risk-model", clock=clock),
    )


def test_leather_shoes_under_8471_30_go_to_a_check_with_the_reason(client, auth):
    r = client.post(URL, json=import_declaration("MIS-1", **SHOES), headers=auth("trader"))
    assert r.status_code == 201, r.text
    filed = r.json()
    assert filed["lane"] in ("yellow", "red") and filed["status"] == "under_" + (
        "document_check" if filed["lane"] == "yellow" else "inspection"
    )
    officer = client.get(f"{URL}/{filed['id']}", headers=auth("officer")).json()
    reason = next(
        x for x in officer["lane_selection"]["reasons"] if x.get("code") == "CLASSIFICATION-UNLIKELY"
    )
    assert reason["message"].startswith("declared code unlikely: description suggests 64")  # footwear
    # The filer gets the classification warning, not the criterion or its signal.
    trader = client.get(f"{URL}/{filed['id']}", headers=auth("trader")).json()
    assert "CLASSIFICATION-UNLIKELY" not in str(trader) and "risk_signal" not in str(trader)
    assert [a["code"] for a in trader["advice"]] == ["commodity_code_unlikely"]


def test_a_genuine_laptop_is_not_raised_by_the_classification_criterion(client, auth):
    filed = client.post(URL, json=import_declaration("MIS-2"), headers=auth("trader")).json()
    officer = client.get(f"{URL}/{filed['id']}", headers=auth("officer")).json()
    assert not [x for x in officer["lane_selection"]["reasons"] if x.get("code") == "CLASSIFICATION-UNLIKELY"]
    assert not officer["advice"]


def test_check_without_filing_shows_every_warning_and_the_estimate(client, auth, runtime):
    r = client.post(f"{URL}:check", json=import_declaration("MIS-3", **SHOES), headers=auth("trader"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["valid"] is True and "total_due_krw" in body and body["assessment"]["method"]
    assert [a["code"] for a in body["advice"]] == ["commodity_code_unlikely"]
    assert "fits 64" in body["advice"][0]["message"] and "risk_signal" not in body["advice"][0]
    assert "lane" not in body  # no one can try declarations against risk selection
    assert client.get(URL, headers=auth("trader")).json()["total"] == 0  # nothing stored
