"""Guided classification end to end: the API stores the session and applies answers, the CLI asks in the
terminal, the benchmark's oracle answers (on the tiny two-chapter model of conftest)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clearway.app import API_PREFIX, create_app
from clearway.classification import questions as q
from clearway.classification import registry
from clearway.classification.api import router as classification_router
from clearway.runtime import Runtime
from tests.integration.classification.conftest import serve

URL = f"{API_PREFIX}/classifications"
# footwear with no material said: the candidates differ by the material of the outer sole and upper
VAGUE_SHOES = "신발"


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


def test_close_candidates_get_a_question_and_the_answer_narrows_them(api, auth):
    first = api.post(URL, json={"text": VAGUE_SHOES, "top_k": 3}, headers=auth("trader"))
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["id"] and body["question"] is not None and body["answered"] == []
    question = body["question"]
    assert question["text"]["ko"] and question["text"]["en"]
    answers = {a["id"]: a for a in question["answers"]}
    assert 3 <= len(answers) <= q.MAX_ANSWERS + 1 and "not_sure" in answers
    assert all(a["label"]["ko"] and a["label"]["en"] for a in answers.values())
    assert not any(c in a["label"]["en"] for a in answers.values() for c in a["codes"])
    chosen = next(a for a in question["answers"] if a["id"] == "a1")
    assert chosen["kept"] == len(chosen["codes"]) >= 1

    after = api.post(f"{URL}/{body['id']}/answers", json={"answer": "a1"}, headers=auth("trader"))
    assert after.status_code == 200, after.text
    narrowed = after.json()
    assert narrowed["id"] == body["id"]
    assert {c["hs6"] for c in narrowed["candidates"]} <= set(chosen["codes"])
    assert narrowed["candidates"][0]["confidence"] > next(
        c["confidence"] for c in body["candidates"] if c["hs6"] == narrowed["candidates"][0]["hs6"]
    )
    evidence = narrowed["answered"]
    assert [e["answer_id"] for e in evidence] == ["a1"]
    assert evidence[0]["answer"] == chosen["label"] and evidence[0]["kept"] == chosen["codes"]

    again = api.get(f"{URL}/{body['id']}", headers=auth("trader")).json()
    assert again["answered"] == evidence and again["candidates"] == narrowed["candidates"]


def test_not_sure_keeps_every_candidate_and_asks_something_else(api, auth):
    body = api.post(URL, json={"text": VAGUE_SHOES}, headers=auth("trader")).json()
    after = api.post(
        f"{URL}/{body['id']}/answers", json={"answer": "not_sure"}, headers=auth("trader")
    ).json()
    assert [c["hs6"] for c in after["candidates"]] == [c["hs6"] for c in body["candidates"]]
    assert after["answered"][0]["answer"]["en"] == "Not sure"
    if after["question"] is not None:
        assert after["question"]["level"] != body["question"]["level"]


def test_wrong_answers_other_users_and_closed_sessions(api, auth):
    body = api.post(URL, json={"text": VAGUE_SHOES}, headers=auth("trader")).json()
    sid = body["id"]
    bad = api.post(f"{URL}/{sid}/answers", json={"answer": "a9"}, headers=auth("trader"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["code"] == "unknown_answer"
    assert api.post(f"{URL}/{sid}/answers", json={"answer": "a1"}, headers=auth("broker")).status_code == 404
    assert api.get(f"{URL}/nope", headers=auth("trader")).status_code == 404
    state = body
    while state["question"] is not None:  # answer until nothing is left to ask
        first_answer = state["question"]["answers"][0]["id"]
        state = api.post(f"{URL}/{sid}/answers", json={"answer": first_answer}, headers=auth("trader")).json()
    closed = api.post(f"{URL}/{sid}/answers", json={"answer": "a1"}, headers=auth("trader"))
    assert closed.status_code == 409


def test_a_confident_or_unguided_classification_asks_nothing_and_stores_nothing(api, auth):
    # the tiny model is over 90% sure of shampoo
    sure = api.post(URL, json={"text": "shampoo"}, headers=auth("trader")).json()
    assert sure["question"] is None and sure["id"] is None and sure["candidates"][0]["hs6"] == "330510"
    plain = api.post(URL, json={"text": VAGUE_SHOES, "guided": False}, headers=auth("trader")).json()
    assert plain["question"] is None and plain["id"] is None and len(plain["candidates"]) == 5


def test_the_oracle_benchmark_reports_the_figures_after_questions(tiny_model, tmp_path):
    from clearway.benchmarks import classification as bench

    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        "\n".join(
            [
                '{"id": "1", "text": "신발", "hs": "6403911000", "lang": "ko", "national": "KR"}',
                '{"id": "2", "text": "footwear", "hs": "640291", "lang": "en", "national": "UK"}',
                '{"id": "3", "text": "perfume", "hs": "330300", "lang": "en", "national": "UK"}',
            ]
        ),
        encoding="utf-8",
    )
    figures = bench.run(tiny_model, [cases], guided_questions=2, warm_up=False)
    assert figures["n"] == 3 and 0 < figures["questions_asked_mean"] <= 2
    assert figures["hs6_top1_after_questions"] > figures["hs6_top1"]
    assert figures["by_file"]["cases.jsonl"]["questions_asked_mean"] == figures["questions_asked_mean"]
    plain = bench.run(tiny_model, [cases], warm_up=False)
    assert "questions_asked_mean" not in plain and plain["hs6_top1"] == figures["hs6_top1"]


def test_the_oracle_answers_the_answer_that_keeps_the_truth():
    from clearway.benchmarks.classification import oracle

    question = q.best_question([("420221", 0.4), ("420222", 0.35), ("420229", 0.1)], q.bundled_texts())
    assert question is not None
    kept = next(a for a in question.answers if a.codes == ("420222",))
    assert oracle(question, "4202221010") == kept.id
    assert oracle(question, "950300") == q.NOT_SURE
