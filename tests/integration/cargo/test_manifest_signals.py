"""Manifest ↔ declaration mismatches become risk signals of the declaration at filing: the officer reads what
differs and the declaration goes at least to the documentary check; a matching one is not raised."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearway.audit.service import Actor
from clearway.declaration.steps import FilingSteps
from clearway.risk import service as risk_service
from clearway.risk.step import RiskLaneSelector
from clearway.uow import unit_of_work
from tests.documents import import_declaration
from tests.integration.cargo.manifests import house, manifest

CARGO = "/api/v1/cargo"
DECL = "/api/v1/declarations"


@pytest.fixture
def steps(tmp_path: Path, clock) -> FilingSteps:  # type: ignore[no-untyped-def]
    # risk selection without a model and without criteria: only the manifest check can raise a lane
    return FilingSteps(lane_selector=RiskLaneSelector(tmp_path / "no-risk-model", clock=clock))


def test_mismatches_are_reasons_of_the_lane_and_raise_it(client, auth, runtime):  # type: ignore[no-untyped-def]
    # no exploration: the random draw (keyed by the declaration id) must not pick the red lane by chance
    with unit_of_work(runtime.sessions) as session:
        risk_service.set_policy(
            session, data={"exploration_share": 0.0}, actor=Actor("analyst"), now=runtime.clock()
        )
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


def test_examination_results_feed_back_into_the_model(client, auth, runtime):  # type: ignore[no-untyped-def]
    """An X-ray order closed with an irregularity is a training outcome of that bill; the trained model
    records how many of the product's examinations it learned from and is used by the next screening."""
    from clearway.cargo import learning, training
    from clearway.uow import unit_of_work

    m = client.post(
        f"{CARGO}/manifests",
        json=manifest("FB-1", houses=[house("FBBILL0001"), house("FBBILL0002")]),
        headers=auth("carrier"),
    ).json()
    ccn = m["bills"][0]["ccn"]
    hold = client.post(
        f"{CARGO}/bills/{ccn}/holds", json={"kind": "xray", "reason": "score"}, headers=auth("officer")
    ).json()
    closed = client.post(
        f"{CARGO}/holds/{hold['id']}/result",
        json={"result": "irregularity", "note": "undeclared batteries"},
        headers=auth("officer"),
    )
    assert closed.status_code == 200
    with unit_of_work(runtime.sessions) as session:
        records, outcomes = training.product_history(session)
        by_bill = dict(zip((r.bill for r in records), outcomes, strict=True))
        assert by_bill["FBBILL0001"] is not None and by_bill["FBBILL0001"].found
        assert by_bill["FBBILL0002"] is None  # never examined: history only
        models_dir = runtime.settings.models_dir
        trained = training.train_and_save(
            session, models_dir=models_dir, now=runtime.clock(), trained_by="t", weeks=6
        )
    own = trained.document["sources"][1]
    assert own["source"] == "clearway cargo examinations" and own["examined"] == 1
    assert learning.current(models_dir).version == trained.version  # type: ignore[union-attr]
    again = client.post(
        f"{CARGO}/manifests", json=manifest("FB-2", houses=[house("FBBILL0003")]), headers=auth("carrier")
    )
    assert again.status_code == 201
    bill = client.get(f"{CARGO}/bills/{again.json()['bills'][0]['ccn']}", headers=auth("officer")).json()
    with unit_of_work(runtime.sessions) as session:
        records, _ = training.product_history(session)
    record = next(r for r in records if r.bill == "FBBILL0003")
    expected = trained.model.score([record])[0]
    assert bill["risk"]["score"] == pytest.approx(
        round(float(expected), 3), abs=1e-3
    )  # the model's probability
