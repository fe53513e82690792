"""Direct-purchase parcels in Chromium: a carrier submits a mixed list and reads every parcel's outcome;
customs sees the parcels and the statistics, in English and Korean."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from clearway.audit.service import Actor
from clearway.parcel import code_service
from clearway.parcel.notify import LocalNotifier, deliver_pending
from clearway.parcel.protection import cipher_for
from clearway.uow import unit_of_work
from tests.e2e.browsing import login, shot
from tests.e2e.conftest import Portal

pytestmark = pytest.mark.browser


def _code(portal: Portal, unique: str) -> str:
    runtime = portal.runtime
    with unit_of_work(runtime.sessions) as session:
        _, code = code_service.issue(
            session,
            cipher_for(runtime.settings.personal_data_key),
            person_id=f"E2E-{unique}",
            name="김민수",
            phone="010-1234-5678",
            actor=Actor("e2e"),
            now=runtime.clock(),
        )
    return code


def _parcel(house_bill: str, code: str, price: str, arrival: str = "2026-11-20") -> dict[str, object]:
    return {
        "house_bill": house_bill,
        "buyer_name": "김민수",
        "personal_code": code,
        "buyer_phone": "01012345678",
        "address": "서울",
        "arrival_date": arrival,
        "dispatch_country": "US",
        "items": [
            {
                "description": "cotton t-shirt",
                "quantity": "1",
                "unit_price": price,
                "currency": "USD",
                "hs_code": "6109101000",
            }
        ],
    }


def test_a_carrier_submits_a_list_and_customs_sees_it(
    page: Page,
    open_browser,
    portal: Portal,  # type: ignore[no-untyped-def]
    unique: str,
) -> None:
    code = _code(portal, unique)
    document = {
        "reference": f"E2E-{unique}",
        "carrier_kind": "express",
        "parcels": [
            _parcel(f"E{unique}1", code, "120"),
            _parcel(f"E{unique}2", code, "600", "2026-11-21"),
            _parcel(f"E{unique}3", code[:-1] + str((int(code[-1]) + 1) % 10), "10"),
        ],
    }
    login(page, "trader")
    page.get_by_role("link", name="Parcels").click()
    expect(page.get_by_role("heading", name="Direct-purchase parcels")).to_be_visible()
    page.get_by_label("Parcel list (JSON)").fill(json.dumps(document))
    page.get_by_role("button", name="Submit the list").click()
    expect(page.get_by_role("status")).to_contain_text("2 accepted, 1 to fix")
    result = page.locator("#list-result")
    expect(result.locator("tr", has_text=f"E{unique}1")).to_contain_text("List clearance")
    expect(result.locator("tr", has_text=f"E{unique}2")).to_contain_text("Simplified declaration")
    expect(result.locator("tr", has_text=f"E{unique}3")).to_contain_text("code_invalid")
    mine = page.locator("#parcels")
    expect(mine).to_contain_text(f"E{unique}2")
    expect(mine).not_to_contain_text(code)  # the code is masked
    shot(page, "parcels-carrier")

    page.get_by_label("Parcel list (JSON)").fill("{not json")
    page.get_by_role("button", name="Submit the list").click()
    expect(page.get_by_role("alert")).to_contain_text("not valid JSON")

    officer = open_browser()
    login(officer, "officer")
    officer.get_by_role("link", name="Parcels").click()
    expect(officer.get_by_role("heading", name="Statistics")).to_be_visible()
    officer.get_by_label("Route").select_option("simplified")
    officer.get_by_role("button", name="Apply").click()
    expect(officer.locator("#parcels")).to_contain_text(f"E{unique}2")
    expect(officer.locator("#parcels")).not_to_contain_text(f"E{unique}1")
    officer.get_by_role("link", name="한국어").click()
    expect(officer.get_by_role("heading", name="해외직구 특송·우편물품")).to_be_visible()
    expect(officer.locator("#parcels")).to_contain_text("간이신고 완료")  # filed with its duty
    expect(officer.get_by_text("수정할 항목")).to_have_count(0)  # no submission form for customs
    shot(officer, "parcels-officer-ko")


def _number(portal: Portal, phone: str) -> str:
    """The one-time number as the buyer's phone receives it (the local delivery adapter)."""
    notifier = LocalNotifier()
    runtime = portal.runtime
    with unit_of_work(runtime.sessions) as session:
        deliver_pending(
            session, cipher_for(runtime.settings.personal_data_key), notifier, now=runtime.clock()
        )
    texts = [n.text for n in notifier.inbox(phone) if n.event == "sign_in_number"]
    return re.findall(r"\b\d{6}\b", texts[-1])[0]


