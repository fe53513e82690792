"""Manifest ↔ declaration mismatches become risk signals of the declaration at filing: the officer reads what
differs and the declaration goes at least to the documentary check; a matching one is not raised."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearway.declaration.steps import FilingSteps
from clearway.risk.step import RiskLaneSelector
from tests.documents import import_declaration
from tests.integration.cargo.manifests import house, manifest

CARGO = "/api/v1/cargo"
DECL = "/api/v1/declarations"


@pytest.fixture
def steps(tmp_path: Path, clock) -> FilingSteps:  # type: ignore[no-untyped-def]
    # risk selection without a model and without criteria: only the manifest check can raise a lane
    return FilingSteps(lane_selector=RiskLaneSelector(tmp_path / "no-risk-model", clock=clock))


def test_mismatches_are_reasons_of_the_lane_and_raise_it(client, auth):  # type: ignore[no-untyped-def]
    m = manifest(
        houses=[
            house("HDMU12345678"),
            house(
                "HDMU99990000",
                description="Frozen shrimp",
                hs6="030617",
                gross_weight_kg="5000",
                consignee={"name": "Other Importer Co.", "country": "KR"},
            ),
        ]
    )
    assert client.post(f"{CARGO}/manifests", json=m, headers=auth("carrier")).status_code == 201
    good = client.post(DECL, json=import_declaration("SIG-1"), headers=auth("trader")).json()
    bad = client.post(
        DECL,
        json=import_declaration("SIG-2", consignment__transport_document="HDMU99990000"),
        headers=auth("trader"),
    ).json()
    assert good["lane"] == "green"
    assert bad["lane"] == "yellow"
    officer = client.get(f"{DECL}/{bad['id']}", headers=auth("officer")).json()
    reasons = [r for r in officer["lane_selection"]["reasons"] if r["kind"] == "manifest"]
    assert {r["code"] for r in reasons} == {
        "weight_under_manifest",
        "consignee_not_importer",
        "description_mismatch",
        "hs_mismatch",
    }
    assert any("Other Importer Co." in r["message"] for r in reasons)
    # a bill on no manifest is noted for the officer, without a lane of its own
    unknown = client.post(
        DECL,
        json=import_declaration("SIG-3", consignment__transport_document="NOSUCHBILL1"),
        headers=auth("trader"),
    ).json()
    noted = client.get(f"{DECL}/{unknown['id']}", headers=auth("officer")).json()["lane_selection"]["reasons"]
    assert [r["code"] for r in noted if r["kind"] == "manifest"] == ["bill_not_on_manifest"]
