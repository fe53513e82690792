"""Helpers for the browser tests: signing in, screenshots, reading the page's address."""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from clearway.demo.parties import USERS

PASSWORDS = {u.username: u.password for u in USERS}
SCREENSHOTS = os.environ.get("CLEARWAY_E2E_SCREENSHOTS")


def login(page: Page, username: str, password: str | None = None) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password if password is not None else PASSWORDS[username])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def shot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def declaration_id(page: Page) -> int:
    match = re.search(r"/declarations/(\d+)", page.url)
    assert match, page.url
    return int(match.group(1))


def htmx_ready(page: Page) -> None:
    """Wait until htmx (a deferred script) has set up the page, so a change event it listens to is not lost."""
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")


def htmx_settled(page: Page, delay_ms: int = 500) -> None:
    """Wait out the form's delayed triggers (the estimate follows a change after 400 ms) and every request in
    flight, as a person reading the page would, so a swap landing later does not race the next key press."""
    page.wait_for_timeout(delay_ms)
    page.wait_for_function("() => document.querySelectorAll('.htmx-request').length === 0")


def htmx_processed(page: Page, element_id: str) -> None:
    """Wait until htmx has taken over an element it just swapped in (before that, a key press on it is lost)."""
    page.wait_for_function(
        "(id) => { const e = document.getElementById(id); return !!e && e['htmx-internal-data'] !== undefined; }",
        arg=element_id,
    )
