"""Who is looking at a page, and whether a form really came from our own page.

* The web session is an identity token of kind ``session`` in an HttpOnly, SameSite=Strict cookie
  (:data:`clearway.web.deps.SESSION_COOKIE`); pages read only that cookie.
* Every form POST carries a CSRF token bound to the session: HMAC-SHA256 of the session token under the
  deployment's ``secret_key``. It is checked before anything else happens. Before login there is no session, so
  the login form uses a double-submit cookie instead (a random value in a cookie and in the form).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from clearway.errors import Forbidden, Unauthenticated
from clearway.identity.core import Principal
from clearway.identity.models import Company, User
from clearway.identity.service import principal_for_token
from clearway.web.deps import SESSION_COOKIE, RuntimeDep, SessionDep

LOGIN_CSRF_COOKIE = "clearway_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class LoginRequired(Exception):
    """No valid web session: the page sends the browser to the login form."""

    def __init__(self, *, clear_cookie: bool = False) -> None:
        super().__init__("login required")
        self.clear_cookie = clear_cookie


class CsrfRejected(Forbidden):
    type = "csrf"
    title = "This form has expired"


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or None


def csrf_for(secret_key: str, token: str) -> str:
    return hmac.new(secret_key.encode("utf-8"), b"csrf:" + token.encode("utf-8"), hashlib.sha256).hexdigest()


def new_login_nonce() -> str:
    return secrets.token_urlsafe(32)


def same(given: object, expected: str) -> bool:
    return isinstance(given, str) and bool(given) and hmac.compare_digest(given.encode(), expected.encode())


def page_principal(request: Request, session: SessionDep, runtime: RuntimeDep) -> Principal:
    """The signed-in user, from the session cookie; otherwise :class:`LoginRequired`."""
    token = session_token(request)
    if token is None:
        raise LoginRequired()
    try:
        principal = principal_for_token(session, token, now=runtime.clock())
    except Unauthenticated:
        raise LoginRequired(clear_cookie=True) from None
    user = session.get(User, principal.user_id)
    company = session.get(Company, principal.company_id) if principal.company_id is not None else None
    request.state.principal = principal
    request.state.display_name = user.display_name if user else principal.username
    request.state.company_name = company.name if company else None
    return principal


async def csrf_form(request: Request) -> FormData:
    """The posted form, once its CSRF token matches this session's (403 page otherwise)."""
    token = session_token(request)
    if token is None:
        raise LoginRequired()
    settings = request.app.state.runtime.settings
    form = await request.form(max_part_size=settings.max_body_bytes)
    given = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    if not same(given, csrf_for(settings.secret_key, token)):
        raise CsrfRejected("the form's security token is missing or does not belong to this session")
    return form


async def login_form(request: Request) -> FormData:
    """The posted login form, once its double-submit token matches the cookie set with the form."""
    form = await request.form()
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not cookie or not same(form.get(CSRF_FIELD), cookie):
        raise CsrfRejected("the login form's security token is missing or does not match")
    return form


PagePrincipal = Annotated[Principal, Depends(page_principal)]
CsrfForm = Annotated[FormData, Depends(csrf_form)]
LoginForm = Annotated[FormData, Depends(login_form)]
