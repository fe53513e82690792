"""Lanes in the product come from criteria, watchlists, the model and exploration — with reasons, logged."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from clearway.audit.service import Actor
from clearway.cli.common import acting_user
from clearway.declaration.models import DeclarationVersion
from clearway.demo import risk as risk_demo
from clearway.risk import service, versions
from clearway.risk.learning import modelops
from clearway.risk.model import RiskModel
from clearway.risk.models import RiskLaneDecision
from clearway.risk.registry import registry_for
from clearway.uow import unit_of_work
from tests.documents import import_declaration
from tests.integration.risk.helpers import file, record_finding

ANALYST = Actor("analyst")
TODAY = date(2026, 11, 20)
NO_EXPLORATION = {"exploration_share": 0.0}


def configure(runtime, **policy):  # type: ignore[no-untyped-def]
    with unit_of_work(runtime.sessions) as session:
        service.set_policy(session, data={**NO_EXPLORATION, **policy}, actor=ANALYST, now=runtime.clock())


def test_without_model_or_criteria_a_declaration_is_green_and_says_why(runtime):
    configure(runtime)
    declaration_id, lane, selection = file(runtime, "R-1")
    assert lane == "green"
    assert selection["method"] == "risk:none" and selection["placeholder"] is False
    messages = " ".join(r["message"] for r in selection["reasons"])
    assert "no promoted risk model" in messages
    with unit_of_work(runtime.sessions) as session:
        logged = session.scalar(
            select(RiskLaneDecision).where(RiskLaneDecision.declaration_id == declaration_id)
        )
        assert logged.lane == "green" and logged.records[0]["hs6"] == "847130"


def test_a_criterion_sends_matching_declarations_to_its_lane_and_a_new_version_takes_over(runtime):
    configure(runtime)
    with unit_of_work(runtime.sessions) as session:
        view = service.create_criterion(
            session,
            data={
                "code": "NB-CN",
                "name": "notebooks from China",
                "lane": "yellow",
                "condition": {
                    "all": [
                        {"field": "commodity_code", "op": "prefix", "value": "8471"},
                        {"field": "origin_country", "op": "eq", "value": "CN"},
                    ]
                },
            },
            actor=ANALYST,
            now=runtime.clock(),
            today=TODAY,
        )
        criterion_id = view.criterion.id
    _, lane, selection = file(runtime, "R-2")
    assert lane == "yellow" and selection["method"] == "risk:criteria"
    reason = selection["reasons"][0]
    assert (
        reason["code"] == "NB-CN" and reason["version"] == 1 and "origin_country eq CN" in reason["message"]
    )
    _, lane, _ = file(runtime, "R-3", items__0__origin_country="VN")
    assert lane == "green"
    with unit_of_work(runtime.sessions) as session:
        service.update_criterion(
            session,
            criterion_id=criterion_id,
            data={"lane": "red"},
            actor=ANALYST,
            now=runtime.clock(),
            today=TODAY,
            note="two findings last week",
        )
    _, lane, selection = file(runtime, "R-4")
    assert lane == "red" and selection["reasons"][0]["version"] == 2
    with unit_of_work(runtime.sessions) as session:
        service.deactivate_criterion(
            session, criterion_id=criterion_id, actor=ANALYST, now=runtime.clock(), today=TODAY
        )
        history = service.criterion_history(session, criterion_id)
    assert [(v.version, v.lane, v.active, v.changed_by) for v in history] == [
        (1, "yellow", True, "analyst"),
        (2, "red", True, "analyst"),
        (3, "red", False, "analyst"),
    ]
    _, lane, _ = file(runtime, "R-5")
    assert lane == "green"


def test_a_watchlisted_seller_goes_to_the_watchlist_lane(runtime):
    configure(runtime)
    with unit_of_work(runtime.sessions) as session:
        w = service.create_watchlist(
            session, name="sellers", lane="red", description=None, actor=ANALYST, now=runtime.clock()
        )
        service.add_entry(
            session,
            watchlist_id=w.id,
            data={"field": "seller", "party": "Shenzhen Everbright Trading Co.|CN"},
            actor=ANALYST,
            now=runtime.clock(),
        )
    _, lane, selection = file(runtime, "R-6")
    assert lane == "red" and selection["reasons"][0]["kind"] == "watchlist"


def test_exploration_checks_a_share_of_unselected_traffic(runtime):
    configure(runtime, exploration_share=1.0, exploration_red_share=0.0)
    _, lane, selection = file(runtime, "R-7")
    assert lane == "yellow" and selection["method"] == "risk:exploration"
    assert any(r["kind"] == "random" for r in selection["reasons"])


def test_trained_on_own_findings_the_model_scores_and_explains(runtime, models_dir, clock):
    configure(runtime, exploration_share=1.0, exploration_red_share=0.0)  # cold start: check everything
    for i in range(24):
        cheap = i % 2 == 0  # a repeated invoice template at a low value: the officers find it every time
        amount = "12000.00" if cheap else f"{85000 + 100 * i}.00"
        declaration_id, lane, _ = file(runtime, f"H-{i}", items__0__invoice_amount=amount)
        assert lane == "yellow"
        record_finding(runtime, declaration_id, irregular=cheap)
        clock.advance(days=1)
    with unit_of_work(runtime.sessions) as session:
        row = risk_demo.bootstrap_demo_model(
            session,
            models_dir=models_dir,
            now=runtime.clock(),
            params={"n_estimators": 30, "num_leaves": 7, "learning_rate": 0.2},
            exploration_share=0.0,
        )
        assert row.status == "promoted" and row.metrics["n_train"] == 24
        assert "demo's inspection results" in row.note
    _, _, risky = file(runtime, "N-1", items__0__invoice_amount="12000.00")
    _, _, fine = file(runtime, "N-2", items__0__invoice_amount="85000.00")
    assert risky["score"] > fine["score"]
    model_reason = next(r for r in risky["reasons"] if r["kind"] == "model")
    assert model_reason["model_version"] == row.version and model_reason["top_features"]
    fine_id, _, fine = file(runtime, "N-3", items__0__invoice_amount="85000.00")
    model_reason = next(r for r in fine["reasons"] if r["kind"] == "model")
    if fine["lane"] == "green":
        assert model_reason["explained"] is False and "explanation on request" in model_reason["message"]
    with unit_of_work(runtime.sessions) as session:
        on_request = versions.explain_decision(session, declaration_id=fine_id, models_dir=models_dir)
        assert on_request["model_version"] == row.version and len(on_request["items"]) == 1
        assert on_request["items"][0]["score"] == pytest.approx(fine["score"], abs=1e-6)
        out = versions.report(session)
    assert out["selected"]["checked"] == 24 and out["selected"]["with_finding"] == 12
    assert out["by_method"]["exploration"]["hit_rate"] == 0.5
    assert out["models"] and out["models"][0]["version"] == row.version


def test_a_missing_model_file_falls_back_with_a_reason(runtime, models_dir):
    configure(runtime, exploration_share=1.0, exploration_red_share=0.0)
    for i in range(12):
        declaration_id, _, _ = file(
            runtime, f"M-{i}", items__0__invoice_amount="12000.00" if i % 2 else "85000.00"
        )
        record_finding(runtime, declaration_id, irregular=bool(i % 2))
    with unit_of_work(runtime.sessions) as session:
        row = modelops.train_from_product(
            session,
            models_dir=models_dir,
            actor=ANALYST,
            now=runtime.clock(),
            params={"n_estimators": 10, "num_leaves": 4},
        )
        versions.promote(
            session, version=row.version, models_dir=models_dir, actor=ANALYST, now=runtime.clock()
        )
    (models_dir / "risk" / row.file_name).write_bytes(b"tampered")
    registry_for(models_dir, runtime.caches).forget()  # as after a restart: the file is read again
    configure(runtime)  # bumps the generation: the selector reloads and finds the file changed
    _, lane, selection = file(runtime, "M-X")
    assert lane == "green"
    assert any(
        r["kind"] == "fallback" and "changed since it was registered" in r["message"]
        for r in selection["reasons"]
    )


def test_the_lane_is_stored_on_the_declaration_version(runtime):
    configure(runtime, exploration_share=1.0, exploration_red_share=1.0)
    declaration_id, lane, _ = file(runtime, "S-1")
    with unit_of_work(runtime.sessions) as session:
        version = session.scalar(
            select(DeclarationVersion).where(DeclarationVersion.declaration_id == declaration_id)
        )
        assert version.lane == lane == "red"
        assert version.lane_selection["method"] == "risk:exploration"


@pytest.mark.slow
def test_the_demo_falls_back_to_the_kcs_pretrained_model(runtime, models_dir):
    with unit_of_work(runtime.sessions) as session:
        risk_demo.seed_demo_configuration(session, now=runtime.clock(), today=TODAY)
        row = risk_demo.bootstrap_demo_model(session, models_dir=models_dir, now=runtime.clock())
    assert row.version.startswith("kcs-") and row.status == "promoted"
    _, _, selection = file(runtime, "K-1")
    assert any(r["kind"] == "model" for r in selection["reasons"])


@pytest.mark.slow
def test_a_batch_gets_the_same_scores_and_lanes_as_filing_one_by_one(runtime, models_dir):
    with unit_of_work(runtime.sessions) as session:
        risk_demo.seed_demo_configuration(session, now=runtime.clock(), today=TODAY)
        risk_demo.bootstrap_demo_model(session, models_dir=models_dir, now=runtime.clock())
    configure(runtime)  # no exploration: lanes depend on the scores and criteria only
    variants = [
        {},
        {"items__0__origin_country": "VN"},
        {"items__0__invoice_amount": "90.00"},
        {"items__0__origin_country": "US", "items__0__net_mass_kg": "4000"},
    ]
    alone = [file(runtime, f"ONE-{i}", **v)[2] for i, v in enumerate(variants)]
    with unit_of_work(runtime.sessions) as session:
        results = runtime.declarations.file_batch(
            session,
            acting_user(session, "trader"),
            [import_declaration(f"MANY-{i}", **v) for i, v in enumerate(variants)],
        )
        together = [dict(r.filing.version.lane_selection) for r in results]
    assert [(s["lane"], s["score"]) for s in together] == [(s["lane"], s["score"]) for s in alone]
    assert all(s["score"] is not None for s in together)


@pytest.mark.slow
def test_a_record_the_model_cannot_score_costs_only_its_own_declaration_the_model(
    runtime, models_dir, monkeypatch
):
    with unit_of_work(runtime.sessions) as session:
        risk_demo.seed_demo_configuration(session, now=runtime.clock(), today=TODAY)
        risk_demo.bootstrap_demo_model(session, models_dir=models_dir, now=runtime.clock())
    configure(runtime)
    real_score = RiskModel.score

    def fragile(self, records):  # type: ignore[no-untyped-def]
        if any(r.origin_country == "VN" for r in records):
            raise ValueError("cannot read this record")
        return real_score(self, records)

    monkeypatch.setattr(RiskModel, "score", fragile)
    with unit_of_work(runtime.sessions) as session:
        results = runtime.declarations.file_batch(
            session,
            acting_user(session, "trader"),
            [
                import_declaration("F-1"),
                import_declaration("F-2", items__0__origin_country="VN"),
                import_declaration("F-3", items__0__origin_country="US"),
            ],
        )
        selections = [r.filing.version.lane_selection for r in results]
    assert [s["score"] is not None for s in selections] == [True, False, True]
    assert "cannot read this record" in " ".join(r["message"] for r in selections[1]["reasons"])
