"""Officer decisions, requests, assignment and release (shell). Decisions are taken only by customs officers.

Every decision carries two texts: ``reason``, the officer's internal note (officers only, kept in the audit
trail), and ``message``, what the filer is told. :mod:`clearway.declaration.disclosure` decides who reads which.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from clearway.audit.service import record
from clearway.declaration import documents, requests
from clearway.declaration import repository as repo
from clearway.declaration.filing import Filing, actor_of
from clearway.declaration.lifecycle import Action, Party, Status
from clearway.declaration.models import InspectionResult
from clearway.declaration.transitions import SUBJECT, step
from clearway.errors import Conflict, FieldError, ValidationFailed
from clearway.identity.core import Principal, Role, Scope
from clearway.ipr.guard import refuse_release_while_held

if TYPE_CHECKING:  # the service is passed in; this module knows its type only (no import cycle)
    from clearway.declaration.service import DeclarationService

DEFAULT_DEADLINE_DAYS = 10  # for documents requested (the officer may set 1–60 days)


class DecisionKind(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    REQUEST_DOCUMENTS = "request_documents"
    INSPECT = "inspect"
    INSPECTION_RESULT = "inspection_result"


class Finding(StrEnum):
    NO_IRREGULARITY = "no_irregularity"
    IRREGULARITY = "irregularity"


@dataclass(frozen=True, slots=True)
class InspectionFinding:
    finding: Finding
    description: str | None = None
    additional_duty_krw: Decimal = Decimal(0)
    critical: bool = False

    def problems(self) -> list[FieldError]:
        errors = []
        if self.finding is Finding.IRREGULARITY and not (self.description or "").strip():
            errors.append(FieldError("/finding/description", "required", "describe the irregularity found"))
        if self.finding is Finding.NO_IRREGULARITY and (self.critical or self.additional_duty_krw):
            errors.append(
                FieldError(
                    "/finding", "inconsistent", "no irregularity cannot carry additional duty or be critical"
                )
            )
        if self.additional_duty_krw < 0:
            errors.append(
                FieldError("/finding/additional_duty_krw", "must_not_be_negative", "duty is never negative")
            )
        return errors


@dataclass(frozen=True, slots=True)
class Decision:
    kind: DecisionKind
    reason: str | None = None  # internal note: officers only
    finding: InspectionFinding | None = None
    message: str | None = None  # to the filer
    deadline_days: int = DEFAULT_DEADLINE_DAYS
    override: bool = False  # accept although the requested documents have not arrived (reason required)


_ACTIONS = {
    DecisionKind.ACCEPT: Action.ACCEPT,
    DecisionKind.REJECT: Action.REJECT,
    DecisionKind.REQUEST_DOCUMENTS: Action.REQUEST_DOCUMENTS,
    DecisionKind.INSPECT: Action.START_INSPECTION,
    DecisionKind.INSPECTION_RESULT: Action.RECORD_INSPECTION_RESULT,
}


def _check(decision: Decision) -> None:
    errors: list[FieldError] = []
    needs_reason = decision.kind in (
        DecisionKind.REJECT,
        DecisionKind.REQUEST_DOCUMENTS,
        DecisionKind.INSPECT,
    )
    if (needs_reason or decision.override) and not (decision.reason or "").strip():
        what = "override the missing documents" if decision.override else decision.kind.value
        errors.append(FieldError("/reason", "required", f"an internal reason is required to {what}"))
    needs_message = decision.kind in (DecisionKind.REJECT, DecisionKind.REQUEST_DOCUMENTS)
    if needs_message and not (decision.message or "").strip():
        errors.append(FieldError("/message", "required", "tell the filer what is needed or why"))
    if not 1 <= decision.deadline_days <= 60:
        errors.append(FieldError("/deadline_days", "out_of_range", "from 1 to 60 days"))
    if decision.kind is DecisionKind.INSPECTION_RESULT:
        if decision.finding is None:
            errors.append(FieldError("/finding", "required", "record what the check found"))
        else:
            errors += decision.finding.problems()
    if errors:
        raise ValidationFailed("the decision is incomplete", errors=errors)


def _officer(principal: Principal) -> None:
    principal.require_scope(Scope.DECISIONS_WRITE)
    principal.require_role(Role.OFFICER)


def decide(
    service: DeclarationService,
    session: Session,
    principal: Principal,
    declaration_id: int,
    decision: Decision,
) -> Filing:
    _officer(principal)
    _check(decision)
    declaration = service.visible(session, principal, declaration_id, for_update=True)
    version = repo.version(session, declaration.id, declaration.current_version)
    assert version is not None
    now = service.clock()
    data: dict[str, object] = {"decision": decision.kind.value}
    if decision.message:
        data["message"] = decision.message
    stage = "inspection" if version.status == Status.UNDER_INSPECTION.value else "document_check"
    f = decision.finding if decision.kind is DecisionKind.INSPECTION_RESULT else None
    if f is not None:
        data.update(
            finding=f.finding.value,
            critical=f.critical,
            additional_duty_krw=str(f.additional_duty_krw),
            description=f.description,
            stage=stage,
        )
    if decision.kind is DecisionKind.REQUEST_DOCUMENTS:
        data["deadline"] = (now + timedelta(days=decision.deadline_days)).isoformat()
    if decision.override:
        data["override"] = True
    if f is not None:
        # Recorded first: the lifecycle reads "inspected" from the stored results.
        repo.add(
            session,
            InspectionResult(
                declaration_id=declaration.id,
                version=version.version,
                stage=stage,
                finding=f.finding.value,
                description=f.description,
                additional_duty_krw=f.additional_duty_krw,
                critical=f.critical,
                officer_user_id=principal.user_id,
                recorded_at=now,
            ),
        )
        session.flush()
    step(
        session,
        declaration,
        version,
        _ACTIONS[decision.kind],
        actor=actor_of(principal),
        at=now,
        party=Party.OFFICER,
        reason=decision.reason,
        data=data,
        override=decision.override,
    )
    if f is not None and f.additional_duty_krw:
        declaration.total_due_krw = (declaration.total_due_krw or Decimal(0)) + f.additional_duty_krw
    if decision.kind is DecisionKind.REQUEST_DOCUMENTS:
        assert decision.message is not None
        documents.open_request(
            session,
            declaration,
            version,
            principal,
            message=decision.message,
            internal_note=decision.reason,
            deadline=now + timedelta(days=decision.deadline_days),
            now=now,
        )
    if decision.kind is DecisionKind.ACCEPT and decision.override:
        documents.overridden(session, declaration.id, reason=decision.reason or "")
    session.flush()
    return Filing(declaration, version, created=False)


def decide_request(
    service: DeclarationService,
    session: Session,
    principal: Principal,
    declaration_id: int,
    *,
    grant: bool,
    message: str,
    reason: str | None,
) -> Filing:
    """Grant or refuse the filer's pending request to amend or withdraw."""
    _officer(principal)
    if not message.strip():
        raise ValidationFailed(
            "tell the filer the answer",
            errors=[FieldError("/message", "required", "the answer to the filer")],
        )
    declaration = service.visible(session, principal, declaration_id, for_update=True)
    request = requests.pending(session, declaration.id)
    if request is None:
        raise Conflict("there is no pending request to decide")
    version = repo.version(session, declaration.id, declaration.current_version)
    assert version is not None
    now, actor = service.clock(), actor_of(principal)
    data: dict[str, object] = {"request": request.kind, "message": message}
    if not grant:
        step(
            session,
            declaration,
            version,
            Action.REFUSE_REQUEST,
            actor=actor,
            at=now,
            party=Party.OFFICER,
            reason=reason,
            data=data,
        )
    elif request.kind == "cancel":
        step(
            session,
            declaration,
            version,
            Action.CANCEL,
            actor=actor,
            at=now,
            party=Party.OFFICER,
            reason=request.reason,
            data={**data, "granted": True, "internal_note": reason},
        )
    else:
        assert request.document is not None
        content = service.parse(request.document, declaration.filed_on)
        version = service.amended(
            session,
            declaration,
            version,
            content,
            actor=actor,
            party=Party.OFFICER,
            user_id=request.requested_by,
            reason=request.reason,
            now=now,
            data={**data, "granted": True, "internal_note": reason},
        )
    request.status = "granted" if grant else "refused"
    request.decided_by, request.decided_at = principal.user_id, now
    request.message, request.internal_note = message, reason
    session.flush()
    return Filing(declaration, version, created=grant and request.kind == "amend")


