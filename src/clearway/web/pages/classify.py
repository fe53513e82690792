"""The HS classification page: describe the goods, see the likely codes with their evidence, and when the top
codes are close, answer the question that separates them (buttons, HTMX) until the code is clear.

Every signed-in user with ``classification:read`` may use it; a guided classification is stored with its
answers (:mod:`clearway.classification.guided`), so each answer stays part of the evidence.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from clearway.classification import guided
from clearway.classification.registry import served_model
from clearway.errors import Forbidden
from clearway.identity.core import Principal, Scope
from clearway.web.deps import RuntimeDep, SessionDep
from clearway.web.pages.guard import PageRoute
from clearway.web.pages.render import render
from clearway.web.pages.security import CsrfForm, PagePrincipal

router = APIRouter(route_class=PageRoute, include_in_schema=False)
MAX_TEXT_FORM = 4000


def _allowed(principal: Principal) -> None:
    if Scope.CLASSIFICATION_READ not in principal.scopes:
        raise Forbidden("HS classification needs the classification:read scope")


def _page(request: Request, text: str = "", body: dict[str, Any] | None = None) -> Response:
    return render(
        request, "classify.html", {"text": text, "result": body, "max_text": MAX_TEXT_FORM}, here="/classify"
    )


@router.get("/classify")
def classify_form(request: Request, principal: PagePrincipal) -> Response:
    _allowed(principal)
    return _page(request)


@router.post("/classify")
def classify(
    request: Request, principal: PagePrincipal, form: CsrfForm, session: SessionDep, runtime: RuntimeDep
) -> Response:
    _allowed(principal)
    text = str(form.get("text") or "")[:MAX_TEXT_FORM]
    view = guided.open_session(
        session,
        served_model(runtime.settings.models_dir),
        text,
        lang=None,
        top_k=5,
        user_id=principal.user_id,
        now=runtime.clock(),
    )
    return _page(request, text, view.body)


@router.post("/classify/{classification_id}/answer")
def answer(
    classification_id: str,
    request: Request,
    principal: PagePrincipal,
    form: CsrfForm,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    _allowed(principal)
    view = guided.answer_session(
        session,
        classification_id[:40],
        str(form.get("answer") or "")[:20],
        user_id=principal.user_id,
        now=runtime.clock(),
    )
    row_text = guided.session_text(session, classification_id, user_id=principal.user_id)
    return _page(request, row_text, view.body)
