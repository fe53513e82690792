"""Issue 21 in the browser, in English and Korean: the officer's queue and decision with an internal note
and a message to the filer; the trader sees the message (never the note or why the lane was chosen), replies
with a file, pays at the bank simulator; the officer reads the file, accepts and releases."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from clearway.web.i18n import LANGUAGE_NAMES, translator
from tests.documents import import_declaration
from tests.e2e.browsing import declaration_id, htmx_ready, login, shot
from tests.e2e.test_pages import file_from_page

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def speak(page: Page, lang: str) -> None:
    if lang != "en":
        page.get_by_role("link", name=LANGUAGE_NAMES[lang]).first.click()
        expect(page.locator("html")).to_have_attribute("lang", lang)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_document_request_reply_with_a_file_and_release(open_browser, unique: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    t = translator(lang)
    trader, officer = open_browser(), open_browser()
    login(trader, "trader")
    file_from_page(trader, import_declaration(f"YEL-{unique}"))
    expect(trader.locator(".page-head .badges")).to_contain_text("Under document check")
    address = f"/declarations/{declaration_id(trader)}"
    number = trader.get_by_role("heading", level=1).inner_text().removeprefix("Declaration ")
    speak(trader, lang)

    login(officer, "officer")
    speak(officer, lang)
    officer.goto("/queue")
    row = officer.locator("#results tbody tr", has_text=number)
    expect(row).to_contain_text("the test sends yellow by the reference")  # the reasons summary, for customs
    expect(row).to_contain_text(t("detail.unassigned"))
    officer.get_by_role("link", name=number).click()
    officer.locator("#assign-form button").click()
    expect(officer.locator("#assignee")).to_have_text("officer")
    form = officer.locator("form.decision-request_documents")
    form.locator("#dr-request_documents").fill(f"INTERNAL-{unique}: price well below the model")
    form.locator("#dm-request_documents").fill(f"Please send the sales contract {unique}")
    form.locator("#dd-days").fill("5")
    form.locator("button[type=submit]").click()
    expect(officer.locator(".page-head .badges")).to_contain_text(t("status.awaiting_documents"))
    expect(officer.locator("#document-requests")).to_contain_text(f"INTERNAL-{unique}")
    shot(officer, f"officer-document-request-{lang}")

    # The queue: awaiting documents, with its deadline, taken by this officer.
    officer.goto("/queue")
    htmx_ready(officer)
    officer.locator("#q-stage").select_option("awaiting_documents")
    row = officer.locator("#results tbody tr", has_text=number)
    expect(row).to_contain_text(t("status.awaiting_documents"))
    expect(row).to_contain_text("officer")
    expect(row.locator("td").nth(5)).not_to_have_text(t("common.none"))  # the deadline

    trader.goto(address)
    body = trader.locator("main")
    expect(body).to_contain_text(f"Please send the sales contract {unique}")
    for secret in (f"INTERNAL-{unique}", "e2e-by-reference", "the test sends yellow", "officer"):
        expect(body).not_to_contain_text(secret)
    trader.locator("#reply-text").fill("Contract attached")
    trader.locator("#reply-files").set_input_files(
        [{"name": "contract.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    trader.locator("#reply-form button[type=submit]").click()
    expect(trader.get_by_role("status")).to_contain_text(t("reply.done"))
    expect(trader.locator("#document-requests")).to_contain_text("contract.pdf")
    shot(trader, f"trader-reply-{lang}")

    officer.goto(address)
    link = officer.locator("#document-requests a", has_text="contract.pdf")
    expect(link).to_be_visible()
    assert officer.request.get(link.get_attribute("href") or "").body() == PDF
    officer.locator("form.decision-accept #dm-accept").fill("Accepted after the contract")
    officer.locator("form.decision-accept button[type=submit]").click()
    expect(officer.locator(".page-head .badges")).to_contain_text(t("status.accepted"))

    trader.goto(address)
    trader.locator("#pay-form button[type=submit]").click()
    expect(trader.locator(".page-head .badges")).to_contain_text(t("status.paid"))
    expect(trader.locator("#payment-status")).to_contain_text(t("payment.status.paid"))

    officer.goto("/queue?stage=release")
    expect(officer.locator("#results")).to_contain_text(number)
    officer.get_by_role("link", name=number).click()
    officer.get_by_role("button", name=t("release.submit")).click()
    expect(officer.locator(".page-head .badges")).to_contain_text(t("status.released"))
    trader.goto(address)
    expect(trader.locator("main")).not_to_contain_text(f"INTERNAL-{unique}")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_amendment_under_check_is_a_request_the_officer_answers(open_browser, unique: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    t = translator(lang)
    trader, officer = open_browser(), open_browser()
    login(trader, "trader")
    file_from_page(trader, import_declaration(f"YEL-{unique}"))
    expect(trader.locator(".page-head .badges")).to_contain_text("Under document check")
    address = f"/declarations/{declaration_id(trader)}"
    speak(trader, lang)
    trader.locator("#cx-reason").fill("the buyer cancelled the order")
    trader.locator("#cx-reason").press("Enter")
    expect(trader.get_by_role("status")).to_contain_text(t("request.cancel_sent"))
    expect(trader.locator(".page-head .badges")).to_contain_text(t("status.under_document_check"))

    login(officer, "officer")
    speak(officer, lang)
    officer.goto("/queue?stage=request")
    expect(officer.locator("#results")).to_contain_text(t("request.kind.cancel"))
    officer.goto(address)
    officer.locator("#ans-message").fill(f"Withdrawal refused {unique}: the goods are being examined")
    officer.locator("#ans-reason").fill(f"NOTE-{unique}")
    officer.locator("#answer-form button[value=no]").click()
    expect(officer.locator("#change-requests")).to_contain_text(t("request.status.refused"))
    trader.goto(address)
    expect(trader.locator("#change-requests")).to_contain_text(f"Withdrawal refused {unique}")
    expect(trader.locator("main")).not_to_contain_text(f"NOTE-{unique}")
    expect(trader.locator(".page-head .badges")).to_contain_text(t("status.under_document_check"))
    shot(trader, f"trader-request-refused-{lang}")
    assert re.search(r"/declarations/\d+", trader.url)
