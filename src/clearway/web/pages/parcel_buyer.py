"""The buyer's parcels page (/parcels/buyer): open to everyone, no account.

The buyer gives the personal customs code, the name and the phone; a one-time number goes to the phone on
file; answered, a buyer session (signed, 30 minutes) is kept in an HttpOnly cookie limited to this page. The
page lists every parcel under the code with its status and duty, the notifications, and a "not mine" button
per parcel. Forms carry a double-submit token (a random value in a cookie and in the form), as the login and
assistant forms do.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from clearway.audit.service import savepoint
from clearway.errors import ClearwayError, Unauthenticated
from clearway.identity.throttle import Attempt, client_address
from clearway.parcel import buyer
from clearway.parcel.protection import cipher_for
from clearway.web.deps import RuntimeDep, SessionDep
from clearway.web.pages.guard import PageRoute, problem_context
from clearway.web.pages.render import language_of, render
from clearway.web.pages.security import CsrfRejected, new_login_nonce, same

router = APIRouter(route_class=PageRoute, include_in_schema=False)
PATH = "/parcels/buyer"
SESSION_COOKIE = "clearway_buyer"
CSRF_COOKIE = "clearway_buyer_csrf"


def _holder(request: Request, runtime: Any) -> int | None:
    try:
        return buyer.holder_of(
            runtime.settings.personal_data_key, request.cookies.get(SESSION_COOKIE), runtime.clock()
        )
    except Unauthenticated:
        return None


def _page(
    request: Request,
    session: Any,
    runtime: Any,
    *,
    challenge: str | None = None,
    sent_to: str | None = None,
    notice: str | None = None,
    error: ClearwayError | None = None,
    session_cookie: str | None = None,
) -> Response:
    nonce = request.cookies.get(CSRF_COOKIE) or new_login_nonce()
    holder = _holder(request, runtime) if session_cookie is None else None
    if session_cookie is not None:
        holder = buyer.check_session(runtime.settings.personal_data_key, session_cookie, runtime.clock())
    mine = buyer.my_parcels(session, holder, runtime.clock()) if holder is not None else None
    context: dict[str, Any] = {
        "nonce": nonce,
        "mine": mine,
        "challenge": challenge,
        "sent_to": sent_to,
        "notice": notice,
        "problem": None,
    }
    if error is not None:
        context.update(problem_context(error, language_of(request)))
    response = render(request, "parcel_buyer.html", context, status=error.status if error else 200, here=PATH)
    secure = request.url.scheme == "https"
    response.set_cookie(
        CSRF_COOKIE, nonce, max_age=3600, httponly=True, samesite="strict", secure=secure, path=PATH
    )
    if session_cookie is not None:
        response.set_cookie(
            SESSION_COOKIE,
            session_cookie,
            max_age=int(buyer.SESSION_TTL.total_seconds()),
            httponly=True,
            samesite="strict",
            secure=secure,
            path=PATH,
        )
    return response


async def _form(request: Request) -> FormData:
    form = await request.form()
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not same(form.get("csrf_token"), cookie):
        raise CsrfRejected("the form's security token is missing or does not match")
    return form


def _attempt(request: Request, runtime: Any, who: str) -> Attempt:
    client = client_address(
        request.client.host if request.client else None,
        request.headers.get("x-forwarded-for"),
        runtime.settings.trusted_proxies,
    )
    return Attempt(f"buyer:{who}", client)


@router.get(PATH)
def buyer_page(request: Request, session: SessionDep, runtime: RuntimeDep) -> Response:
    return _page(request, session, runtime)


@router.post(f"{PATH}/sign-in")
async def sign_in(request: Request, session: SessionDep, runtime: RuntimeDep) -> Response:
    form = await _form(request)
    code = str(form.get("code") or "")[:20].strip()
    now, attempt = runtime.clock(), _attempt(request, runtime, code.upper())
    try:
        runtime.logins.check(attempt, now)
        with savepoint(session):
            started = buyer.start(
                session,
                cipher_for(runtime.settings.personal_data_key),
                runtime.settings.personal_data_key,
                code=code,
                name=str(form.get("name") or "")[:100],
                phone=str(form.get("phone") or "")[:20],
                now=now,
            )
    except ClearwayError as error:
        runtime.logins.failed(attempt, now)
        return _page(request, session, runtime, error=error)
    return _page(request, session, runtime, challenge=started.challenge, sent_to=started.phone_masked)


@router.post(f"{PATH}/session")
async def confirm(request: Request, session: SessionDep, runtime: RuntimeDep) -> Response:
    form = await _form(request)
    challenge = str(form.get("challenge") or "")[:200]
    now, attempt = runtime.clock(), _attempt(request, runtime, challenge.split(".")[0])
    try:
        runtime.logins.check(attempt, now)
        token = buyer.finish(
            runtime.settings.personal_data_key, challenge, str(form.get("number") or "")[:6], now
        )
    except ClearwayError as error:
        runtime.logins.failed(attempt, now)
        return _page(request, session, runtime, challenge=challenge, error=error)
    return _page(request, session, runtime, session_cookie=token)


@router.post(f"{PATH}/not-mine/{{parcel_id}}")
async def not_mine(parcel_id: int, request: Request, session: SessionDep, runtime: RuntimeDep) -> Response:
    form = await _form(request)
    holder = _holder(request, runtime)
    if holder is None:
        return _page(
            request, session, runtime, error=Unauthenticated("sign in with your personal customs code first")
        )
    try:
        with savepoint(session):
            reported = buyer.not_mine(
                session,
                holder,
                parcel_id,
                reason=str(form.get("reason") or "not ordered")[:150],
                now=runtime.clock(),
            )
    except ClearwayError as error:
        return _page(request, session, runtime, error=error)
    return _page(request, session, runtime, notice=reported["house_bill"])


@router.post(f"{PATH}/sign-out")
async def sign_out(request: Request) -> Response:
    await _form(request)
    response = RedirectResponse(PATH, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=PATH)
    return response
