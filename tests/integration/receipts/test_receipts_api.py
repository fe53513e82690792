"""Decision receipts through the API: every filing returns a signed receipt naming what its duty and lane were
computed from; a filer's copy verifies without the selection rules; an officer's replay recomputes the duty and
the risk score and names what changed since (a corrected tariff parameter, a newly promoted model)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from clearway.assessment.step import TariffAssessment
from clearway.audit.service import Actor
from clearway.declaration.steps import FilingSteps
from clearway.risk import service as risk
from clearway.risk import versions
from clearway.risk.learning import modelops
from clearway.risk.step import RiskLaneSelector
from clearway.tariff import service as tariff
from clearway.uow import unit_of_work
from tests.documents import import_declaration
from tests.integration.risk.helpers import file, record_finding

URL = "/api/v1/declarations"
ANALYST = Actor("analyst")
TODAY = date(2026, 11, 20)


@pytest.fixture
def steps(runtime_models_dir, clock) -> FilingSteps:  # type: ignore[no-untyped-def]
    return FilingSteps(
        assessment=TariffAssessment(), lane_selector=RiskLaneSelector(runtime_models_dir, clock=clock)
    )


@pytest.fixture
def runtime_models_dir(tmp_path):  # type: ignore[no-untyped-def]
    return tmp_path / "models"  # Settings(home=tmp_path).models_dir, as the runtime fixture builds it


@pytest.fixture(autouse=True)
def demo_tariff(runtime, tariff_sessions, clock, runtime_models_dir):  # type: ignore[no-untyped-def]
    assert runtime.settings.models_dir == runtime_models_dir
    with unit_of_work(runtime.sessions) as session:
        tariff.load_demo_tariff(session, now=clock())
        risk.set_policy(session, data={"exploration_share": 0.0}, actor=ANALYST, now=clock())


def _criterion(runtime) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(runtime.sessions) as session:
        risk.create_criterion(
            session,
            data={
                "code": "NB-CN-SECRET",
                "name": "notebooks from China",
                "lane": "yellow",
                "condition": {"field": "origin_country", "op": "eq", "value": "CN"},
            },
            actor=ANALYST,
            now=runtime.clock(),
            today=TODAY,
        )


def test_filing_returns_a_signed_receipt_the_filer_can_verify_without_the_selection_rules(
    client, auth, runtime
):
    _criterion(runtime)
    filed = client.post(URL, json=import_declaration("RC-1"), headers=auth("trader"))
    assert filed.status_code == 201, filed.text
    d = filed.json()
    receipt = d["receipt"]
    assert set(receipt) == {"content", "signature"}  # the filer's copy: no confidential part
    content = receipt["content"]
    assert content["declaration"]["number"] == d["number"] and content["outcome"]["lane"] == "yellow"
    assessment = content["assessment"]
    assert assessment["total_due_krw"] == d["total_due_krw"] and assessment["engine"] == "kr-tariff-v1"
    (line,) = assessment["lines"]
    assert line["rates_fingerprint"].startswith("sha256:") and line["applied_rate"]["rate_code"]
    assert line["exchange_rate"]["currency"] == "USD" and line["exchange_rate"]["week"][0] == "2026-11-15"
    assert assessment["parameters_fingerprint"].startswith("sha256:")
    assert content["risk"]["model"] is None and content["risk"]["policy_version"] is not None
    assert "NB-CN-SECRET" not in json.dumps(d)  # the criterion that fired is not shown to the trader
    assert receipt["signature"]["alg"] == "HMAC-SHA256" and receipt["signature"]["kid"].startswith("rk-")

    verified = client.post("/api/v1/receipts:verify", json=receipt)  # no credential needed
    assert verified.status_code == 200 and verified.json()["valid"] is True, verified.text
    tampered = json.loads(json.dumps(receipt))
    tampered["content"]["assessment"]["total_due_krw"] = "1"
    answer = client.post("/api/v1/receipts:verify", json=tampered).json()
    assert answer["valid"] is False and "content changed" in answer["reason"]

    own = client.get(f"{URL}/{d['id']}/receipt", headers=auth("trader"))
    assert own.status_code == 200 and own.json() == receipt
    assert client.get(f"{URL}/{d['id']}/receipt", headers=auth("trader2")).status_code == 404
    officer = client.get(f"{URL}/{d['id']}/receipt", headers=auth("officer")).json()
    criteria = officer["confidential"]["criteria"]
    assert [(c["code"], c["version"], c["applied"]) for c in criteria] == [("NB-CN-SECRET", 1, True)]
    assert officer["content"] == receipt["content"]
    whole = client.post("/api/v1/receipts:verify", json=officer).json()
    assert whole["valid"] is True and whole["confidential_checked"] is True
    officer["confidential"]["criteria"] = []  # hiding the criterion that fired is detected
    assert client.post("/api/v1/receipts:verify", json=officer).json()["valid"] is False


def test_replay_is_identical_until_the_tariff_changes_then_names_the_change(client, auth, runtime, clock):
    d = client.post(URL, json=import_declaration("RC-2"), headers=auth("trader")).json()
    assert client.get(f"{URL}/{d['id']}/replay", headers=auth("trader")).status_code == 403
    same = client.get(f"{URL}/{d['id']}/replay", headers=auth("officer"))
    assert same.status_code == 200, same.text
    body = same.json()
    assert body["identical"] is True and body["differences"] == []
    items = {c["item"]: c for c in body["checks"]}
    assert items["total due (KRW)"]["recorded"] == d["total_due_krw"] == items["total due (KRW)"]["replayed"]
    assert items["signature"]["same"] and items["parameters"]["same"]

    with unit_of_work(runtime.sessions) as session:  # VAT corrected from the filing date on
        tariff.set_parameter(
            session,
            key="vat.rate_pct",
            value={"decimal": "12"},
            valid_from=date(2026, 11, 1),
            now=clock(),
            actor=ANALYST,
            note="a correction",
        )
    changed = client.get(f"{URL}/{d['id']}/replay", headers=auth("officer")).json()
    assert changed["identical"] is False
    assert changed["differences"][0].startswith("parameters: was sha256:")
    total = next(c for c in changed["checks"] if c["item"] == "total due (KRW)")
    assert total["recorded"] == d["total_due_krw"] and total["replayed"] != d["total_due_krw"]
    # the receipt itself is unchanged and still genuine
    assert next(c for c in changed["checks"] if c["item"] == "signature")["same"] is True


@pytest.mark.slow
def test_the_risk_score_is_recomputed_by_the_model_version_named_and_a_new_model_is_reported(
    client, auth, runtime, runtime_models_dir, clock
):
    with unit_of_work(runtime.sessions) as session:
        risk.set_policy(
            session, data={"exploration_share": 1.0, "exploration_red_share": 0.0}, actor=ANALYST, now=clock()
        )
    for i in range(12):  # cold start: every declaration checked, half of them irregular
        declaration_id, _, _ = file(
            runtime, f"M-{i}", items__0__invoice_amount="12000.00" if i % 2 else "85000.00"
        )
        record_finding(runtime, declaration_id, irregular=bool(i % 2))
        clock.advance(hours=1)
    with unit_of_work(runtime.sessions) as session:
        first = modelops.train_from_product(
            session, models_dir=runtime_models_dir, actor=ANALYST, now=clock(), params={"n_estimators": 10}
        )
        versions.promote(
            session, version=first.version, models_dir=runtime_models_dir, actor=ANALYST, now=clock()
        )
        risk.set_policy(session, data={"exploration_share": 0.0}, actor=ANALYST, now=clock())
    d = client.post(URL, json=import_declaration("RC-3"), headers=auth("trader")).json()
    assert d["receipt"]["content"]["risk"]["model"]["version"] == first.version
    assert "score" not in json.dumps(d["receipt"])  # the trader is not told the score
    body = client.get(f"{URL}/{d['id']}/replay", headers=auth("officer")).json()
    assert body["identical"] is True, body["differences"]
    score = next(c for c in body["checks"] if c["item"] == "score")
    assert score["recorded"] is not None and score["recorded"] == score["replayed"]

    clock.advance(days=1)
    with unit_of_work(runtime.sessions) as session:
        risk.set_policy(
            session, data={"exploration_share": 1.0, "exploration_red_share": 0.0}, actor=ANALYST, now=clock()
        )
    for i in range(12, 16):
        declaration_id, _, _ = file(runtime, f"M-{i}", items__0__invoice_amount="85000.00")
        record_finding(runtime, declaration_id, irregular=True)
    with unit_of_work(runtime.sessions) as session:
        second = modelops.train_from_product(
            session, models_dir=runtime_models_dir, actor=ANALYST, now=clock(), params={"n_estimators": 12}
        )
        versions.promote(
            session, version=second.version, models_dir=runtime_models_dir, actor=ANALYST, now=clock()
        )
    assert second.version != first.version
    later = client.get(f"{URL}/{d['id']}/replay", headers=auth("officer")).json()
    assert later["identical"] is False
    assert f"promoted model: recorded {first.version}, would now be {second.version}" in later["differences"]
    assert next(c for c in later["checks"] if c["item"] == "score")["same"] is True  # still reproducible
    assert any(n.startswith(f"risk model now {second.version}: the score would be") for n in later["notes"])
