"""Administrator, analyst and party pages in Chromium, in English and Korean."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.documents import DAEHAN, HANBIT, broker_declaration, import_declaration
from tests.e2e.browsing import htmx_ready, login, shot

pytestmark = pytest.mark.browser


def test_admin_records_and_revokes_a_mandate_in_english_then_reads_korean(page: Page) -> None:
    login(page, "admin")
    page.get_by_role("link", name="Administration").click()
    expect(page.get_by_role("heading", name="Users", level=1)).to_be_visible()
    page.get_by_role("navigation", name="Administration").get_by_role("link", name="Mandates").click()
    expect(page.get_by_role("heading", name="Mandates", level=1)).to_be_visible()
    page.get_by_label("Client (importer / exporter)").select_option(label=f"{DAEHAN.name} ({DAEHAN.brn})")
    page.get_by_label("Covers").select_option("import")
    page.get_by_label("Valid from").fill("2026-11-01")
    page.get_by_label("Valid until (empty: open-ended)").fill("2026-10-01")
    page.get_by_role("button", name="Record a mandate").click()
    expect(page.get_by_role("alert")).to_contain_text("ends before it starts")
    page.get_by_label("Valid until (empty: open-ended)").fill("")
    page.get_by_role("button", name="Record a mandate").click()
    expect(page.get_by_role("status")).to_have_text("The mandate was recorded.")
    row = page.locator("tbody tr", has_text=DAEHAN.name)
    expect(row).to_contain_text("open-ended")
    row.get_by_placeholder("Reason for revoking").fill("test over")
    row.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("status")).to_have_text("The mandate was revoked from today.")
    expect(page.locator("tbody tr", has_text=DAEHAN.name)).to_contain_text("Revoked from 2026-11-20")
    shot(page, "admin-mandates")

    page.get_by_role("link", name="한국어").click()
    expect(page.get_by_role("heading", name="위임", level=1)).to_be_visible()
    expect(page.locator("tbody tr", has_text=DAEHAN.name)).to_contain_text("2026-11-20부터 철회됨")
    page.get_by_role("navigation", name="시스템 관리 메뉴").get_by_role("link", name="감사기록").click()
    page.get_by_role("button", name="감사기록 검증").click()
    expect(page.get_by_role("status")).to_contain_text("체인이 온전합니다")
    page.get_by_role("navigation", name="시스템 관리 메뉴").get_by_role("link", name="업체").click()
    expect(page.locator("tbody")).to_contain_text("관세사 (관세법인)")
    page.get_by_label("상호").fill("Bad Number Co.")
    page.locator("#c-brn").fill("1234567890")
    page.get_by_role("button", name="업체 등록").click()
    expect(page.get_by_role("alert")).to_contain_text("입력한 내용에 오류가 있습니다")
    expect(page.locator("#e-brn")).to_contain_text("사업자등록번호")
    shot(page, "admin-companies-ko")
    page.get_by_role("link", name="English").click()


def test_analyst_sees_the_report_charts_in_korean_and_dry_runs_in_english(page: Page) -> None:
    login(page, "analyst")
    page.goto("/analyst/report?lang=ko")
    expect(page.get_by_role("heading", name="위험관리 보고서", level=1)).to_be_visible()
    expect(page.locator("svg.chart")).to_have_count(3)
    expect(page.locator("figure figcaption").first).to_have_text("검사구분별 신고 건수")
    expect(page.locator("#drift-alert")).to_be_visible()
    shot(page, "analyst-report-ko")
    page.get_by_role("link", name="English").click()
    page.get_by_role("navigation", name="Risk analysis").get_by_role(
        "link", name="Criteria and watchlists"
    ).click()
    page.get_by_label("Condition (JSON)").fill(
        json.dumps({"field": "origin_country", "op": "eq", "value": "CN"})
    )
    page.get_by_role("button", name="Count the matches").click()
    expect(page.locator("#dry-run-result")).to_contain_text("of the latest")
    page.get_by_role("link", name="Model registry").click()
    expect(page.get_by_role("heading", name="Model registry", level=1)).to_be_visible()
    page.goto("/admin/users")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")


def test_broker_chooses_a_client_and_the_importer_sees_the_filing(open_browser, unique: str) -> None:  # type: ignore[no-untyped-def]
    broker, trader = open_browser(), open_browser()
    login(broker, "broker")
    broker.get_by_role("link", name="File a declaration").first.click()
    broker.get_by_role("link", name="Advanced: paste JSON").click()
    party = broker.get_by_label("Importer / exporter (filed for)")
    expect(party.locator("option")).not_to_have_count(1)
    expect(party).not_to_contain_text("Seoul Customs Brokerage")
    party.select_option(label=f"{HANBIT.name} ({HANBIT.brn})")
    broker.get_by_label("Declaration (JSON)").fill(json.dumps(broker_declaration(f"BRK-{unique}"), indent=2))
    broker.get_by_role("button", name="File the declaration").click()
    expect(broker.get_by_role("status")).to_contain_text("was filed")
    login(trader, "trader")
    expect(trader.locator("#results")).to_contain_text(
        f"BRK-{unique}"
    )  # filed in Hanbit's name by its broker


def test_korean_field_errors_name_the_goods_line_and_jump_to_it(page: Page, unique: str) -> None:
    login(page, "trader")
    page.goto("/declarations/new?lang=ko")
    expect(page.get_by_label("수입자/수출자 (신고 대상 화주)")).to_have_value(
        re.compile("Hanbit Electronics")
    )
    bad = import_declaration(f"KOE-{unique}")
    bad["items"].append({**bad["items"][0], "line_number": 2, "currency": "XYZ"})
    raw = json.dumps(bad, indent=2)
    page.get_by_label("신고서 (JSON)").fill(raw)
    htmx_ready(page)
    page.get_by_role("button", name="제출 전 검사").click()
    link = page.locator("#check-result a.jump", has_text="2번째 품목")
    expect(link).to_be_visible()
    expect(page.locator("#check-result")).to_contain_text("알 수 없는 통화 코드입니다")
    expect(page.locator("#check-result")).not_to_contain_text("ISO 4217")
    link.click()
    selected = page.evaluate(
        "() => { const a = document.getElementById('document');"
        " return a.value.slice(a.selectionStart, a.selectionEnd); }"
    )
    assert selected.strip() == '"currency": "XYZ",'
    shot(page, "filing-errors-ko")
    page.goto("/declarations?lang=en")


def test_docs_page_works_without_internet(page: Page) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/docs")
    expect(page.locator(".swagger-ui .title").first).to_contain_text("Clearway")
    assert requested and all(url.startswith(page.url.split("/docs")[0]) for url in requested), requested


def test_a_trader_sees_its_mandates_in_both_languages(page: Page) -> None:
    login(page, "trader")
    page.get_by_role("link", name="Mandates").click()
    expect(page.get_by_role("heading", name="Mandates", level=1)).to_be_visible()
    expect(page.locator("tbody")).to_contain_text("Seoul Customs Brokerage")
    expect(page.locator("tbody")).to_contain_text("Imports")
    page.get_by_role("link", name="한국어").click()
    expect(page.get_by_role("heading", name="위임 관리", level=1)).to_be_visible()
    expect(page.locator("tbody")).to_contain_text("수입")
    expect(page.get_by_role("button", name="관세사에게 위임")).to_be_visible()
    page.get_by_role("link", name="English").click()
