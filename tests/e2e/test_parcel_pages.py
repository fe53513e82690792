"""Direct-purchase parcels in Chromium: a carrier submits a mixed list and reads every parcel's outcome;
customs sees the parcels and the statistics, in English and Korean."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from clearway.audit.service import Actor
from clearway.parcel import code_service
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
    expect(officer.locator("#parcels")).to_contain_text("간이신고 대기")
    expect(officer.get_by_text("수정할 항목")).to_have_count(0)  # no submission form for customs
    shot(officer, "parcels-officer-ko")
