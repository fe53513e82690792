"""Trade documents and statistics in a real browser: a trader opens a released import's certificate, anyone
checks it on the verification page (and a changed copy fails), and the statistics page draws its charts and
suppresses small cells, in English and Korean."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.documents import broker_declaration, daehan_declaration, import_declaration, party
from tests.e2e.browsing import PASSWORDS, htmx_ready, login, shot
from tests.e2e.conftest import Portal


def _api(portal: Portal, username: str) -> httpx.Client:
    client = httpx.Client(base_url=portal.base_url + "/api/v1", timeout=60)
    token = client.post("/auth/token", json={"username": username, "password": PASSWORDS[username]})
    assert token.status_code in (200, 201), token.text
    client.headers["Authorization"] = f"Bearer {token.json()['token']}"
    return client


@pytest.fixture
def released(portal: Portal, unique: str) -> dict[str, object]:
    """A released import by the trader, two more companies' imports of the same goods, figures refreshed."""
    from clearway.demo.parties import COMPANIES

    gangnam = next(c for c in COMPANIES if c.key == "gangnam-footwear")
    trader, officer = _api(portal, "trader"), _api(portal, "officer")
    d = trader.post("/declarations", json=import_declaration(f"TD-{unique}")).json()
    assert trader.post(f"/declarations/{d['id']}/payment-order/pay").json()["applied"]
    assert officer.post(f"/declarations/{d['id']}/release").json()["status"] == "released"
    assert (
        _api(portal, "trader2").post("/declarations", json=daehan_declaration(f"TD2-{unique}")).status_code
        == 201
    )
    other = broker_declaration(f"TD3-{unique}", importer=party(gangnam), buyer=party(gangnam))
    assert _api(portal, "broker").post("/declarations", json=other).status_code == 201
    assert officer.post("/trade-statistics/refresh").status_code == 200
    return d


def test_a_trader_opens_the_certificate_and_anyone_verifies_it(
    released: dict[str, object], open_browser: Callable[..., Page], page: Page, tmp_path
) -> None:
    login(page, "trader")
    page.goto(f"/declarations/{released['id']}")
    link = page.locator("#certificate-link")
    expect(link).to_have_text(re.compile("Import declaration certificate"))
    pdf = page.request.get(link.get_attribute("href") or "")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    code = pdf.headers["x-verification-code"]
    original, changed = tmp_path / "certificate.pdf", tmp_path / "changed.pdf"
    original.write_bytes(pdf.body())
    changed.write_bytes(pdf.body().replace(b"/Author", b"/Authos"))
    expect(page.locator("#receipt-link")).to_be_visible()
    shot(page, "trade-documents")

    anyone = open_browser()  # not signed in
    anyone.goto(f"/verify?code={code}")
    expect(anyone.locator("#verify-result")).to_contain_text("Genuine")
    anyone.locator("#file").set_input_files(str(original))
    anyone.locator("#check-file").click()
    expect(anyone.locator("#file-result")).to_have_text("The file is unchanged.")
    anyone.locator("#file").set_input_files(str(changed))
    anyone.locator("#check-file").click()
    expect(anyone.locator("#file-result")).to_contain_text("has been changed")
    anyone.goto("/verify?code=AAAA-BBBB-CCCC-DDDD&lang=ko")
    expect(anyone.locator("#verify-result")).to_contain_text("진본 아님")
    shot(anyone, "trade-verify")


def test_statistics_page_charts_and_suppression_in_both_languages(
    released: dict[str, object], page: Page
) -> None:
    login(page, "trader")
    page.get_by_role("link", name="Trade statistics").click()
    expect(page.get_by_role("heading", name="Trade statistics", level=1)).to_be_visible()
    for chart in ("#chart-series", "#chart-partners", "#chart-chapters"):
        expect(page.locator(f"{chart} svg")).to_be_visible()
    expect(page.locator("#chart-chapters svg rect").first).to_be_visible()
    expect(page.locator("#suppression-rule")).to_contain_text("fewer than 3 companies")
    page.get_by_label("Group by").select_option("country")
    page.get_by_role("button", name="Show").click()
    rows = page.locator("#stats-table tbody tr")
    expect(rows.first).to_be_visible()
    cn = page.locator("#stats-table tbody tr", has=page.locator("th", has_text="CN"))
    expect(cn).not_to_contain_text("suppressed")
    page.get_by_label("View").select_option("own")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#stats-table tbody tr").first).not_to_contain_text("suppressed")
    csv = page.request.get(page.locator("#csv-link").get_attribute("href") or "")
    assert csv.ok and csv.text().startswith("key,companies,suppressed")
    shot(page, "trade-statistics")
    page.goto("/statistics?lang=ko")
    expect(page.get_by_role("heading", name="무역통계", level=1)).to_be_visible()
    expect(page.locator("#chart-partners figcaption")).to_have_text("주요 교역국")
    expect(page.locator("#suppression-rule")).to_contain_text("비밀보호")


