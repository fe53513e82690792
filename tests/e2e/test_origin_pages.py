"""The declaration page shows why an FTA preference was granted or refused, with what would fix each reason,
for a claim on an electronic certificate of origin."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from clearway.identity.models import User
from clearway.origin import electronic as origin
from clearway.uow import unit_of_work
from tests.e2e.browsing import declaration_id, htmx_processed, htmx_ready, login, shot
from tests.e2e.conftest import Portal
from tests.e2e.test_pages import file_from_page
from tests.integration.origin.test_electronic_certificates import ECO, ovens

pytestmark = pytest.mark.browser


def register_for_trader(portal: Portal, number: str) -> None:
    document = copy.deepcopy(ECO)
    document["certificate_number"] = number
    with unit_of_work(portal.runtime.sessions) as session:
        row = origin.register_electronic(session, document, principal=None, now=portal.runtime.clock())
        row.company_id = session.scalar(select(User.company_id).where(User.username == "trader"))


def test_the_declaration_page_shows_the_preference_and_why_it_was_refused(
    page: Page, portal: Portal, unique: str
) -> None:
    number = f"K26{unique}"
    register_for_trader(portal, number)
    login(page, "trader")

    def claim(reference: str, quantity: str) -> dict:  # type: ignore[type-arg]
        document = ovens(reference, quantity)
        document["items"][0]["preference"]["certificate_reference"] = number
        document["documents"][1]["reference"] = number
        return document

    file_from_page(page, claim(f"ECO-{unique}", "300"))
    expect(page.get_by_role("status")).to_contain_text("was filed")
    granted = page.get_by_test_id("preference-1")
    expect(granted).to_contain_text("KR-CN")
    expect(granted).to_contain_text("granted: the certificate of origin checks out")
    expect(granted).to_contain_text("FCN1")

    # 300 of 500 are used: a second shipment of 300 is refused, with the quantity left and what to do
    page.goto("/declarations")
    file_from_page(page, claim(f"ECO2-{unique}", "300"))
    expect(page.get_by_role("status")).to_contain_text("was filed")
    refused = page.get_by_test_id("preference-1")
    expect(refused).to_contain_text("refused: the certificate of origin does not support the claim")
    reasons = refused.locator(".preference-reasons li")
    expect(reasons).to_have_count(1)
    expect(reasons.first).to_contain_text("300 U already used by other declarations: 200 U left")
    expect(reasons.first).to_contain_text("To fix: claim the preference for at most 200 U")
    shot(page, "preference-refused")


def test_an_e_co_registered_on_the_page_is_claimed_then_verified_with_the_exporting_authority(
    page: Page, open_browser: Callable[..., Page], unique: str
) -> None:
    number = f"K27{unique}"
    document = copy.deepcopy(ECO)
    document["certificate_number"] = number
    login(page, "trader")
    page.get_by_role("link", name="Certificates of origin").click()
    page.get_by_role("link", name="Register a certificate").click()
    page.get_by_label("e-CO data (JSON)").fill(json.dumps(document, indent=2))
    page.get_by_role("button", name="Register the e-CO").click()
    expect(page.get_by_role("status")).to_contain_text("The certificate was registered.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    expect(page.get_by_test_id("left-1")).to_have_text("500 U")

    claim = ovens(f"ECO3-{unique}", "120")
    claim["items"][0]["preference"]["certificate_reference"] = number
    claim["documents"][1]["reference"] = number
    file_from_page(page, claim)
    expect(page.get_by_role("status")).to_contain_text("was filed")
    expect(page.get_by_test_id("preference-1")).to_contain_text("granted")
    filed = declaration_id(page)
    page.get_by_test_id("certificate-link-1").click()
    expect(page.get_by_test_id("left-1")).to_have_text("380 U")
    expect(page.locator("#certificate-uses")).to_contain_text(f"ECO3-{unique}")

    officer = open_browser()
    login(officer, "officer")
    officer.goto(f"/declarations/{filed}")
    htmx_ready(officer)
    officer.get_by_role("link", name="Request verification from the exporting authority").click()
    officer.get_by_label("Reason for doubt").fill("the exporter's output does not match its shipments")
    officer.get_by_label("Questions to the authority").fill("Were the ovens made from originating parts?")
    officer.get_by_role("button", name="Open the case").click()
    expect(officer.get_by_role("status")).to_contain_text("The verification case was opened.")
    expect(officer.locator("#case-line")).to_contain_text("Microwave ovens")
    htmx_processed(officer, "send-form")
    officer.get_by_label("Reference of the request sent").fill(f"KCS-{unique}")
    officer.get_by_role("button", name="Record as sent").click()
    expect(officer.locator("#case-status")).to_have_text("Sent to the authority")
    htmx_processed(officer, "answer-form")
    officer.get_by_label("Denied").check()
    officer.get_by_label("What the authority answered").fill("not issued for these goods")
    officer.get_by_role("button", name="Record the answer").click()
    expect(officer.locator("#case-status")).to_have_text("Answered")
    outcome = officer.locator("#case-outcome")
    expect(outcome).to_contain_text("the certificate is withdrawn and the duty re-assessed")
    expect(outcome).to_contain_text("re-assessed as version 2")
    shot(officer, "origin-case-denied")

    # the trader's declaration now shows the refusal; the certificate is withdrawn
    page.goto(f"/declarations/{filed}")
    expect(page.get_by_test_id("preference-1")).to_contain_text("refused")
    page.get_by_test_id("certificate-link-1").click()
    expect(page.locator("#certificate-status")).to_have_text("Withdrawn")
