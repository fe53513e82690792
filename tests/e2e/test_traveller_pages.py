"""Traveller unit pages in Chromium: a PAXLST message in, a watchlist loaded, the flight screened, the selection
list with reasons, a passenger's page (API, PNR, hit, risk reasons, checks), a check result recorded, the
model retrained on it — in English and Korean."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browsing import login, shot
from tests.e2e.conftest import Portal

pytestmark = pytest.mark.browser

PAXLST = (Path(__file__).parents[1] / "unit" / "traveller" / "paxlst" / "good.edi").read_text("utf-8")


def _fill_trip(phone: Page, price: str) -> None:
    phone.goto("/declare")
    expect(phone.get_by_role("heading", name="Traveller's declaration")).to_be_visible()
    phone.get_by_label("Flight").fill("KE082")
    phone.get_by_label("Arrival").fill("2026-11-21")
    phone.get_by_label("Issued by").fill("KOR")
    phone.get_by_label("Document number").fill("M12345678")
    phone.get_by_label("Item 1: what").fill("handbag")
    phone.get_by_label("Item 1: price each").fill(price)


def _declare_on_a_phone(open_browser: Callable[..., Page]) -> None:
    phone = open_browser()
    phone.set_viewport_size({"width": 390, "height": 844})
    _fill_trip(phone, "-1000")
    phone.get_by_role("button", name="Declare and compute the duty").click()
    expect(phone.locator("main")).to_contain_text("/goods/0/price")  # a negative price is refused
    _fill_trip(phone, "1000")
    phone.get_by_label("Bottles", exact=True).fill("1")
    phone.get_by_label("Litres in all").fill("0.7")
    phone.get_by_label("Price of all bottles").fill("80")
    phone.get_by_role("button", name="Declare and compute the duty").click()
    expect(phone.get_by_role("status")).to_contain_text("Duty to pay")
    expect(phone.locator("#explanation")).to_contain_text("basic allowance USD 800")
    expect(phone.locator("#explanation")).to_contain_text("자진신고")
    shot(phone, "traveller-declaration-phone")


def test_paxlst_to_screening_to_selection_to_check_to_retrain(
    page: Page, portal: Portal, open_browser: Callable[..., Page]
) -> None:
    login(page, "traveller")
    page.get_by_role("link", name="Travellers").click()
    expect(page.get_by_role("heading", name="Arriving flights")).to_be_visible()

    page.get_by_label("API/PNR message: JSON or UN/EDIFACT PAXLST").fill("UNA:+.? 'UNB+UNOA:4+KE'garbage")
    page.get_by_role("button", name="Receive").click()
    expect(page.locator("main")).to_contain_text("PAXLST")  # a readable refusal, nothing stored
    page.goto("/travellers")
    expect(page.get_by_text("No passenger data received yet.")).to_be_visible()

    page.get_by_label("API/PNR message: JSON or UN/EDIFACT PAXLST").fill(PAXLST)
    page.get_by_role("button", name="Receive").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("KE082")
    expect(page.locator("#selection tbody tr")).to_have_count(2)
    _declare_on_a_phone(open_browser)

    page.goto("/travellers")
    page.get_by_label("List name").fill("e2e-suspects")
    page.get_by_label("CSV with a header row").fill(
        "entry_id,name,aliases,date_of_birth,nationality,reason\nW1,김민수,,1985-03-14,KOR,smuggling\n"
    )
    page.get_by_role("button", name="Load as a new version").click()
    expect(page.get_by_role("status")).to_contain_text("loaded as a new version")
    expect(page.locator("#watchlists")).to_contain_text("e2e-suspects · v1")

    page.get_by_role("link", name="KE082").click()
    page.get_by_role("button", name="Screen against the watchlists").click()
    expect(page.get_by_role("status")).to_contain_text("1 hit(s)")
    kim = page.locator("#selection tbody tr").filter(has_text="KIM")
    expect(kim).to_contain_text("watchlist")
    expect(kim).to_contain_text("e2e-suspects/W1")
    shot(page, "traveller-selection")

    kim.get_by_role("link", name="KIM MIN SU").click()
    expect(page.locator("#api")).to_contain_text("M12345678")
    expect(page.locator("#pnr")).to_contain_text("ABC123")
    expect(page.locator("#hits")).to_contain_text("romanised as GIM MINSU")
    expect(page.locator("#risk-reasons")).to_contain_text("e2e-suspects/W1")
    expect(page.locator("#declarations")).to_contain_text("handbag")
    page.get_by_label("Note").fill("same person, passport checked")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status")).to_contain_text("confirmed")
    page.get_by_label("found something").check()
    page.get_by_label("What was found").fill("undeclared gold bars")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("status")).to_contain_text("recorded")
    expect(page.locator("#checks")).to_contain_text("undeclared gold bars")
    shot(page, "traveller-passenger")

    page.get_by_role("link", name="Travellers").click()
    expect(page.locator("#model-version")).to_contain_text("No model trained yet")
    page.get_by_label("Days of generated traffic to start from").fill("10")
    page.get_by_role("button", name="Retrain on the check results").click()
    expect(page.get_by_role("status")).to_contain_text("new model was trained")
    expect(page.locator("#model-version")).to_contain_text("traveller-risk-")
    expect(page.locator("main")).to_contain_text("1 recorded checks")

    page.goto("/travellers/flights/KE082/2026-11-21?lang=ko")
    expect(page.get_by_role("heading", level=1)).to_contain_text("도착 KE082편")
    expect(page.get_by_role("button", name="감시대상 명단 대조")).to_be_visible()
    expect(page.locator("main")).to_contain_text("모델: traveller-risk-")
    expect(page.locator("#selection tbody tr").first).to_contain_text("명단 일치")


def test_other_officers_do_not_see_travellers(page: Page, portal: Portal) -> None:
    login(page, "officer")
    expect(page.get_by_role("link", name="Travellers")).to_have_count(0)
    page.goto("/travellers")
    expect(page.locator("main")).to_contain_text("travellers:read")