def test_a_trader_compares_mfn_and_fta_before_filing(
    released: dict[str, object], classifier: None, page: Page
) -> None:
    login(page, "trader")
    page.get_by_role("link", name="Plan a shipment").click()
    htmx_ready(page)
    # the likely HS code: a vague description gets the question, answered with the keyboard
    page.get_by_label("Description of the goods").fill("footwear")
    page.keyboard.press("Tab")
    expect(page.locator("#prefiling-suggest")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#prefiling-hs .question")).to_be_visible(timeout=60_000)
    for _ in range(12):  # past the suggestions to the first answer
        if page.evaluate("document.activeElement.id") == "prefiling-hs-question-a1":
            break
        page.keyboard.press("Tab")
    expect(page.locator("#prefiling-hs-question-a1")).to_be_focused()
    chosen = page.locator("#prefiling-hs-question-a1").inner_text().strip()
    page.keyboard.press("Enter")
    expect(page.locator("#prefiling-hs-answered")).to_contain_text(f"answered: {chosen}")
    expect(page.locator("#prefiling-hs-panel")).to_be_focused()
    page.keyboard.press("Tab")
    likely = page.locator("#prefiling-hs button.hs-pick").first
    expect(likely).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("HS code (10 digits)")).to_have_value(
        likely.get_attribute("data-pick-code") or ""
    )
    assert (likely.get_attribute("data-pick-code") or "").startswith("64")
    page.get_by_label("HS code (10 digits)").fill("8471300000")
    page.get_by_label("Origin").fill("CN")
    page.get_by_label("Quantity").fill("100")
    page.get_by_label("Invoice amount").fill("85000")
    page.get_by_role("button", name="Compare").click()
    table = page.locator("#scenarios")
    expect(table).to_contain_text("MFN (no preference)")
    expect(table).to_contain_text("Korea–China FTA")
    expect(page.locator("#prefiling-documents")).to_contain_text("commercial invoice")
    expect(page.locator("#prefiling-path")).to_contain_text("past declarations")  # the fixture's history
    shot(page, "trade-prefiling")
    page.goto("/prefiling?lang=ko")
    page.get_by_label("HS 부호(10자리)").fill("8471300000")
    page.get_by_label("원산지").fill("CN")
    page.get_by_label("수량").fill("100")
    page.get_by_label("송품장 금액").fill("85000")
    page.get_by_role("button", name="비교").click()
    expect(page.locator("#scenarios")).to_contain_text("기본세율(특혜 없음)")


def test_the_savings_report_is_on_the_planning_page(released: dict[str, object], page: Page) -> None:
    login(page, "trader")
    page.goto("/prefiling")
    expect(page.locator("#fta-savings")).to_contain_text("Your FTA savings on past imports")
    expect(page.locator("#saved")).to_contain_text("KRW")
    page.goto("/prefiling?lang=ko")
    expect(page.locator("#fta-savings")).to_contain_text("FTA 절감액")


def _component(page: Page, row: int, hs: str, country: str, value: str) -> None:
    cells = page.locator("#bom-rows tr").nth(row)
    cells.locator("[name=bom_hs]").fill(hs)
    cells.locator("[name=bom_origin_country]").fill(country)
    cells.locator("[name=bom_value]").fill(value)


def test_a_bill_of_materials_is_checked_against_each_agreements_rule(portal: Portal, page: Page) -> None:
    login(page, "trader")
    page.goto("/prefiling")
    page.get_by_label("HS code (10 digits)").fill("8471300000")
    page.get_by_label("Origin").fill("DE")
    page.get_by_label("Quantity").fill("10")
    page.get_by_label("Invoice amount").fill("1000")
    rows = page.locator("#bom-rows tr")
    expect(rows).to_have_count(2)
    _component(page, 0, "847150", "CN", "600")
    page.get_by_role("button", name="Add a component").click()  # HTMX: one more row, nothing reloaded
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator("[name=bom_hs]")).to_have_value("847150")
    _component(page, 2, "854442", "DE", "50")
    page.get_by_role("button", name="Compare").click()
    check = page.locator("[data-agreement='KR-EU']")
    expect(check).to_have_attribute("data-status", "not_originating", timeout=20_000)  # rules load once
    expect(check).to_contain_text("rule not met")
    expect(check).to_contain_text("60.00%")  # the foreign part's share against the 45% maximum
    expect(check.locator(".ask-supplier")).to_contain_text("component 1")
    expect(page.locator("#prefiling-requirements")).to_contain_text("전파법 제58조의2")
    expect(rows).to_have_count(3)  # the bill of materials stays filled in
    shot(page, "trade-prefiling-bom")
    page.goto("/prefiling?lang=ko")
    expect(page.locator("#bom-rows tr")).to_have_count(2)
    page.get_by_role("button", name="자재 추가").click()
    expect(page.locator("#bom-rows tr")).to_have_count(3)


def test_a_korean_exporter_sees_the_uk_duty_and_rule_of_origin(portal: Portal, page: Page) -> None:
    login(page, "trader")
    for lang, direction, compare, mfn, rule in (
        ("en", "Export from Korea to the UK", "Compare", "UK MFN (third-country duty)", "UK rule of origin"),
        (
            "ko",
            "한국에서 영국으로 수출",
            "비교",
            "영국 최혜국세율 (제3국 관세)",
            "영국 측 품목별 원산지결정기준",
        ),
    ):
        page.goto(f"/prefiling?lang={lang}")
        page.locator("#p-direction").select_option(label=direction)
        page.locator("#p-commodity_code").fill("7202118000")
        page.locator("#p-invoice_amount").fill("1000")
        page.locator("#p-currency").fill("GBP")
        page.locator("#p-freight").fill("100")
        page.locator("#p-insurance").fill("10")
        _component(page, 0, "260200", "ZA", "400")
        page.get_by_role("button", name=compare).click()
        uk = page.locator("#uk-mfn")
        expect(uk).to_contain_text(mfn, timeout=20_000)
        expect(uk).to_contain_text("2.70 %")
        expect(uk).to_contain_text("29.97")  # 2.70% of 1,110 GBP
        expect(page.locator("#uk-no-fta")).to_be_visible()  # no Korean preference in the UK data held: said
        expect(page.locator("#prefiling-uk")).to_contain_text(rule)
        expect(page.locator("#uk-rule")).to_contain_text("Manufacture from materials of any heading")
        expect(page.locator("[data-agreement='UK-KR']")).to_have_attribute("data-status", "originating")
    shot(page, "trade-prefiling-uk")
