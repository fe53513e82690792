"""Signing in and out of the web portal, and the start page."""

from __future__ import annotations

import contextlib

from fastapi import APIRouter, Request, Response

from clearway.errors import NotFound, Unauthenticated
from clearway.identity import service as identity
from clearway.identity.api import request_client
from clearway.identity.core import Principal, Role
from clearway.identity.service import SESSION_TTL
from clearway.identity.throttle import TooManyAttempts
from clearway.web.deps import SESSION_COOKIE, RuntimeDep, SessionDep
from clearway.web.pages.guard import PageRoute
from clearway.web.pages.render import local_path, redirect, render
from clearway.web.pages.security import (
    LOGIN_CSRF_COOKIE,
    CsrfForm,
    LoginForm,
    LoginRequired,
    PagePrincipal,
    new_login_nonce,
    page_principal,
    session_token,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)

MAX_USERNAME = 80
MAX_PASSWORD = 200


def home_for(principal: Principal) -> str:
    return "/queue" if principal.role is Role.OFFICER else "/declarations"


@router.get("/")
def start(principal: PagePrincipal, request: Request) -> Response:
    return redirect(request, home_for(principal))


def _login_page(
    request: Request,
    *,
    nonce: str,
    next_path: str,
    message: str | None,
    error: str | None,
    username: str = "",
    status: int = 200,
) -> Response:
    response = render(
        request,
        "login.html",
        {"nonce": nonce, "next": next_path, "message": message, "error": error, "username": username},
        status=status,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        nonce,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/login",
    )
    return response


@router.get("/login")
def login_page(
    request: Request, session: SessionDep, runtime: RuntimeDep, next: str | None = None, bye: bool = False
) -> Response:
    if session_token(request):
        try:
            principal = page_principal(request, session, runtime)
        except LoginRequired:
            pass
        else:
            return redirect(request, local_path(next, home_for(principal)))
    nonce = request.cookies.get(LOGIN_CSRF_COOKIE) or new_login_nonce()
    message = "logout.done" if bye else ("login.expired" if next else None)
    return _login_page(request, nonce=nonce, next_path=local_path(next, ""), message=message, error=None)


@router.post("/login")
def login(request: Request, form: LoginForm, session: SessionDep, runtime: RuntimeDep) -> Response:
    username = str(form.get("username") or "").strip()
    password = str(form.get("password") or "")
    next_path = local_path(str(form.get("next") or ""), "")
    nonce = request.cookies.get(LOGIN_CSRF_COOKIE) or new_login_nonce()
    if not username or not password:
        return _login_page(
            request,
            nonce=nonce,
            next_path=next_path,
            message=None,
            error="login.missing",
            username=username,
            status=422,
        )
    client = request_client(request, runtime)
    try:
        if len(username) > MAX_USERNAME or len(password) > MAX_PASSWORD:
            raise Unauthenticated("wrong username or password")
        user = identity.sign_in(
            session, runtime.logins, username=username, password=password, client=client, now=runtime.clock()
        )
    except (TooManyAttempts, Unauthenticated) as exc:
        identity.audit_failure(
            session, username=username[:MAX_USERNAME], client=client, error=exc, now=runtime.clock()
        )
        paused = isinstance(exc, TooManyAttempts)
        return _login_page(
            request,
            nonce=nonce,
            next_path=next_path,
            message=None,
            error="login.paused" if paused else "login.failed",
            username=username[:MAX_USERNAME],
            status=429 if paused else 401,
        )
    now = runtime.clock()
    previous = session_token(request)
    if previous:  # a new sign-in ends the session this browser had
        with contextlib.suppress(NotFound):
            identity.revoke_token(session, previous, now=now)
    token = identity.issue_token(
        session, user=user, now=now, kind="session", name="web session", ttl=SESSION_TTL
    )
    principal = identity.principal_for_token(session, token, now=now)
    response = redirect(request, next_path or home_for(principal))
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_TTL.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, form: CsrfForm, session: SessionDep, runtime: RuntimeDep) -> Response:
    token = session_token(request)
    if token:
        with contextlib.suppress(NotFound):
            identity.revoke_token(session, token, now=runtime.clock())
    response = redirect(request, "/login?bye=1")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
