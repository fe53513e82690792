"""The consultation assistant's chat page: open to everyone (travellers do not sign in).

The conversation lives in an HttpOnly cookie (its id and secret); the form is protected by a double-submit token
(a random value in a cookie and in the form), as the login form is. A signed-in user's session is used when
present, so the declaration-status tool answers for that user's company only.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.datastructures import FormData

from clearway.assistant import service
from clearway.assistant.consult import Consultant
from clearway.assistant.model_store import served
from clearway.assistant.models import Conversation
from clearway.clock import korea_date
from clearway.errors import NotFound, Unauthenticated
from clearway.identity.core import Principal
from clearway.identity.service import principal_for_token
from clearway.web.deps import RuntimeDep, SessionDep
from clearway.web.pages.guard import PageRoute
from clearway.web.pages.render import render
from clearway.web.pages.security import CsrfRejected, new_login_nonce, same, session_token

router = APIRouter(route_class=PageRoute, include_in_schema=False)
CHAT_COOKIE = "clearway_chat"
CHAT_CSRF_COOKIE = "clearway_chat_csrf"
MAX_QUESTION_FORM = 2000


def _principal(request: Request, session: SessionDep, runtime: RuntimeDep) -> Principal | None:
    token = session_token(request)
    if not token:
        return None
    try:
        principal = principal_for_token(session, token, now=runtime.clock())
    except Unauthenticated:
        return None
    request.state.principal = principal
    return principal


def _conversation(request: Request, session: SessionDep, principal: Principal | None) -> Conversation | None:
    raw = request.cookies.get(CHAT_COOKIE) or ""
    number, _, secret = raw.partition(":")
    if not number.isdigit() or not secret or int(number) > 2_147_483_647:
        return None
    try:
        return service.conversation_for(session, int(number), secret, principal)
    except NotFound:
        return None


def _page(
    request: Request,
    session: SessionDep,
    conversation: Conversation | None,
    *,
    nonce: str,
    notice: str | None = None,
    cookie: str | None = None,
    status: int = 200,
) -> Response:
    shown = service.messages(session, conversation) if conversation is not None else []
    response = render(
        request,
        "assistant.html",
        {"messages": shown, "nonce": nonce, "notice": notice, "max_question": MAX_QUESTION_FORM},
        status=status,
    )
    secure = request.url.scheme == "https"
    response.set_cookie(
        CHAT_CSRF_COOKIE,
        nonce,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=secure,
        path="/assistant",
    )
    if cookie is not None:
        response.set_cookie(
            CHAT_COOKIE,
            cookie,
            max_age=7 * 86400,
            httponly=True,
            samesite="strict",
            secure=secure,
            path="/assistant",
        )
    return response


async def _form(request: Request) -> FormData:
    form = await request.form()
    cookie = request.cookies.get(CHAT_CSRF_COOKIE)
    if not cookie or not same(form.get("csrf_token"), cookie):
        raise CsrfRejected("the chat form's security token is missing or does not match")
    return form


@router.get("/assistant")
def chat(request: Request, session: SessionDep, runtime: RuntimeDep) -> Response:
    principal = _principal(request, session, runtime)
    nonce = request.cookies.get(CHAT_CSRF_COOKIE) or new_login_nonce()
    return _page(request, session, _conversation(request, session, principal), nonce=nonce)


@router.post("/assistant")
async def ask(request: Request, session: SessionDep, runtime: RuntimeDep) -> Response:
    form = await _form(request)
    principal = _principal(request, session, runtime)
    nonce = request.cookies.get(CHAT_CSRF_COOKIE) or new_login_nonce()
    question = str(form.get("question") or "")[:MAX_QUESTION_FORM]
    conversation = _conversation(request, session, principal)
    cookie = None
    if conversation is None:
        conversation, secret = service.open_conversation(session, principal, runtime.clock())
        cookie = f"{conversation.id}:{secret}"
    host = request.client.host if request.client else "unknown"
    service.RATE.take(f"user:{principal.user_id}" if principal else f"addr:{host}")
    now = runtime.clock()
    consultant = Consultant(served(runtime.settings.models_dir), runtime)
    service.ask(
        session,
        consultant,
        conversation,
        question,
        on=korea_date(now),
        now=now,
        principal=principal,
    )
    return _page(request, session, conversation, nonce=nonce, cookie=cookie)


@router.post("/assistant/handoff")
async def hand_off(request: Request, session: SessionDep, runtime: RuntimeDep) -> Response:
    await _form(request)
    principal = _principal(request, session, runtime)
    nonce = request.cookies.get(CHAT_CSRF_COOKIE) or new_login_nonce()
    conversation = _conversation(request, session, principal)
    if conversation is None:
        return _page(request, session, None, nonce=nonce, notice="assistant.handoff_nothing", status=422)
    service.hand_off(session, conversation, runtime.clock())
    return _page(request, session, conversation, nonce=nonce, notice="assistant.handoff_done")
