"""Cargo pages in Chromium: the officer's arrivals board, a manifest, a bill's page with its risk reasons and
storage, the undeclared list; the carrier sees its own manifests without the risk."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from clearway.cargo import custody, service
from clearway.demo.run import principal_of, seed
from clearway.uow import unit_of_work
from tests.e2e.browsing import login, shot
from tests.e2e.conftest import Portal
from tests.integration.cargo.manifests import house, manifest

pytestmark = pytest.mark.browser


def _stored_bill(portal: Portal, unique: str) -> str:
    rt = portal.runtime
    with unit_of_work(rt.sessions) as session:
        carrier = principal_of(seed(session, rt)["carrier"])
        document = manifest(
            f"E2E-{unique}",
            houses=[house(f"E2E{unique}", description="general cargo", hs6=None)],
            departure_date="2026-09-25",
            arrival_date="2026-10-01",
        )
        done = service.submit(session, carrier, document, now=rt.clock(), today=date(2026, 9, 20))
        service.report_arrival(session, carrier, done.manifest.id, on=date(2026, 10, 1), now=rt.clock())
        custody.carry_in(
            session,
            carrier,
            f"E2E{unique}",
            shed="03077001",
            area_kind="designated",
            on=date(2026, 10, 1),
            now=rt.clock(),
        )
        return done.manifest.mrn


def test_officer_follows_cargo_from_the_board_to_the_bill(page: Page, portal: Portal, unique: str) -> None:
    mrn = _stored_bill(portal, unique)
    login(page, "officer")
    page.get_by_role("link", name="Cargo").click()
    expect(page.get_by_role("heading", name="Arrivals board")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=mrn)
    expect(row).to_contain_text("arrived")
    row.get_by_role("link", name=mrn).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(mrn)
    page.get_by_role("link", name=f"{mrn}00010001").click()
    expect(page.get_by_role("heading", name="Pre-arrival risk")).to_be_visible()
    expect(page.locator("section", has=page.get_by_role("heading", name="Pre-arrival risk"))).to_contain_text(
        "does not say what the goods are"
    )
    expect(page.locator("section", has=page.get_by_role("heading", name="Bonded storage"))).to_contain_text(
        "03077001"
    )
    shot(page, "cargo-bill")
    page.goto("/cargo/undeclared")
    expect(page.get_by_role("row").filter(has_text=f"E2E{unique}")).to_contain_text("overdue")


def test_carrier_sees_its_manifest_without_risk_and_korean_words(
    open_browser,
    portal: Portal,  # type: ignore[no-untyped-def]
    unique: str,
) -> None:
    mrn = _stored_bill(portal, unique)
    page = open_browser()
    login(page, "carrier")
    page.goto("/cargo")
    expect(page.get_by_role("row").filter(has_text=mrn)).to_be_visible()
    expect(page.get_by_text("Risk (high / medium / low)")).to_have_count(0)
    page.goto(f"/cargo/bills/{mrn}00010001")
    expect(page.get_by_role("heading", name="Pre-arrival risk")).to_have_count(0)
    page.goto("/cargo/undeclared")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Undeclared cargo")
    page.goto("/cargo?lang=ko")
    expect(page.get_by_role("heading", name="입항 현황")).to_be_visible()
