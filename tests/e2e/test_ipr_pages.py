"""IPR in the browser: an officer holds a fake, the right holder confirms on its portal, the officer seizes;
the genuine parallel import is not suspected. Recording and filing go through the HTTP API."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from clearway.identity import service as identity
from clearway.identity.core import Role
from clearway.uow import unit_of_work
from tests.e2e.browsing import login, shot
from tests.integration.ipr.test_ipr_api import NIKE, shoes

pytestmark = pytest.mark.browser
PASSWORD = "holder-demo-2026"


def _tokens(portal: Any, holder: str) -> dict[str, str]:
    now = datetime.now(UTC)
    with unit_of_work(portal.runtime.sessions) as session:
        company = identity.create_company(
            session, name=f"Brand owner {holder}", kind="trader", brn=None, now=now
        )
        identity.create_user(
            session,
            username=holder,
            password=PASSWORD,
            role=Role.RIGHT_HOLDER,
            company_id=company.id,
            now=now,
        )
        return {
            name: identity.issue_token(
                session, user=identity.user_by_username(session, name), now=now, name="e2e"
            )
            for name in (holder, "officer", "trader")
        }


def test_record_approve_hold_confirm_and_seize(portal: Any, open_browser: Any, unique: str) -> None:
    holder = f"brand{unique.lower()}"
    tokens = _tokens(portal, holder)
    api = httpx.Client(base_url=f"{portal.base_url}/api/v1", timeout=30)

    def as_(name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[name]}"}

    recording = api.post(
        "/ipr/recordings", json={**NIKE, "registration_number": f"40-{unique}"}, headers=as_(holder)
    )
    assert recording.status_code == 201, recording.text
    approved = api.post(
        f"/ipr/recordings/{recording.json()['id']}/review", json={"approve": True}, headers=as_("officer")
    )
    assert approved.json()["status"] == "approved"
    fake = api.post(
        "/declarations",
        json=shoes(f"IPR-{unique}", "NIKEE running shoes", unit_usd="6"),
        headers=as_("trader"),
    ).json()
    genuine = api.post(
        "/declarations",
        json=shoes(f"PAR-{unique}", "Nike Air Zoom", unit_usd="90", origin="VN"),
        headers=as_("trader"),
    ).json()
    parallel = api.post("/ipr/screen", json={"declaration_id": genuine["id"]}, headers=as_("officer")).json()
    assert parallel["suspicions"] and not any(s["suspected"] for s in parallel["suspicions"])

    officer = open_browser()
    login(officer, "officer")
    officer.get_by_role("link", name="IPR holds").click()
    officer.get_by_label("Declaration id").fill(str(fake["id"]))
    officer.get_by_label("Line number").fill("1")
    officer.get_by_label("Recording id").fill(str(recording.json()["id"]))
    officer.get_by_label("Reason (officers only)").fill("6 USD a pair, not a genuine origin")
    officer.get_by_role("button", name="Hold the goods").click()
    expect(officer.get_by_role("status")).to_contain_text("the right holder and the importer were notified")
    expect(officer.locator("#hold-status")).to_have_text("Awaiting the right holder")
    expect(officer.locator("#answer-due")).to_contain_text("2026-12-04")
    expect(officer.locator(".advice")).to_contain_text("genuine minimum")
    hold_url = re.sub(r"\?.*$", "", officer.url)
    shot(officer, "ipr-hold-officer")

    brand = open_browser()
    login(brand, holder, PASSWORD)
    brand.get_by_role("link", name="IPR holds").click()
    row = brand.locator("tbody tr", has_text="NIKEE running shoes")
    expect(row).to_contain_text("Awaiting the right holder")
    row.get_by_role("link").click()
    expect(brand.locator(".advice")).to_have_count(0)  # screening signals stay with customs
    expect(brand.get_by_text("6 USD a pair")).to_have_count(0)
    brand.get_by_label("Answer", exact=True).select_option("confirm")
    brand.get_by_label("Security (KRW)").fill("100")
    brand.get_by_role("button", name="Send the answer").click()
    expect(brand.locator("main")).to_contain_text("120% of the customs value")  # a readable error page
    brand.goto(hold_url)
    brand.get_by_label("Answer", exact=True).select_option("confirm")
    brand.get_by_label("Security (KRW)").fill("999999999")
    brand.get_by_label("Note").fill("no QR size label")
    brand.get_by_role("button", name="Send the answer").click()
    expect(brand.locator("#hold-status")).to_have_text("Confirmed as counterfeit")
    shot(brand, "ipr-hold-right-holder")

    officer.goto(hold_url)
    officer.get_by_label("Decision", exact=True).select_option("seize")
    officer.get_by_label("Grounds").fill("counterfeit confirmed by the right holder")
    officer.get_by_role("button", name="Record the decision").click()
    expect(officer.locator("#hold-status")).to_have_text("Seized")
    officer.goto(f"{hold_url}?lang=ko")
    expect(officer.locator("#hold-status")).to_have_text("압수")
