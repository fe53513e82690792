"""`POST /api/v1/classifications`, and the advisor in the filing flow (a warning plus a risk signal)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clearway.app import API_PREFIX, create_app
from clearway.classification import registry
from clearway.classification.api import router as classification_router
from clearway.classification.step import ClassificationAdvisor
from clearway.cli.common import acting_user
from clearway.declaration.steps import FilingSteps
from clearway.runtime import Runtime
from clearway.uow import unit_of_work
from tests.documents import import_declaration
from tests.integration.classification.conftest import serve

URL = f"{API_PREFIX}/classifications"


@pytest.fixture
def alert_model(tiny_model):  # type: ignore[no-untyped-def]
    """The tiny model with a lower alarm, so its two-chapter world still flags a code from the other chapter."""
    model = copy.deepcopy(tiny_model)
    model.plausibility_.alarm_ = 0.5
    return model


@pytest.fixture
def steps(alert_model) -> FilingSteps:  # type: ignore[no-untyped-def]
    return FilingSteps(advisors=(ClassificationAdvisor(Path("/nonexistent"), model=alert_model),))


@pytest.fixture
def api(runtime: Runtime, tiny_model_folder: Path) -> Iterator[TestClient]:
    registry.forget()
    serve(tiny_model_folder, runtime.settings.models_dir)
    app = create_app(runtime.settings, runtime=runtime)
    if not any(getattr(r, "path", "") == URL for r in app.routes):
        app.include_router(classification_router, prefix=API_PREFIX)
    runtime.close = lambda: None  # type: ignore[method-assign]
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_classification_endpoint_answers_with_candidates_and_evidence(api, auth):
    response = api.post(
        URL,
        json={"text": "남성용 가죽 신발\n바깥바닥은 고무", "lang": "ko", "top_k": 3},
        headers=auth("trader"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["declined"] is False and len(body["candidates"]) == 3
    best = body["candidates"][0]
    assert best["hs6"].startswith("6403") and best["hs10"].startswith(best["hs6"])
    assert [s["level"] for s in best["evidence"]["path"]][:2] == ["section", "chapter"]
    assert best["evidence"]["rulings"][0]["reference"]


def test_vague_or_huge_text_is_an_answer_and_bad_fields_are_422(api, auth):
    vague = api.post(URL, json={"text": "gift"}, headers=auth("broker")).json()
    assert vague["declined"] is True and vague["decline"]["code"] == "too_vague"
    huge = api.post(URL, json={"text": "립스틱 " * 25_000}, headers=auth("trader"))
    assert huge.status_code == 200 and huge.json()["truncated"] is True
    bad = api.post(URL, json={"text": "shoes", "top_k": 0, "lang": "fr"}, headers=auth("trader"))
    assert bad.status_code == 422
    assert api.post(URL, json={"text": "shoes"}).status_code == 401


def test_no_model_is_503(runtime, auth):
    registry.forget()
    app = create_app(runtime.settings, runtime=runtime)
    if not any(getattr(r, "path", "") == URL for r in app.routes):
        app.include_router(classification_router, prefix=API_PREFIX)
    runtime.close = lambda: None  # type: ignore[method-assign]
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post(URL, json={"text": "shoes"}, headers=auth("trader"))
    assert response.status_code == 503 and "classify train" in response.json()["detail"]


def test_filing_warns_about_an_unlikely_code_and_signals_risk(runtime):
    document = import_declaration(
        "CLS-1",
        items__0__description="Lipstick, 3.5 g, in a plastic case",
        items__0__commodity_code="6403991000",
    )
    second = copy.deepcopy(document["items"][0])
    second.update(line_number=2, description="남성용 가죽 구두 (바깥바닥 고무)", commodity_code="6403991000")
    document["items"].append(second)
    with unit_of_work(runtime.sessions) as session:
        filing = runtime.declarations.file(session, acting_user(session, "trader"), document)
        advice = list(filing.version.advice or [])
    flagged = [a for a in advice if a["code"] == "commodity_code_unlikely"]
    assert [a["pointer"] for a in flagged] == ["/items/0/commodity_code"]
    assert "3304" in flagged[0]["message"].replace(".", "") and 0.5 <= flagged[0]["risk_signal"] <= 1.0


def test_advisor_without_a_model_gives_no_advice(tmp_path):
    advisor = ClassificationAdvisor(tmp_path)
    assert advisor._model() is None  # logged once; filing goes on


def test_the_served_model_is_loaded_at_start_up_before_any_request(runtime, tiny_model_folder):
    registry.forget()
    serve(tiny_model_folder, runtime.settings.models_dir)
    runtime.close = lambda: None  # type: ignore[method-assign]
    app = create_app(runtime.settings, runtime=runtime)
    with TestClient(app):
        app.state.model_warmup.join(timeout=120)
        assert registry.is_loaded(registry.current_dir(runtime.settings.models_dir))


def test_start_up_without_a_model_still_serves(runtime):
    registry.forget()
    runtime.close = lambda: None  # type: ignore[method-assign]
    app = create_app(runtime.settings, runtime=runtime)
    with TestClient(app) as client:
        app.state.model_warmup.join(timeout=10)
        assert client.get("/api/v1/health").json()["status"] == "ok"


def test_a_legal_note_that_moves_a_code_is_named_in_the_evidence(api, auth):
    body = api.post(URL, json={"text": "고무제 샌들 (여성용)", "top_k": 3}, headers=auth("trader")).json()
    best = body["candidates"][0]
    assert best["hs6"].startswith("64")
    notes = best["evidence"]["notes"]
    assert notes and notes[0]["rule"] == "footwear-not-materials" and notes[0]["effect"] == "prefer"
    assert notes[0]["note"].startswith("Chapter 39, note 2(q)") and notes[0]["matched"] == "샌들"
    assert best["hs6"] in notes[0]["codes"] and body["notes"][0]["rule"] == "footwear-not-materials"
    plain = api.post(URL, json={"text": "Lipstick in a plastic case"}, headers=auth("trader")).json()
    assert plain["notes"] == [] and plain["candidates"][0]["evidence"]["notes"] == []
