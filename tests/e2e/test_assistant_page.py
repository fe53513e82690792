"""The consultation chat in a real browser: a traveller asks without signing in, in Korean and in English,
using only the keyboard; the answer shows its sources and a hand-off to an officer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.assistant_model import build, serve, tiny_knowledge


@pytest.fixture(scope="module")
def chat_ready(portal, tmp_path_factory: pytest.TempPathFactory) -> None:  # type: ignore[no-untyped-def]
    trained = build(tmp_path_factory.mktemp("assistant-e2e"))
    serve(trained, Path(portal.runtime.settings.models_dir))


@pytest.mark.browser
def test_a_traveller_asks_in_korean_with_the_keyboard_and_sees_the_sources(chat_ready, open_browser) -> None:  # type: ignore[no-untyped-def]
    page: Page = open_browser(locale="ko-KR")
    page.goto("/assistant")
    expect(page.get_by_role("heading", name="통관 상담")).to_be_visible()
    knowledge = tiny_knowledge()
    pair = knowledge.pairs[0]
    box = page.get_by_label("질문")
    box.fill(pair.question)
    box.press("Enter")
    log = page.locator("#chat-log")
    expect(log.locator(".chat-user")).to_contain_text(pair.question)
    expect(log.locator(".chat-assistant")).to_have_count(1)
    page.get_by_text(re.compile(r"출처 \(\d\)")).click()
    expect(log.locator("cite").first).to_contain_text(knowledge.passages[pair.passage].citation.document)
    page.get_by_label("질문").fill("면세한도가 얼마예요?")
    page.get_by_role("button", name="질문하기").click()
    expect(log.locator(".chat-assistant").nth(1)).to_contain_text("800달러")


@pytest.mark.browser
def test_an_unanswerable_question_offers_a_customs_officer_in_english(chat_ready, open_browser) -> None:  # type: ignore[no-untyped-def]
    page: Page = open_browser(locale="en-US")
    page.goto("/assistant?lang=en")
    page.get_by_label("Your question").fill("Какой лимит беспошлинного ввоза?")
    page.get_by_role("button", name="Ask").click()
    page.get_by_role("button", name="Ask a customs officer instead").click()
    expect(page.get_by_role("status")).to_contain_text("passed to a customs officer")
