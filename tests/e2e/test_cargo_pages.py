"""Cargo pages in Chromium: the officer's arrivals board, a manifest, a bill's page with its risk reasons and
storage, the undeclared list; the carrier sees its own manifests without the risk."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from clearway.cargo import custody, service
from clearway.demo.run import principal_of, seed
from clearway.uow import unit_of_work
from tests.e2e.browsing import declaration_id, login, shot
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


def test_manifest_to_carry_out_through_the_forms(open_browser, unique: str) -> None:  # type: ignore[no-untyped-def]
    """Carrier pastes a manifest, reports arrival, carries in; the trader files the matching declaration, the
    officer sees it matched, places and closes an X-ray order, releases; the carrier carries the cargo out."""
    from tests.documents import import_declaration
    from tests.e2e.test_pages import file_from_page

    bill = f"E2EF{unique}"
    carrier, trader, officer = open_browser(), open_browser(), open_browser()
    login(carrier, "carrier")
    carrier.goto("/cargo")
    carrier.get_by_label("Or paste it here").fill("{ not json")
    carrier.get_by_role("button", name="Submit manifest").click()
    expect(carrier.get_by_role("alert").first).to_contain_text("not valid JSON")
    document = manifest(
        f"E2EF-{unique}", houses=[house(bill)], departure_date="2026-11-15", arrival_date="2026-11-19"
    )
    carrier.get_by_label("Or paste it here").fill(json.dumps(document))
    carrier.get_by_role("button", name="Submit manifest").click()
    expect(carrier.get_by_role("status")).to_contain_text("Manifest submitted")
    carrier.get_by_label("Arrived on").fill("2026-11-19")
    carrier.get_by_role("button", name="Report arrival").click()
    expect(carrier.get_by_role("status")).to_contain_text("Arrival reported")
    carrier.get_by_role("link", name=re.compile(r"0001 ?0001$|00010001$")).click()
    form = carrier.get_by_role("form", name="Carry in")
    form.get_by_label("Bonded area", exact=True).fill("03077001")
    form.get_by_label("Date").fill("2026-11-19")
    form.get_by_role("button", name="Carry in").click()
    expect(carrier.get_by_role("status")).to_contain_text("Carried in")
    bill_url = carrier.url
    refused = carrier.get_by_role("form", name="Carry out")
    refused.get_by_label("Date").fill("2026-11-20")
    refused.get_by_role("button", name="Carry out").click()
    expect(carrier.get_by_role("alert").first).to_contain_text("release")

    login(trader, "trader")
    file_from_page(trader, import_declaration(f"GRN-{unique}", consignment__transport_document=bill))
    expect(trader.get_by_role("status")).to_contain_text("was filed")
    declaration = declaration_id(trader)

    login(officer, "officer")
    officer.goto(bill_url.split("?")[0])
    expect(
        officer.locator("section", has=officer.get_by_role("heading", name="Declarations naming this bill"))
    ).to_contain_text("Matches the manifest")
    hold = officer.get_by_role("form", name="Place hold or examination order")
    hold.get_by_label("Kind").select_option("xray")
    hold.get_by_label("Reason").fill("pre-arrival score")
    hold.get_by_role("button", name="Place hold or examination order").click()
    expect(officer.get_by_role("status")).to_contain_text("Hold placed")
    result = officer.get_by_role("form", name="Result")
    result.get_by_label("Result").select_option("no_irregularity")
    result.get_by_role("button", name="Record result").click()
    expect(officer.get_by_role("status")).to_contain_text("Result recorded")
    expect(officer.locator(".holds")).to_contain_text("no irregularity")
    shot(officer, "cargo-bill-forms")

    trader.goto(f"/declarations/{declaration}")
    trader.get_by_role("button", name=re.compile("^Pay ")).click()
    expect(trader.locator(".page-head .badges")).to_contain_text("Paid")
    officer.goto(f"/declarations/{declaration}")
    officer.get_by_role("button", name="Release").click()
    expect(officer.locator(".page-head .badges")).to_contain_text("Released")

    carrier.goto(bill_url.split("?")[0])
    out = carrier.get_by_role("form", name="Carry out")
    out.get_by_label("Date").fill("2026-11-21")
    out.get_by_role("button", name="Carry out").click()
    expect(carrier.locator("main")).to_contain_text("Carried out.")
    storage = carrier.locator("section", has=carrier.get_by_role("heading", name="Bonded storage"))
    expect(storage).to_contain_text("Carried out")

    carrier.goto("/cargo?lang=ko")
    expect(carrier.get_by_text("적하목록 제출").first).to_be_visible()


def test_a_declaration_held_for_its_manifest_until_the_carrier_submits_it(
    open_browser, portal: Portal, unique: str
) -> None:  # type: ignore[no-untyped-def]
    """The trader reads why the declaration is held (in Korean), the officer finds it on the cargo list with no
    acceptance offered; the carrier submits the manifest through the page and the hold is lifted."""
    from dataclasses import replace

    from clearway.cargo.step import ManifestHold
    from clearway.declaration.service import DeclarationService
    from tests.documents import import_declaration

    rt = portal.runtime
    bill = f"HLD{unique}".upper()
    # the portal's filing steps with the cargo hold check added (the portal itself is shared by other tests)
    held_filing = DeclarationService(
        steps=replace(rt.declarations.steps, hold_checks=(ManifestHold(),)),
        nomenclature=rt.declarations.nomenclature,
        clock=rt.clock,
    )
    with unit_of_work(rt.sessions) as session:
        trader_principal = principal_of(seed(session, rt)["trader"])
        filed = held_filing.file(
            session,
            trader_principal,
            import_declaration(f"GRN-HOLD-{unique}", consignment__transport_document=bill),
        )
        number = filed.declaration.id
    trader, officer, carrier = open_browser(), open_browser(), open_browser()
    login(trader, "trader")
    trader.goto(f"/declarations/{number}?lang=ko")
    holds = trader.locator("#holds")
    expect(holds).to_contain_text(f"B/L {bill}이(가) 아직 적하목록에 없습니다")
    expect(holds).to_contain_text("보류 중")
    shot(trader, "held-declaration-ko")

    login(officer, "officer")
    officer.goto("/cargo/undeclared?lang=en")
    row = officer.locator(f'tr[data-bill="{bill}"]')
    expect(row).to_contain_text("is on no manifest yet")
    row.get_by_role("link").click()
    expect(officer.locator("#holds")).to_contain_text(f"the bill B/L {bill} is on no manifest yet")
    expect(officer.get_by_role("button", name="Accept")).to_have_count(0)

    login(carrier, "carrier")
    carrier.goto("/cargo")
    document = manifest(
        f"HLD-{unique}", houses=[house(bill)], departure_date="2026-11-15", arrival_date="2026-11-19"
    )
    carrier.get_by_label("Or paste it here").fill(json.dumps(document))
    carrier.get_by_role("button", name="Submit manifest").click()
    expect(carrier.get_by_role("status")).to_contain_text("Manifest submitted")

    trader.goto(f"/declarations/{number}?lang=en")
    expect(trader.locator("#holds")).to_contain_text(
        f"a manifest now carries the bill B/L {bill}: the hold is lifted"
    )
    expect(trader.locator(".page-head")).to_contain_text("Accepted")  # the green lane's automatic acceptance
