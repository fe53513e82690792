"""The portal as its users meet it, in Chromium: filing, officers' decisions, payment, release, languages."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.documents import broker_declaration, import_declaration
from tests.e2e.browsing import declaration_id, htmx_ready, login, shot

pytestmark = pytest.mark.browser


def file_from_page(page: Page, document: dict) -> None:  # type: ignore[type-arg]
    page.get_by_role("link", name="File a declaration").first.click()
    page.get_by_role("link", name="Advanced: paste JSON").click()  # the JSON paste beside the form
    page.get_by_label("Declaration (JSON)").fill(json.dumps(document, indent=2))
    page.get_by_role("button", name="File the declaration").click()


def test_trader_files_a_declaration_and_follows_it(page: Page, unique: str) -> None:
    login(page, "trader")
    expect(page).to_have_url(re.compile(r"/declarations$"))
    expect(page.get_by_role("heading", name="My declarations")).to_be_visible()
    file_from_page(page, import_declaration(f"GRN-{unique}"))

    expect(page.get_by_role("status")).to_contain_text("was filed")
    expect(page).to_have_url(re.compile(r"/declarations/\d+"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Declaration CW-26-")
    badges = page.locator(".page-head .badges")
    expect(badges).to_contain_text("Accepted")  # green lane: accepted at once (전자수리)
    expect(badges).to_contain_text("Green")
    # The tariff engine's figures with their why: USD 86,350 CIF x 1,400 (DEMO rate) = 120,890,000 won.
    expect(page.locator("#total-due")).to_have_text("12,089,000 KRW")
    assessment = page.locator("section", has=page.get_by_role("heading", name="Assessment"))
    expect(assessment).to_contain_text("120,890,000 KRW")
    expect(assessment).to_contain_text("value added tax")
    expect(assessment).to_contain_text("Demo data")
    expect(page.locator(".timeline")).to_contain_text("Lane assigned")
    shot(page, "trader-detail")

    page.get_by_role("link", name="My declarations").click()
    row = page.locator("tbody tr", has_text=f"GRN-{unique}")
    expect(row).to_contain_text("Accepted")
    expect(row).to_contain_text("12,089,000 KRW")
    htmx_ready(page)
    page.get_by_label("Status").select_option("released")  # HTMX swaps the results as the filter changes
    expect(page.locator("#results")).not_to_contain_text(f"GRN-{unique}")
    expect(page).to_have_url(re.compile(r"status=released"))
    shot(page, "trader-list")


def test_a_bad_declaration_shows_every_field_error_on_the_page(page: Page, unique: str) -> None:
    login(page, "trader")
    bad = import_declaration(
        f"BAD-{unique}", items__0__currency="XYZ", consignment__port="NOPE1", items__0__quantity="-5"
    )
    page.goto("/declarations/new")
    page.get_by_label("Declaration (JSON)").fill(json.dumps(bad, indent=2))
    page.get_by_role("button", name="Check without filing").click()  # HTMX: only the result panel changes
    errors = page.locator("#check-result tbody tr")
    expect(errors).to_have_count(3)
    for pointer in ("/items/0/currency", "/consignment/port", "/items/0/quantity"):
        expect(page.locator("#check-result")).to_contain_text(pointer)
    expect(page.locator("#check-result tr", has_text="/items/0/currency")).to_contain_text('"XYZ"')
    expect(page.get_by_label("Declaration (JSON)")).to_have_value(re.compile("NOPE1"))
    shot(page, "trader-check-errors")

    page.get_by_role("button", name="File the declaration").click()
    expect(page.get_by_role("alert")).to_contain_text("The submission has invalid fields")
    expect(page.locator(".errors-table tbody tr")).to_have_count(3)
    expect(page).to_have_url(re.compile(r"/declarations/new$"))

    page.get_by_label("Declaration (JSON)").fill('{"kind": "import",')
    page.get_by_role("button", name="File the declaration").click()
    expect(page.get_by_role("alert")).to_contain_text("not valid JSON")
    expect(page.get_by_role("alert")).to_contain_text("line 1")

    fixed = import_declaration(f"UPL-{unique}")
    page.get_by_label("…or upload a JSON file").set_input_files(
        files=[
            {"name": "declaration.json", "mimeType": "application/json", "buffer": json.dumps(fixed).encode()}
        ]
    )
    page.get_by_role("button", name="Check without filing").click()
    expect(page.locator("#check-result")).to_contain_text("No errors")
    page.get_by_role("button", name="File the declaration").click()
    expect(page.get_by_role("status")).to_contain_text("was filed")
    expect(page.locator(".facts").first).to_contain_text(f"UPL-{unique}")


def test_officer_inspects_accepts_trader_pays_officer_releases(open_browser, unique: str) -> None:  # type: ignore[no-untyped-def]
    trader, broker, officer = open_browser(), open_browser(), open_browser()
    login(trader, "trader")
    file_from_page(trader, import_declaration(f"RED-{unique}"))
    expect(trader.locator(".page-head .badges")).to_contain_text("Under inspection")
    red_id = declaration_id(trader)
    red_number = trader.get_by_role("heading", level=1).inner_text().removeprefix("Declaration ")
    login(broker, "broker")
    file_from_page(broker, broker_declaration(f"YEL-{unique}"))
    expect(broker.locator(".page-head .badges")).to_contain_text("Under document check")

    login(officer, "officer")
    expect(officer).to_have_url(re.compile(r"/queue$"))
    row = officer.locator("#results tbody tr", has_text=red_number)
    expect(row.locator(".lane-red")).to_be_visible()
    expect(officer.locator("#results tbody tr", has_text=f"YEL-{unique}")).to_be_visible()  # another company
    htmx_ready(officer)
    officer.get_by_label("Check").select_option("document_check")
    expect(officer.locator("#results")).not_to_contain_text(red_number)
    expect(officer.locator("#results")).to_contain_text(f"YEL-{unique}")
    shot(officer, "officer-queue")
    officer.get_by_label("Check").select_option("")
    officer.get_by_role("link", name=red_number).click()

    form = officer.locator("#inspection-form")
    form.get_by_label("Irregularity found").check()
    form.get_by_role("button", name="Record the inspection result").click()
    expect(officer.locator("#inspection-form [role=alert]")).to_contain_text("/finding/description")
    form = officer.locator("#inspection-form")
    form.get_by_label("What was found").fill("declared value 20% below the bank remittance")
    form.get_by_label("Additional duty (KRW)").fill("450,000")
    form.get_by_role("button", name="Record the inspection result").click()
    expect(officer.get_by_role("status")).to_contain_text("Inspection result recorded")
    inspections = officer.locator("section", has=officer.get_by_role("heading", name="Inspection results"))
    expect(inspections).to_contain_text("Irregularity found")
    expect(inspections).to_contain_text("450,000 KRW")
    expect(officer.locator("#total-due")).to_have_text("12,539,000 KRW")  # 12,089,000 + 450,000
    shot(officer, "officer-detail")
    officer.locator("form.decision-accept").get_by_role("button", name="Accept").click()
    expect(officer.locator(".page-head .badges")).to_contain_text("Accepted")

    trader.goto(f"/declarations/{red_id}")
    # Paid only on the bank's confirmation: the trader pays the order at the (simulated) bank.
    trader.get_by_role("button", name=re.compile("^Pay 12,539,000 KRW")).click()
    expect(trader.get_by_role("status")).to_contain_text("payment was recorded")
    expect(trader.locator(".page-head .badges")).to_contain_text("Paid")
    expect(trader.locator("#payment-status")).to_contain_text("confirmed by the bank")

    officer.reload()
    officer.get_by_role("button", name="Release").click()
    expect(officer.locator(".page-head .badges")).to_contain_text("Released")
    times = officer.locator("section", has=officer.get_by_role("heading", name="Release time by stage"))
    for stage in ("Filing → lane", "Lane → acceptance", "Acceptance → payment", "Payment → release"):
        expect(times).to_contain_text(stage)
    expect(officer.locator(".timeline")).to_contain_text("Released (반출)")
    shot(officer, "officer-released")
    officer.goto("/queue")
    expect(officer.locator("#results")).not_to_contain_text(red_number)


def test_the_language_switch_shows_korean(page: Page, unique: str) -> None:
    login(page, "trader")
    file_from_page(page, import_declaration(f"KO-{unique}"))
    expect(page.get_by_role("status")).to_contain_text("was filed")
    page.get_by_role("link", name="한국어").click()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_role("heading", name="검사구분")).to_be_visible()
    expect(page.locator("#total-due")).to_have_text("12,089,000원")
    expect(page.locator(".layout")).to_contain_text("과세가격")
    shot(page, "trader-detail-ko")
    page.get_by_role("link", name="내 신고").click()  # the choice is remembered
    expect(page.get_by_role("heading", name="내 신고 목록")).to_be_visible()
    expect(page.locator("#results")).to_contain_text("수리")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="My declarations")).to_be_visible()


def test_another_companys_trader_gets_a_not_found_page(open_browser, unique: str) -> None:  # type: ignore[no-untyped-def]
    owner, other = open_browser(), open_browser()
    login(owner, "trader")
    file_from_page(owner, import_declaration(f"OWN-{unique}"))
    expect(owner.get_by_role("status")).to_contain_text("was filed")
    address = f"/declarations/{declaration_id(owner)}"
    login(other, "trader2")
    response = other.goto(address)
    assert response is not None and response.status == 404
    expect(other.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(other.locator("body")).not_to_contain_text(f"OWN-{unique}")
    assert "application/json" not in (response.headers.get("content-type") or "")
    shot(other, "not-found")
    other.goto("/declarations")
    expect(other.locator("#results")).not_to_contain_text(f"OWN-{unique}")


def test_wrong_password_and_sign_out(page: Page) -> None:
    login_page = page.goto("/declarations")
    assert login_page is not None
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fdeclarations"))
    page.get_by_label("Username").fill("trader")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
    shot(page, "login-failed")
    login(page, "trader")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_have_text("You have signed out.")
    page.goto("/declarations")
    expect(page).to_have_url(re.compile(r"/login"))


UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
    .filter(el => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.closest('label')
                  && !el.getAttribute('aria-label'))
    .map(el => el.name || el.id || el.outerHTML)"""


def test_every_form_field_has_a_label_and_the_pages_run_under_the_csp(open_browser, unique: str) -> None:  # type: ignore[no-untyped-def]
    trader, officer = open_browser(), open_browser()
    problems: list[str] = []
    for page in (trader, officer):
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
    login(trader, "trader")
    file_from_page(trader, import_declaration(f"YEL-{unique}"))
    expect(trader.locator(".page-head .badges")).to_contain_text("Under document check")
    address = f"/declarations/{declaration_id(trader)}"
    login(officer, "officer")
    for page, path, form in (
        (trader, "/declarations", "#f-status"),
        (trader, "/declarations/new", "#document"),
        (trader, address, "#cx-reason"),
        (trader, f"{address}/amend", "#reason"),
        (officer, "/queue", "#q-stage"),
        (officer, address, "#ir-description"),
    ):
        page.goto(path)
        expect(page.locator(form)).to_be_visible()
        assert page.evaluate(UNLABELLED) == [], path
    officer.get_by_role("link", name="한국어").click()
    expect(officer.get_by_role("heading", name="물품검사로 전환")).to_be_visible()
    assert officer.evaluate(UNLABELLED) == []
    assert problems == []  # no CSP violation or script error (htmx runs without inline styles or eval)
