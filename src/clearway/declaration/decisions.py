"""Officer decisions, payment and release (shell). Decisions are taken only by customs officers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from sqlalchemy.orm import Session

from clearway.declaration import repository as repo
from clearway.declaration.lifecycle import Action, Status
from clearway.declaration.models import InspectionResult, Payment
from clearway.declaration.service import DeclarationService, Filing, actor_of
from clearway.declaration.transitions import step
from clearway.errors import FieldError, ValidationFailed
from clearway.identity.core import Principal, Role, Scope
from clearway.ipr.guard import refuse_release_while_held


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
            errors.append(FieldError("/finding", "inconsistent",
                                     "no irregularity cannot carry additional duty or be critical"))
        if self.additional_duty_krw < 0:
            errors.append(FieldError("/finding/additional_duty_krw", "must_not_be_negative", "duty is never negative"))
        return errors


@dataclass(frozen=True, slots=True)
class Decision:
    kind: DecisionKind
    reason: str | None = None
    finding: InspectionFinding | None = None


_ACTIONS = {
    DecisionKind.ACCEPT: Action.ACCEPT,
    DecisionKind.REJECT: Action.REJECT,
    DecisionKind.REQUEST_DOCUMENTS: Action.REQUEST_DOCUMENTS,
    DecisionKind.INSPECT: Action.START_INSPECTION,
    DecisionKind.INSPECTION_RESULT: Action.RECORD_INSPECTION_RESULT,
}


def _check(decision: Decision) -> None:
    errors: list[FieldError] = []
    needs_reason = decision.kind in (DecisionKind.REJECT, DecisionKind.REQUEST_DOCUMENTS, DecisionKind.INSPECT)
    if needs_reason and not (decision.reason or "").strip():
        errors.append(FieldError("/reason", "required", f"a reason is required to {decision.kind.value}"))
    if decision.kind is DecisionKind.INSPECTION_RESULT:
        if decision.finding is None:
            errors.append(FieldError("/finding", "required", "record what the check found"))
        else:
            errors += decision.finding.problems()
    if errors:
        raise ValidationFailed("the decision is incomplete", errors=errors)


def decide(service: DeclarationService, session: Session, principal: Principal, declaration_id: int,
           decision: Decision) -> Filing:
    principal.require_scope(Scope.DECISIONS_WRITE)
    principal.require_role(Role.OFFICER)
    _check(decision)
    declaration = service.visible(session, principal, declaration_id, for_update=True)
    version = repo.version(session, declaration.id, declaration.current_version)
    assert version is not None
    now = service.clock()
    data: dict[str, object] = {"decision": decision.kind.value}
    stage = "inspection" if version.status == Status.UNDER_INSPECTION.value else "document_check"
    if decision.finding is not None and decision.kind is DecisionKind.INSPECTION_RESULT:
        f = decision.finding
        data.update(finding=f.finding.value, critical=f.critical, additional_duty_krw=str(f.additional_duty_krw),
                    description=f.description, stage=stage)
    step(session, declaration, version, _ACTIONS[decision.kind], actor=actor_of(principal), at=now,
         reason=decision.reason, data=data)
    if decision.finding is not None and decision.kind is DecisionKind.INSPECTION_RESULT:
        f = decision.finding
        session.add(InspectionResult(
            declaration_id=declaration.id, version=version.version, stage=stage, finding=f.finding.value,
            description=f.description, additional_duty_krw=f.additional_duty_krw, critical=f.critical,
            officer_user_id=principal.user_id, recorded_at=now,
        ))
        if f.additional_duty_krw:
            declaration.total_due_krw = (declaration.total_due_krw or Decimal(0)) + f.additional_duty_krw
    session.flush()
    return Filing(declaration, version, created=False)


def pay(service: DeclarationService, session: Session, principal: Principal, declaration_id: int, *,
        amount_krw: Decimal, method: str, reference: str) -> Filing:
    """Record payment of the assessed duties and taxes (납부). The amount must be exactly what is due."""
    principal.require_scope(Scope.DECLARATIONS_WRITE)
    declaration = service.owned(session, principal, declaration_id, for_update=True)
    version = repo.version(session, declaration.id, declaration.current_version)
    assert version is not None
    due = declaration.total_due_krw or Decimal(0)
    if amount_krw != due:
        raise ValidationFailed(
            f"the amount due is {due} KRW",
            errors=[FieldError("/amount_krw", "amount_mismatch", f"pay exactly {due} KRW, not {amount_krw}")],
        )
    now = service.clock()
    step(session, declaration, version, Action.PAY, actor=actor_of(principal), at=now,
         data={"amount_krw": str(amount_krw), "method": method, "reference": reference})
    session.add(Payment(declaration_id=declaration.id, version=version.version, amount_krw=amount_krw,
                        method=method, reference=reference, paid_at=now, paid_by=principal.user_id))
    session.flush()
    return Filing(declaration, version, created=False)


def release(service: DeclarationService, session: Session, principal: Principal, declaration_id: int) -> Filing:
    """Release the goods (반출) once the duties and taxes are paid. Officers do it."""
    principal.require_scope(Scope.DECISIONS_WRITE)
    principal.require_role(Role.OFFICER)
    declaration = service.visible(session, principal, declaration_id, for_update=True)
    refuse_release_while_held(session, declaration.id)  # IPR hold (관세법 제235조) blocks release
    version = repo.version(session, declaration.id, declaration.current_version)
    assert version is not None
    step(session, declaration, version, Action.RELEASE, actor=actor_of(principal), at=service.clock())
    session.flush()
    return Filing(declaration, version, created=False)
