"""The declaration page shows why an FTA preference was granted or refused, with what would fix each reason,
for a claim on an electronic certificate of origin."""

from __future__ import annotations

import copy

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from clearway.identity.models import User
from clearway.origin import electronic as origin
from clearway.uow import unit_of_work
from tests.e2e.browsing import login, shot
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
