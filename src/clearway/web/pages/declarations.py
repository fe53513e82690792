"""The trader's and broker's pages: my declarations, a declaration, withdrawal and payment (filing and
amendment are in :mod:`clearway.web.pages.filing`).

Customs users may open the list and the declarations too (they see every company); the forms a page offers
depend on who is looking (see :func:`clearway.web.pages.views.detail`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from clearway.audit.service import savepoint
from clearway.declaration import documents, records
from clearway.errors import ClearwayError, Conflict
from clearway.identity.core import Principal, Scope
from clearway.payment import service as payment
from clearway.payment.core import callback_secret
from clearway.runtime import Runtime
from clearway.web.deps import ResourceId, RuntimeDep, SessionDep
from clearway.web.i18n import translator
from clearway.web.pages import forms, views
from clearway.web.pages.guard import PageRoute, problem_context
from clearway.web.pages.render import language_of, redirect, render
from clearway.web.pages.security import CsrfForm, PagePrincipal

router = APIRouter(route_class=PageRoute, include_in_schema=False)
PageNumber = Annotated[int, Query(ge=1, le=100_000)]

# ?notice=… after a successful form: (message key, values)
NOTICES = {
    "filed": "new.filed",
    "replayed": "new.replayed",
    "amended": "amend.done",
    "cancel": "cancel.done",
    "pay": "pay.done",
    "release": "release.done",
    "amend_requested": "request.amend_sent",
    "cancel_requested": "request.cancel_sent",
    "reply": "reply.done",
    "request_answered": "request.answered",
    "assign": "assign.done",
    "unassign": "unassign.done",
}
DECISION_ACTIONS = {
    "accept": "accept",
    "reject": "reject",
    "request_documents": "request_documents",
    "inspect": "start_inspection",
    "inspection_result": "record_inspection_result",
}


@router.get("/declarations")
def declaration_list(
    request: Request,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
    status: str | None = None,
    lane: str | None = None,
    reference: str | None = None,
    page: PageNumber = 1,
) -> Response:
    result = views.declarations_page(
        runtime, session, principal, status=status, lane=lane, reference=reference, page=page
    )
    return render(
        request,
        "declarations/list.html",
        {
            "result": result,
            "statuses": views.STATUSES,
            "lanes": views.LANES,
            "filters": {"status": status or "", "lane": lane or "", "reference": reference or ""},
            "mine": not principal.is_customs,
        },
    )


# ---- one declaration ----------------------------------------------------------------------------------------
def notice_text(notice: str | None, lang: str, number: str) -> str | None:
    t = translator(lang)
    if not notice:
        return None
    if notice in NOTICES:
        return t(NOTICES[notice], number=number)
    if notice in DECISION_ACTIONS:
        return t("decide.done", decision=t(f"action.{DECISION_ACTIONS[notice]}"))
    return None


@router.get("/declarations/{declaration_id}")
def declaration_page(
    declaration_id: ResourceId,
    request: Request,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
    version: Annotated[int | None, Query(ge=1, le=100_000)] = None,
    notice: str | None = None,
) -> Response:
    context = views.detail(runtime, session, principal, declaration_id, version)
    context.update(
        notice=notice_text(notice, language_of(request), context["number"]),
        problem=None,
        failed_form=None,
        values={},
        field_errors={},
    )
    return render(request, "declarations/detail.html", context)


def act(
    request: Request,
    session: Session,
    runtime: Runtime,
    principal: Principal,
    declaration_id: int,
    *,
    form_name: str,
    values: dict[str, str],
    notice: str | Callable[[], str],
    action: Callable[[], object],
) -> Response:
    """Run one step in a savepoint; on success show the declaration with a notice, on failure show it again
    with the problem next to the form that failed (and nothing of the step stored)."""
    try:
        with savepoint(session):
            action()
    except ClearwayError as error:
        lang = language_of(request)
        context = views.detail(runtime, session, principal, declaration_id)
        shown_with_form = form_name in context["offered_forms"]  # else the problem goes to the top
        context.update(
            problem_context(error, lang),
            notice=None,
            failed_form=form_name if shown_with_form else None,
            values=values,
            field_errors={e.pointer: e for e in error.errors} if shown_with_form else {},
        )
        return render(
            request,
            "declarations/detail.html",
            context,
            status=error.status,
            here=f"/declarations/{declaration_id}",
        )
    return redirect(
        request, f"/declarations/{declaration_id}?notice={notice() if callable(notice) else notice}"
    )


@router.post("/declarations/{declaration_id}/cancel")
def cancel(
    declaration_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    reason = forms.text(form, "reason")

    outcome = {"notice": "cancel"}

    def step() -> None:
        forms.fail_if(
            forms.reason_errors(reason, required=True, maximum=500), "the withdrawal needs a reason"
        )
        filing = runtime.declarations.cancel(session, principal, declaration_id, reason=reason)
        if filing.version.status != "cancelled":
            outcome["notice"] = "cancel_requested"  # after selection: an officer decides

    return act(
        request,
        session,
        runtime,
        principal,
        declaration_id,
        form_name="cancel",
        values={"reason": reason},
        notice=lambda: outcome["notice"],
        action=step,
    )


@router.post("/declarations/{declaration_id}/pay")
def pay(
    declaration_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    """Pay the order at the local bank simulator; the bank's signed confirmation makes the declaration paid."""

    def step() -> None:
        principal.require_scope(Scope.DECLARATIONS_WRITE)
        runtime.declarations.owned(session, principal, declaration_id)
        bank = payment.simulator(session, callback_secret(runtime.settings.secret_key), runtime.clock)
        outcome = payment.pay(bank, session, declaration_id, None)
        if not outcome.applied:
            raise Conflict(f"the bank's payment was not applied: {outcome.message}")

    return act(
        request,
        session,
        runtime,
        principal,
        declaration_id,
        form_name="pay",
        values={},
        notice="pay",
        action=step,
    )


@router.post("/declarations/{declaration_id}/documents")
async def reply(
    declaration_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    """The filer's reply to a document request, with files."""
    text = forms.text(form, "reply")
    uploads = await records.uploads_of(form)

    def step() -> None:
        documents.reply(
            runtime.declarations,
            session,
            principal,
            declaration_id,
            text=text,
            uploads=uploads,
            root=runtime.settings.home,
        )

    return act(
        request,
        session,
        runtime,
        principal,
        declaration_id,
        form_name="reply",
        values={"reply": text},
        notice="reply",
        action=step,
    )


@router.get("/declarations/{declaration_id}/attachments/{attachment_id}")
def attachment(
    declaration_id: ResourceId,
    attachment_id: ResourceId,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    row, path = documents.attachment(
        runtime.declarations, session, principal, declaration_id, attachment_id, runtime.settings.home
    )
    return FileResponse(path, media_type=row.content_type, filename=row.filename)


@router.get("/declarations/{declaration_id}/{action}")
def action_address(declaration_id: ResourceId, action: str, request: Request) -> Response:
    """A form's address opened directly (a bookmark, a reload): show the declaration."""
    return redirect(request, f"/declarations/{declaration_id}")
