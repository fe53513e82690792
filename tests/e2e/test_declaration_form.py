"""The filing form in Chromium, with the keyboard only: a two-line declaration typed field by field, the
estimate following the lines, a line added and removed without a reload, Enter never filing by accident, a field
error focused next to its field, a draft saved and resumed, and the declaration filed; the labels in Korean and
English; HS code suggestions from the classifier chosen with the keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browsing import htmx_processed, htmx_ready, htmx_settled, login, shot

pytestmark = pytest.mark.browser


def focused(page: Page) -> str:
    return str(page.evaluate("document.activeElement ? document.activeElement.id : ''"))


def tab_to(page: Page, element_id: str, limit: int = 400) -> None:
    """Press Tab (or Shift+Tab, for a field above) until ``element_id`` has the focus: it is in the tab order."""
    backwards = page.evaluate(
        """(id) => { const t = document.getElementById(id), a = document.activeElement;
             return !!(a && a !== document.body && t && (t.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING)); }""",
        element_id,
    )
    for _ in range(limit):
        if focused(page) == element_id:
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"#{element_id} was not reached with the keyboard")


def type_in(page: Page, element_id: str, value: str) -> None:
    """Reach the field with Tab and type: over a text field's value, or a select's option by its code."""
    tab_to(page, element_id)
    if page.evaluate("document.activeElement.tagName") == "SELECT":
        page.keyboard.type(value)
        expect(page.locator(f"#{element_id}")).to_have_value(value)
    else:
        page.keyboard.press("Control+A")
        page.keyboard.type(value)


def press(page: Page, element_id: str) -> None:
    tab_to(page, element_id)
    page.keyboard.press("Enter")


def fill_line(page: Page, row: int, values: dict[str, str]) -> None:
    for name, value in values.items():
        type_in(page, f"f-items-{row}-{name}", value)
    page.keyboard.press("Tab")  # leave the last field: its change re-estimates


LAPTOPS = {
    "description": "Notebook computer, 14-inch",
    "commodity_code": "8471300000",
    "origin_country": "CN",
    "quantity": "100",
    "quantity_unit": "U",
    "net_mass_kg": "160",
    "invoice_amount": "85000",
    "freight": "1200",
    "insurance": "150",
}
SHOES = {
    "description": "Men's leather shoes, rubber soles",
    "commodity_code": "6403999000",
    "origin_country": "VN",
    "quantity": "40",
    "quantity_unit": "PR",
    "net_mass_kg": "32",
    "invoice_amount": "2400",
    "freight": "90",
    "insurance": "10",
}


def test_a_trader_files_a_two_line_declaration_with_the_keyboard_only(page: Page, unique: str) -> None:
    login(page, "trader")
    page.goto("/declarations/form")
    expect(page.get_by_role("heading", name="File a declaration", level=1)).to_be_visible()
    htmx_ready(page)
    expect(page.locator("#estimate-body")).to_have_attribute("aria-live", "polite")
    reference = f"FRM-{unique}"
    type_in(page, "f-declarant_reference", reference)
    type_in(page, "f-seller-name", "Shenzhen Everbright Trading Co.")
    type_in(page, "f-seller-country", "CN")
    type_in(page, "f-consignment-transport_document", "HDMU12345678")
    fill_line(page, 0, LAPTOPS)
    estimate = page.locator("#estimate-total")
    expect(estimate).to_have_text("12,089,000 KRW")  # USD 86,350 CIF × 1,400 (DEMO): VAT only

    press(page, "add-items")  # a new line without a reload; the focus moves into it
    expect(page.get_by_role("group", name="Line 2")).to_be_visible()
    expect(page.locator("#f-items-1-description")).to_be_focused()
    expect(page.locator("#f-items-1-origin_country")).to_have_value("CN")  # the previous line's terms
    fill_line(page, 1, SHOES)
    expect(page.locator("tr.estimate-line")).to_have_count(2)
    expect(estimate).not_to_have_text("12,089,000 KRW")  # the shoes' duty and VAT were added
    two_lines = estimate.inner_text()

    press(page, "add-items")  # a third line, then removed again
    expect(page.locator("#f-items-2-description")).to_be_focused()
    type_in(page, "f-items-2-description", "Spare batteries")
    page.keyboard.press("Tab")
    expect(page.locator("#estimate-body")).to_contain_text("Line 3: still missing")
    press(page, "remove-items-2")
    expect(page.get_by_role("group", name="Line 3")).to_have_count(0)
    expect(page.locator("#remove-items-1")).to_be_focused()
    expect(page.locator("#estimate-body")).not_to_contain_text("Line 3")
    expect(estimate).to_have_text(two_lines)

    type_in(page, "f-documents-0-reference", f"INV-{unique}")
    # a wrong code on line 2; Enter in a field does not file the declaration
    type_in(page, "f-items-1-commodity_code", "6403")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/declarations/form$"))
    press(page, "file-button")
    code = page.locator("#f-items-1-commodity_code")
    expect(code).to_be_focused()  # the first field in error
    expect(code).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-items-1-commodity_code-error")).to_contain_text("10 digits")
    expect(page.get_by_role("alert")).to_contain_text("1 field(s) need correcting")
    shot(page, "form-field-error")
    page.keyboard.press("Control+A")
    page.keyboard.type("6403999000")

    press(page, "draft-button")
    expect(page.get_by_role("status").filter(has_text="The draft was saved.")).to_be_visible()
    page.goto("/declarations/drafts")
    link = page.get_by_role("link", name=reference)
    expect(link).to_be_visible()
    tab_to(page, str(link.evaluate("a => { a.id = 'resume-link'; return a.id; }")))
    page.keyboard.press("Enter")
    expect(page.locator("#f-items-1-commodity_code")).to_have_value("6403999000")
    expect(page.locator("#f-declarant_reference")).to_have_value(reference)
    htmx_ready(page)
    press(page, "file-button")
    expect(page).to_have_url(re.compile(r"/declarations/\d+"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Declaration CW-26-")
    expect(page.get_by_role("status")).to_contain_text("was filed")
    expect(page.locator("#total-due")).to_have_text(two_lines)  # what the form estimated is what was assessed
    page.goto("/declarations/drafts")
    expect(page.get_by_role("link", name=reference)).to_have_count(0)  # filed: the draft is gone


def test_the_form_speaks_korean_and_english(open_browser) -> None:  # type: ignore[no-untyped-def]
    korean = open_browser()
    login(korean, "trader")  # signs in in English, then switches the page to Korean
    korean.goto("/declarations/form?lang=ko")
    expect(korean.get_by_role("heading", name="수입·수출 신고서 작성")).to_be_visible()
    for label in (
        "신고인 참조번호",
        "B/L(AWB) 번호",
        "신고세관",
        "품명·규격",
        "세번부호 (HSK 10단위)",
        "원산지",
    ):
        expect(korean.get_by_label(label).first).to_be_visible()
    expect(korean.get_by_role("group", name="1란")).to_be_visible()
    expect(korean.get_by_role("button", name="란 추가")).to_be_visible()
    expect(korean.get_by_role("heading", name="5. 예상 세액")).to_be_visible()
    expect(korean.locator("#f-consignment-customs_office option:checked")).to_have_text("030 · 부산본부세관")
    english = open_browser()
    login(english, "trader")
    english.goto("/declarations/form?lang=en")
    for label in (
        "Your reference",
        "Bill of lading / air waybill no.",
        "Customs office",
        "Description of goods",
    ):
        expect(english.get_by_label(label).first).to_be_visible()
    expect(english.get_by_role("button", name="Add a line")).to_be_visible()
    shot(korean, "form-korean")


def test_hs_codes_are_suggested_from_the_description_and_chosen_with_the_keyboard(
    classifier, page: Page
) -> None:  # type: ignore[no-untyped-def]
    login(page, "trader")
    page.goto("/declarations/form")
    htmx_ready(page)
    type_in(page, "f-items-0-description", "Men's leather shoes with rubber outer soles")
    page.keyboard.press("Enter")  # Enter in the description asks for codes
    suggestions = page.locator("#hs-0 button.hs-pick")
    expect(suggestions.first).to_be_visible()
    expect(page.locator("#hs-0")).to_contain_text("likely")
    first = suggestions.first.get_attribute("data-pick-code") or ""
    assert first.startswith("64")
    page.keyboard.press("Tab")  # from the description to the button, then to the first suggestion
    page.keyboard.press("Tab")
    expect(suggestions.first).to_be_focused()
    page.keyboard.press("Enter")
    code = page.locator("#f-items-0-commodity_code")
    expect(code).to_have_value(first)
    expect(code).to_be_focused()
    expect(page.locator("#hs-0-picked")).to_contain_text("filled in")

    # a vague description: the codes are close, the question is asked; answered with the keyboard
    type_in(page, "f-items-0-description", "footwear")
    page.keyboard.press("Enter")
    question = page.locator("#hs-0 .question")
    expect(question).to_be_visible()
    before = page.locator("#hs-0 button.hs-pick").all_inner_texts()
    htmx_processed(page, "hs-0-question-a1")
    tab_to(page, "hs-0-question-a1")  # past the suggestions to the first answer
    htmx_settled(page)  # leaving the description re-estimates; let that land before answering
    expect(page.locator("#hs-0-question-a1")).to_be_focused()
    chosen = page.locator("#hs-0-question-a1").inner_text().strip()
    page.keyboard.press("Enter")
    expect(page.locator("#hs-0-answered")).to_contain_text(f"answered: {chosen}")
    expect(page.locator("#hs-0-panel")).to_be_focused()  # focus on the refreshed panel
    assert page.locator("#hs-0 button.hs-pick").all_inner_texts() != before  # this line's codes re-ranked
    page.keyboard.press("Tab")
    narrowed = page.locator("#hs-0 button.hs-pick").first
    expect(narrowed).to_be_focused()
    page.keyboard.press("Enter")
    expect(code).to_have_value(narrowed.get_attribute("data-pick-code") or "")