def assign(
    service: DeclarationService, session: Session, principal: Principal, declaration_id: int, *, take: bool
) -> Filing:
    """Take the declaration into one's own work, or give it back to the queue."""
    _officer(principal)
    declaration = service.visible(session, principal, declaration_id, for_update=True)
    now = service.clock()
    if take and declaration.assignee_user_id not in (None, principal.user_id):
        raise Conflict("another officer is working on this declaration; they must release it first")
    if not take and declaration.assignee_user_id != principal.user_id:
        raise Conflict("this declaration is not assigned to you")
    declaration.assignee_user_id = principal.user_id if take else None
    declaration.assigned_at = now if take else None
    record(
        session,
        actor=actor_of(principal),
        subject_type=SUBJECT,
        subject_id=declaration.id,
        action="assign" if take else "unassign",
        at=now,
        data={"officer": principal.username},
    )
    session.flush()
    return service.filing_of(session, declaration.id)


def release(
    service: DeclarationService, session: Session, principal: Principal, declaration_id: int
) -> Filing:
    """Release the goods (반출) once the bank confirmed payment. Officers do it."""
    _officer(principal)
    declaration = service.visible(session, principal, declaration_id, for_update=True)
    refuse_release_while_held(session, declaration.id)  # IPR hold (관세법 제235조) blocks release
    version = repo.version(session, declaration.id, declaration.current_version)
    assert version is not None
    step(
        session,
        declaration,
        version,
        Action.RELEASE,
        actor=actor_of(principal),
        at=service.clock(),
        party=Party.OFFICER,
    )
    session.flush()
    return Filing(declaration, version, created=False)
