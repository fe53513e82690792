"""The HS classification page in a real browser: a vague description gets the nomenclature's question as
buttons (Korean and English); clicking an answer narrows the codes and keeps the answer as evidence."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from clearway.classification import registry
from clearway.classification.corpus import load_training_data
from clearway.classification.model import HSClassifier
from tests.e2e.browsing import login
from tests.integration.classification.conftest import CHAPTERS, VERSION, serve, tiny_hierarchy


@pytest.fixture(scope="module")
def classifier_ready(portal, tmp_path_factory: pytest.TempPathFactory) -> None:  # type: ignore[no-untyped-def]
    records = [r for r in load_training_data().records if r.hs6[:2] in CHAPTERS]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = HSClassifier(ranker_trees=60, folds=2, uk_search_share=0.3).fit(
            records, hierarchy=tiny_hierarchy()
        )
    model.version_ = VERSION
    folder = tmp_path_factory.mktemp("classify-e2e") / VERSION
    registry.save_model(folder, model, {"version": VERSION}, {"internal": model.metrics_})
    registry.forget()
    serve(folder, Path(portal.runtime.settings.models_dir))


@pytest.mark.browser
@pytest.mark.slow
def test_a_trader_answers_the_question_in_korean_and_the_codes_narrow(classifier_ready, open_browser) -> None:  # type: ignore[no-untyped-def]
    page: Page = open_browser()
    login(page, "trader")
    page.goto("/classify?lang=ko")
    expect(page.get_by_role("heading", name="품목분류(HS 부호 찾기)")).to_be_visible()
    page.get_by_label("물품 설명").fill("신발")
    page.get_by_role("button", name="분류하기").click()
    question = page.locator(".question")
    expect(question).to_be_visible(timeout=60_000)  # the first request loads the model
    expect(question.get_by_role("button", name="잘 모르겠음")).to_be_visible()
    buttons = question.get_by_role("button")
    assert 3 <= buttons.count() <= 5
    chosen = buttons.first.inner_text()
    buttons.first.click()
    answered = page.locator(".answered")
    expect(answered).to_contain_text(chosen)
    expect(page.locator(".candidates li").first).to_contain_text("64")
    assert page.url.endswith("/classify")


@pytest.mark.browser
@pytest.mark.slow
def test_the_question_is_in_english_on_an_english_page(classifier_ready, open_browser) -> None:  # type: ignore[no-untyped-def]
    page: Page = open_browser(locale="en-US")
    login(page, "trader")
    page.goto("/declarations/new")
    page.get_by_role("link", name="Not sure of a commodity code? Find it by describing the goods").click()
    page.get_by_label("Description of the goods").fill("footwear")
    page.get_by_role("button", name="Classify").click()
    question = page.locator(".question")
    expect(question.get_by_role("button", name="Not sure")).to_be_visible(timeout=60_000)
    question.get_by_role("button", name="Not sure").click()
    expect(page.locator(".answered")).to_contain_text("Not sure")