def test_officers_work_the_queue_and_the_buyer_reports_a_parcel(
    page: Page,
    open_browser,
    portal: Portal,  # type: ignore[no-untyped-def]
    unique: str,
) -> None:
    code = _code(portal, unique)
    split_a, split_b = _parcel(f"Q{unique}1", code, "90"), _parcel(f"Q{unique}2", code, "95", "2026-11-21")
    for p in (split_a, split_b):
        p["dispatch_country"], p["shop"] = "CN", f"shop-{unique}"
    document = {
        "reference": f"Q-{unique}",
        "carrier_kind": "express",
        "parcels": [split_a, split_b, _parcel(f"Q{unique}3", code, "700", "2026-11-24")],
    }
    login(page, "trader")
    page.goto("/parcels")
    page.get_by_label("Parcel list (JSON)").fill(json.dumps(document))
    page.get_by_role("button", name="Submit the list").click()
    result = page.locator("#list-result")
    expect(result.locator("tr", has_text=f"Q{unique}1")).to_contain_text("X-ray")
    expect(result.locator("tr", has_text=f"Q{unique}1")).to_contain_text("Split shipment?")

    officer = open_browser()
    login(officer, "officer")
    officer.goto("/parcels")
    queue = officer.locator("#inspection-queue")
    expect(queue.locator("tr", has_text=f"Q{unique}1")).to_contain_text("Split shipment?")
    officer.get_by_label(f"Result Q{unique}1").select_option("clear")
    officer.get_by_label(f"Officer's note Q{unique}1").fill("t-shirts as declared")
    officer.get_by_role("button", name=f"Record Q{unique}1").click()
    expect(officer.get_by_role("status")).to_contain_text(f"Q{unique}1: recorded, now Cleared by list")
    expect(officer.locator("#inspection-queue")).not_to_contain_text(f"Q{unique}1")
    expect(officer.locator("#stats-category")).to_contain_text("HS 61")
    officer.get_by_role("link", name="한국어").click()
    expect(officer.get_by_role("heading", name="X-ray·개장검사 대기열")).to_be_visible()
    shot(officer, "parcels-queue-ko")

    buyer = open_browser()
    buyer.goto("/")
    buyer.get_by_role("link", name="Buyer lookup").click()
    expect(buyer.get_by_role("heading", name="My direct-purchase parcels")).to_be_visible()
    buyer.get_by_label("Personal customs code").fill(code)
    buyer.get_by_label("Name").fill("김민수")
    buyer.get_by_label("Mobile phone").fill("010-1234-0000")
    buyer.get_by_role("button", name="Send me a number").click()
    expect(buyer.get_by_role("alert")).to_contain_text("do not match")
    buyer.get_by_label("Personal customs code").fill(code)  # nothing typed is echoed back
    buyer.get_by_label("Name").fill("김민수")
    buyer.get_by_label("Mobile phone").fill("010-1234-5678")
    buyer.get_by_role("button", name="Send me a number").click()
    expect(buyer.get_by_role("status")).to_contain_text("A 6-digit number was sent to 010-")
    buyer.get_by_label("Number", exact=True).fill(_number(portal, "010-1234-5678"))
    buyer.get_by_role("button", name="Confirm").click()
    mine = buyer.locator("#my-parcels")
    expect(mine.locator("tr", has_text=f"Q{unique}1")).to_contain_text("Cleared by list")
    expect(mine.locator("tr", has_text=f"Q{unique}3")).to_contain_text("Simplified declaration filed")
    expect(mine.locator("tr", has_text=f"Q{unique}3")).to_contain_text("KRW")
    expect(mine).not_to_contain_text(code)
    expect(buyer.locator("#my-notes")).to_contain_text("A parcel was cleared under your code")
    buyer.get_by_role("button", name=f"Not mine Q{unique}2").click()
    expect(buyer.get_by_role("status")).to_contain_text(f"Parcel Q{unique}2 reported: your code is suspended")
    expect(buyer.locator("#code-status")).to_have_text("Suspended")
    buyer.get_by_role("link", name="한국어").click()
    expect(buyer.get_by_role("heading", name="내 해외직구 물품")).to_be_visible()
    shot(buyer, "parcels-buyer-ko")
