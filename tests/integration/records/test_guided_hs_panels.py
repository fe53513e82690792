"""The HS suggestion panels of the filing form and the pre-filing simulator ask the guided question when the
likely codes are close: an answer re-ranks that panel's codes and stays shown as evidence; another user's
classification is not found. ``POST /api/v1/prefiling`` gives the classification id and the open question, and an
API client continues at ``POST /api/v1/classifications/{id}/answers`` (on the tiny two-chapter model)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clearway.assessment.step import TariffAssessment
from clearway.classification import registry
from clearway.declaration.steps import FilingSteps
from clearway.runtime import Runtime
from clearway.tariff import service as tariff
from clearway.uow import unit_of_work
from clearway.web.pages.security import csrf_for
from tests.integration.classification.conftest import (  # noqa: F401 - the session's tiny classifier
    serve,
    tiny_data,
    tiny_model,
    tiny_model_folder,
)
from tests.steps import FixedLane

VAGUE_SHOES = "신발"  # the tiny model's footwear codes are close: they differ by the material
BUTTON = re.compile(
    r'<button type="button" id="[^"]+" class="guided-answer[^"]*"[^>]*hx-post="([^"]+)" hx-vals=\'([^\']+)\'[^>]*>([^<]+)</button>'
)


@pytest.fixture
def steps() -> FilingSteps:
    return FilingSteps(lane_selector=FixedLane(), assessment=TariffAssessment())


@pytest.fixture(autouse=True)
def served(runtime: Runtime, tiny_model_folder: Path) -> Iterator[None]:  # noqa: F811
    registry.forget()
    serve(tiny_model_folder, runtime.settings.models_dir)
    yield
    registry.forget()


@pytest.fixture
def as_user(client, tokens, runtime):  # type: ignore[no-untyped-def]
    def sign_in(username: str) -> str:
        client.cookies.set("clearway_session", tokens[username])
        return csrf_for(runtime.settings.secret_key, tokens[username])

    return sign_in


def suggested(html: str, pick_for: str) -> list[tuple[str, str]]:
    """(code, confidence shown) of each suggestion that fills ``pick_for``."""
    return re.findall(
        rf'data-pick-code="(\d{{10}})" data-pick-for="{pick_for}".*?가능성 (\d+)%', html, flags=re.S
    )


def answer_and_check(client: Any, as_user: Any, auth: Any, first: Any, pick_for: str, target: str) -> None:
    assert first.status_code == 200, first.text
    before = suggested(first.text, pick_for)
    assert before and all(code.startswith("64") for code, _ in before)
    buttons = BUTTON.findall(first.text)
    assert 3 <= len(buttons) <= 5, first.text
    ids = [json.loads(vals)["answer"] for _, vals, _ in buttons]
    assert ids[-1] == "not_sure" and ids[0] == "a1"
    assert f'hx-target="{target}"' in first.text  # the answer refreshes this panel only
    url, vals, label = buttons[0]
    csrf = as_user("trader")
    after = client.post(url, data={"csrf_token": csrf, **json.loads(vals)}, params={"lang": "ko"})
    assert after.status_code == 200, after.text
    narrowed = suggested(after.text, pick_for)
    assert narrowed and narrowed != before  # re-ranked: fewer codes or changed chances
    classification_id = url.rsplit("/", 2)[-2]
    stored = client.get(f"/api/v1/classifications/{classification_id}", headers=auth("trader")).json()
    assert [a["answer_id"] for a in stored["answered"]] == ["a1"]  # the answer is kept with the session
    assert [c for c, _ in narrowed] == [c["national_lines"][0]["code"] for c in stored["candidates"]]
    assert f"답변: {label.strip()}" in after.text  # the answer stays shown as evidence
    assert re.search(r'id="[^"]+-panel" tabindex="-1"[^>]*data-focus="[^"]+-panel"', after.text)
    other = as_user("broker")
    stolen = client.post(url, data={"csrf_token": other, "answer": "not_sure"}, params={"lang": "ko"})
    assert stolen.status_code == 404


def test_a_filing_form_line_asks_the_question_and_the_answer_reranks_that_line(client, as_user, auth):  # type: ignore[no-untyped-def]
    csrf = as_user("trader")
    first = client.post(
        "/declarations/form/hs",
        data={"csrf_token": csrf, "row": "1", "items-1-description": VAGUE_SHOES},
        params={"lang": "ko"},
    )
    answer_and_check(client, as_user, auth, first, "f-items-1-commodity_code", "#hs-1")


def test_the_prefiling_likely_code_asks_the_question_and_the_answer_reranks_it(client, as_user, auth):  # type: ignore[no-untyped-def]
    csrf = as_user("trader")
    first = client.post(
        "/prefiling/hs", data={"csrf_token": csrf, "description": VAGUE_SHOES}, params={"lang": "ko"}
    )
    answer_and_check(client, as_user, auth, first, "p-commodity_code", "#prefiling-hs")


def test_a_clear_description_asks_nothing(client, as_user):  # type: ignore[no-untyped-def]
    csrf = as_user("trader")
    sure = client.post(
        "/prefiling/hs", data={"csrf_token": csrf, "description": "shampoo"}, params={"lang": "ko"}
    )
    assert sure.status_code == 200 and suggested(sure.text, "p-commodity_code")
    assert "guided-answer" not in sure.text


def test_the_prefiling_api_gives_the_classification_to_continue(
    client, auth, runtime, tariff_sessions, clock
):  # type: ignore[no-untyped-def]
    with unit_of_work(runtime.sessions) as session:
        tariff.load_demo_tariff(session, now=clock())
    plan = {
        "item": {
            "commodity_code": "8471300000",
            "description": VAGUE_SHOES,
            "origin_country": "CN",
            "quantity": "100",
            "quantity_unit": "U",
            "net_mass_kg": "160",
            "invoice_amount": "85000",
            "currency": "USD",
            "incoterm": "CIF",
        }
    }
    r = client.post("/api/v1/prefiling", json=plan, headers=auth("trader"))
    assert r.status_code == 200, r.text
    classification = r.json()["classification"]
    assert classification["id"] and classification["question"]["answers"][-1]["id"] == "not_sure"
    assert classification["candidates"][0]["hs6"].startswith("64")
    url = f"/api/v1/classifications/{classification['id']}/answers"
    after = client.post(url, json={"answer": "a1"}, headers=auth("trader"))
    assert after.status_code == 200, after.text
    assert [a["answer_id"] for a in after.json()["answered"]] == ["a1"]
    assert client.post(url, json={"answer": "a1"}, headers=auth("broker")).status_code == 404
    plain = client.post(
        "/api/v1/prefiling", json={"item": {**plan["item"], "description": ""}}, headers=auth("trader")
    )
    assert plain.status_code == 200 and "classification" not in plain.json()
