"""The customs officer's pages: the work queue, decisions on a declaration, requests, assignment and release."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, Request, Response

from clearway.declaration.decisions import Decision, DecisionKind, Finding, InspectionFinding
from clearway.errors import FieldError, Forbidden
from clearway.web.deps import ResourceId, RuntimeDep, SessionDep
from clearway.web.pages import forms, views
from clearway.web.pages.declarations import PageNumber, act
from clearway.web.pages.guard import PageRoute
from clearway.web.pages.render import render
from clearway.web.pages.security import CsrfForm, PagePrincipal

router = APIRouter(route_class=PageRoute, include_in_schema=False)
DECISIONS = [k.value for k in DecisionKind]
FINDINGS = [f.value for f in Finding]
QUEUE_FILTERS = ("stage", "lane", "number", "bl", "hs", "importer", "from", "to", "mine")


@router.get("/queue")
def work_queue(
    request: Request, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep, page: PageNumber = 1
) -> Response:
    if not principal.is_customs:
        raise Forbidden("the work queue is for customs officers")
    filters = {name: (request.query_params.get(name) or "").strip() for name in QUEUE_FILTERS}
    result = views.queue_page(runtime, session, principal, filters=filters, page=page)
    return render(
        request,
        "queue.html",
        {
            "result": result,
            "stages": views.QUEUE_STAGES,
            "lanes": views.LANES,
            "filters": filters,
            "now": runtime.clock(),
        },
    )


def _decision(form_values: dict[str, str]) -> Decision:
    """The officer's form as a :class:`Decision`; unreadable values are field errors with the API's pointers."""
    errors: list[FieldError] = []
    kind_value = form_values["decision"]
    if kind_value not in DECISIONS:
        forms.fail_if(
            [FieldError("/decision", "not_allowed", "one of " + ", ".join(DECISIONS))], "unknown decision"
        )
    kind = DecisionKind(kind_value)
    reason, message = form_values["reason"], form_values["message"]
    errors += forms.reason_errors(reason, required=False, minimum=1, maximum=1000)
    errors += forms.reason_errors(message, "/message", required=False, minimum=1, maximum=1000)
    days = 10
    if form_values["deadline_days"]:
        if not form_values["deadline_days"].isdigit():
            errors.append(FieldError("/deadline_days", "not_a_number", "a number of days"))
        else:
            days = int(form_values["deadline_days"])
    finding = None
    if kind is DecisionKind.INSPECTION_RESULT:
        if form_values["finding"] not in FINDINGS:
            errors.append(FieldError("/finding/finding", "required", "choose what the check found"))
        description = form_values["description"]
        if len(description) > 2000:
            errors.append(FieldError("/finding/description", "too_long", "at most 2000 characters"))
        duty, duty_errors = forms.krw(
            form_values["additional_duty_krw"], "/finding/additional_duty_krw", default=Decimal(0)
        )
        errors += duty_errors
        if not errors:
            assert duty is not None
            finding = InspectionFinding(
                Finding(form_values["finding"]), description or None, duty, form_values["critical"] == "on"
            )
    forms.fail_if(errors, "the decision is incomplete")
    return Decision(kind, reason or None, finding, message or None, days, form_values["override"] == "on")


@router.post("/declarations/{declaration_id}/decision")
def decide(
    declaration_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    values = {
        name: forms.text(form, name)
        for name in (
            "decision",
            "reason",
            "message",
            "finding",
            "description",
            "additional_duty_krw",
            "deadline_days",
        )
    }
    values["critical"] = "on" if forms.checked(form, "critical") else ""
    values["override"] = "on" if forms.checked(form, "override") else ""

    def step() -> None:
        runtime.declarations.decide(session, principal, declaration_id, _decision(values))

    kind = values["decision"] if values["decision"] in DECISIONS else "accept"
    return act(
        request,
        session,
        runtime,
        principal,
        declaration_id,
        form_name=f"decision:{kind}",
        values=values,
        notice=kind,
        action=step,
    )


@router.post("/declarations/{declaration_id}/request-decision")
def decide_request(
    declaration_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    values = {name: forms.text(form, name) for name in ("grant", "message", "reason")}

    def step() -> None:
        errors = forms.reason_errors(values["message"], "/message", required=True, minimum=1, maximum=1000)
        errors += forms.reason_errors(values["reason"], required=False, minimum=1, maximum=1000)
        forms.fail_if(errors, "the answer is incomplete")
        runtime.declarations.decide_request(
            session,
            principal,
            declaration_id,
            grant=values["grant"] == "yes",
            message=values["message"],
            reason=values["reason"] or None,
        )

    return act(
        request,
        session,
        runtime,
        principal,
        declaration_id,
        form_name="answer_request",
        values=values,
        notice="request_answered",
        action=step,
    )


@router.post("/declarations/{declaration_id}/assignment")
def assignment(
    declaration_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    take = forms.text(form, "take") == "yes"

    def step() -> None:
        runtime.declarations.assign(session, principal, declaration_id, take=take)

    return act(
        request,
        session,
        runtime,
        principal,
        declaration_id,
        form_name="assign",
        values={},
        notice="assign" if take else "unassign",
        action=step,
    )


@router.post("/declarations/{declaration_id}/release")
def release(
    declaration_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    def step() -> None:
        runtime.declarations.release(session, principal, declaration_id)

    return act(
        request,
        session,
        runtime,
        principal,
        declaration_id,
        form_name="release",
        values={},
        notice="release",
        action=step,
    )
