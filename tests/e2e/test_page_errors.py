"""The page handlers' edges, through the ASGI app (no browser): sign-in, CSRF, access, and readable errors."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from clearway.declaration.lifecycle import Lane
from clearway.declaration.models import Declaration, Payment
from clearway.declaration.steps import FilingSteps
from clearway.web.deps import SESSION_COOKIE
from tests.documents import import_declaration
from tests.e2e.browsing import PASSWORDS
from tests.steps import FixedLane

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def lanes() -> FixedLane:
    return FixedLane()


@pytest.fixture
def steps(lanes: FixedLane) -> FilingSteps:
    return FilingSteps(lane_selector=lanes)  # the placeholder assessment: no duty assessed


def sign_in(client: TestClient, username: str) -> str:
    """Sign in through the login form; returns the session's CSRF token."""
    nonce = CSRF.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
    r = client.post(
        "/login",
        data={"username": username, "password": PASSWORDS[username], "csrf_token": nonce},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return CSRF.search(client.get("/declarations").text).group(1)  # type: ignore[union-attr]


def browser_for(client: TestClient) -> TestClient:
    """A second browser (its own cookies) on the same application."""
    return TestClient(client.app, raise_server_exceptions=False)


def file(client: TestClient, csrf: str, reference: str) -> int:
    r = client.post(
        "/declarations/new",
        data={"csrf_token": csrf, "document": json.dumps(import_declaration(reference))},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return int(re.search(r"/declarations/(\d+)", r.headers["location"]).group(1))  # type: ignore[union-attr]


def is_page(response) -> bool:  # type: ignore[no-untyped-def]
    return response.headers["content-type"].startswith("text/html") and "<html" in response.text


def count(runtime, model) -> int:  # type: ignore[no-untyped-def]
    with runtime.sessions() as session:
        return session.scalar(select(func.count(model.id))) or 0


def test_pages_send_a_visitor_without_a_session_to_the_login_form(client):
    for path, login in (
        ("/declarations", "/login?next=%2Fdeclarations"),
        ("/queue", "/login?next=%2Fqueue"),
        ("/declarations/new?example=1", "/login?next=%2Fdeclarations%2Fnew%3Fexample%3D1"),
        ("/", "/login"),
    ):
        r = client.get(path, follow_redirects=False)
        assert (r.status_code, r.headers["location"]) == (303, login), path
    r = client.post("/declarations/new", data={"document": "{}"}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/login")
    page = client.get("/declarations")
    assert page.status_code == 200 and "Please sign in to continue." in page.text


def test_login_issues_a_strict_httponly_session_and_logout_revokes_it(client):
    nonce = CSRF.search(client.get("/login").text).group(1)
    r = client.post(
        "/login",
        data={"username": "trader", "password": PASSWORDS["trader"], "csrf_token": nonce},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/declarations"
    cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    token = client.cookies[SESSION_COOKIE]
    csrf = CSRF.search(client.get("/declarations").text).group(1)
    out = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login?bye=1"
    stale = browser_for(client)
    stale.cookies.set(SESSION_COOKIE, token)
    again = stale.get("/declarations", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"].startswith("/login")
    assert f'{SESSION_COOKIE}=""' in again.headers.get("set-cookie", "")  # the dead cookie is cleared


def test_a_wrong_password_is_a_readable_page(client):
    nonce = CSRF.search(client.get("/login").text).group(1)
    r = client.post("/login", data={"username": "trader", "password": "not-it", "csrf_token": nonce})
    assert r.status_code == 401 and is_page(r)
    assert "Wrong username or password." in r.text and SESSION_COOKIE not in r.cookies
    r = client.post("/login", data={"username": "nobody", "password": "x" * 500, "csrf_token": nonce})
    assert r.status_code == 401 and "Wrong username or password." in r.text


def test_the_login_form_needs_its_own_csrf_token(client):
    client.get("/login")
    r = client.post("/login", data={"username": "trader", "password": PASSWORDS["trader"]})
    assert r.status_code == 403 and is_page(r) and "This form has expired" in r.text
    r = client.post(
        "/login", data={"username": "trader", "password": PASSWORDS["trader"], "csrf_token": "forged"}
    )
    assert r.status_code == 403 and SESSION_COOKIE not in client.cookies


def test_a_form_post_without_this_sessions_csrf_token_is_refused(client, runtime):
    csrf = sign_in(client, "trader")
    other_csrf = sign_in(browser_for(client), "trader")  # the same user's other session
    document = json.dumps(import_declaration("CSRF-1"))
    for data in (
        {"document": document},
        {"document": document, "csrf_token": "0" * 64},
        {"document": document, "csrf_token": other_csrf},
    ):
        r = client.post("/declarations/new", data=data)
        assert r.status_code == 403 and is_page(r)
        assert "This form has expired" in r.text and "Reload the page" in r.text
    assert count(runtime, Declaration) == 0
    r = client.post(
        "/declarations/new",
        data={"document": document},
        headers={"X-CSRF-Token": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303  # HTMX may send the token as a header instead


def test_another_companys_declaration_is_a_not_found_page(client, runtime):
    mine = file(client, sign_in(client, "trader"), "OWN-1")
    other = browser_for(client)
    other_csrf = sign_in(other, "trader2")
    r = other.get(f"/declarations/{mine}")
    assert r.status_code == 404 and is_page(r) and '<h1 id="error-title">Not found</h1>' in r.text
    assert "OWN-1" not in r.text
    r = other.post(
        f"/declarations/{mine}/pay",
        data={"csrf_token": other_csrf, "amount_krw": "0", "method": "bank_transfer", "reference": "x"},
    )
    assert r.status_code == 404 and is_page(r)
    assert count(runtime, Payment) == 0


def test_service_errors_are_shown_next_to_the_form_with_their_fields(client, lanes):
    lanes.lane = Lane.YELLOW
    trader_csrf = sign_in(client, "trader")
    d = file(client, trader_csrf, "ERR-1")
    officer = browser_for(client)
    officer_csrf = sign_in(officer, "officer")

    r = officer.post(f"/declarations/{d}/decision", data={"csrf_token": officer_csrf, "decision": "reject"})
    assert r.status_code == 422 and is_page(r)
    assert "/reason" in r.text and "an internal reason is required to reject" in r.text
    assert "/message" in r.text and "tell the filer" in r.text  # the filer's message is its own field
    assert r.text.count('aria-invalid="true"') == 2
    r = officer.post(
        f"/declarations/{d}/decision",
        data={
            "csrf_token": officer_csrf,
            "decision": "inspection_result",
            "finding": "irregularity",
            "additional_duty_krw": "12.5",
        },
    )
    assert r.status_code == 422 and "/finding/additional_duty_krw" in r.text and "whole won" in r.text
    r = officer.post(
        f"/declarations/{d}/decision",
        data={"csrf_token": officer_csrf, "decision": "accept"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/declarations/{d}?notice=accept"
    r = officer.post(f"/declarations/{d}/decision", data={"csrf_token": officer_csrf, "decision": "accept"})
    assert r.status_code == 409 and is_page(r)
    assert "not allowed in the declaration&#39;s current status" in r.text

    # Typed amounts and references are gone: the order is paid at the bank simulator, once.
    r = client.post(
        f"/declarations/{d}/pay",
        data={"csrf_token": trader_csrf, "amount_krw": "1,000", "reference": "P-1"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/declarations/{d}?notice=pay"
    r = client.post(f"/declarations/{d}/pay", data={"csrf_token": trader_csrf})
    assert r.status_code == 409 and is_page(r) and "is paid" in r.text
    r = client.post(f"/declarations/{d}/cancel", data={"csrf_token": trader_csrf, "reason": "no"})
    assert r.status_code == 422 and "/reason" in r.text


def test_bad_addresses_are_readable_pages(client):
    csrf = sign_in(client, "trader")
    d = file(client, csrf, "ADDR-1")
    for path, status, text in (
        ("/declarations/abc", 422, "/path/declaration_id"),
        ("/declarations/999999", 404, "Not found"),
        ("/declarations?status=flying", 422, "/query/status"),
        ("/declarations?page=0", 422, "/query/page"),
        (f"/declarations/{d}?version=9", 404, "has no version 9"),
    ):
        r = client.get(path)
        assert r.status_code == status and is_page(r) and text in r.text, path
    r = client.get(f"/declarations/{d}/pay", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/declarations/{d}"


def test_each_role_sees_only_its_own_pages(client):
    sign_in(client, "trader")
    r = client.get("/queue")
    assert r.status_code == 403 and is_page(r) and "for customs officers" in r.text
    officer = browser_for(client)
    sign_in(officer, "officer")
    r = officer.get("/declarations/new")
    assert r.status_code == 403 and "declarations:write" in r.text
    assert officer.get("/", follow_redirects=False).headers["location"] == "/queue"


def test_placeholder_figures_are_labelled_and_numbers_grouped(client, lanes):
    d = file(client, sign_in(client, "trader"), "PH-1")
    page = client.get(f"/declarations/{d}").text
    assert "Placeholder — these figures do not come from the tariff engine." in page
    assert "no duty assessed" in page
    assert "85,000.00 USD" in page  # the invoice amount, grouped


def test_pages_carry_security_headers_and_never_redirect_off_site(client):
    r = client.get("/login")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY" and r.headers["cache-control"] == "no-store"
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "/declarations/new"):
        visitor = browser_for(client)
        nonce = CSRF.search(visitor.get("/login").text).group(1)  # type: ignore[union-attr]
        r = visitor.post(
            "/login",
            data={"username": "trader", "password": PASSWORDS["trader"], "csrf_token": nonce, "next": target},
            follow_redirects=False,
        )
        expected = target if target == "/declarations/new" else "/declarations"
        assert r.status_code == 303 and r.headers["location"] == expected, target


def test_the_language_follows_the_choice_then_the_browser(client):
    assert '<html lang="ko">' in client.get("/login", headers={"Accept-Language": "ko-KR,ko;q=0.9"}).text
    r = client.get("/login?lang=ko")
    assert "로그인" in r.text and r.cookies.get("clearway_lang") == "ko"
    assert '<html lang="ko">' in client.get("/login", headers={"Accept-Language": "en"}).text  # remembered
    assert '<html lang="en">' in client.get("/login?lang=en").text


def test_an_amendment_files_a_new_version_and_keeps_the_old(client):
    csrf = sign_in(client, "trader")
    d = file(client, csrf, "AM-1")
    form = client.get(f"/declarations/{d}/amend")
    assert form.status_code == 200 and "&#34;declarant_reference&#34;: &#34;AM-1&#34;" in form.text
    assert 'name="base_version" value="1"' in form.text  # the version the form corrects
    base = {"csrf_token": csrf, "base_version": "1"}
    corrected = json.dumps(import_declaration("AM-1", items__0__quantity="120"))
    r = client.post(f"/declarations/{d}/amend", data={**base, "reason": "", "document": corrected})
    assert r.status_code == 422 and "/reason" in r.text and "120" in r.text  # the edit is kept
    r = client.post(
        f"/declarations/{d}/amend",
        data={**base, "reason": "oops", "document": json.dumps(import_declaration("OTHER"))},
    )
    assert r.status_code == 422 and "/declarant_reference" in r.text and "must_not_change" in r.text
    r = client.post(
        f"/declarations/{d}/amend",
        data={**base, "reason": "quantity corrected", "document": corrected},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/declarations/{d}?notice=amended"
    page = client.get(r.headers["location"]).text
    assert "this is the new version" in page and "quantity corrected" in page and "120 U" in page
    old = client.get(f"/declarations/{d}?version=1").text
    assert "You are looking at version 1; the current version is 2." in old and "100 U" in old
    assert 'id="act-h"' not in old  # no forms on a past version
    stale = client.post(
        f"/declarations/{d}/amend", data={**base, "reason": "another fix", "document": corrected}
    )
    assert stale.status_code == 409  # amended from version 1, which is no longer current


def test_browsers_get_error_pages_and_api_clients_get_problems(client):
    page = client.get("/no/such/page", headers={"accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    api = client.get("/api/v1/no/such", headers={"accept": "text/html"})
    assert api.status_code == 404 and api.headers["content-type"].startswith("application/problem+json")
    wrong_method = client.delete("/login", headers={"accept": "text/html"})
    assert wrong_method.status_code == 405 and wrong_method.headers["content-type"].startswith("text/html")
    huge = client.post(
        "/login",
        content=b"x" * (9 * 1024 * 1024),
        headers={"accept": "text/html", "content-type": "application/x-www-form-urlencoded"},
    )
    assert huge.status_code == 413 and huge.headers["content-type"].startswith("text/html")
