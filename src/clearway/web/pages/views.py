"""What the declaration pages show, gathered through the declaration service and its repository.

Access control is the service's: :meth:`DeclarationService.get` and :meth:`DeclarationService.search` decide
what a principal may see (another company's declaration is "not found"); these helpers only shape the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from math import ceil
from typing import Any

from sqlalchemy.orm import Session

from clearway.audit.service import events_for
from clearway.declaration import repository as repo
from clearway.declaration.disclosure import advice_for_filer
from clearway.declaration.lifecycle import Action, Lane, Status, allowed_actions
from clearway.declaration.models import Declaration
from clearway.declaration.release_time import stage_times
from clearway.declaration.schemas import declaration_number
from clearway.declaration.transitions import SUBJECT
from clearway.errors import FieldError, ValidationFailed
from clearway.identity.core import COMPANY_ROLES, Principal, Role, Scope
from clearway.runtime import Runtime

PAGE_SIZE = 20
QUEUE_STATUSES = (Status.UNDER_DOCUMENT_CHECK, Status.UNDER_INSPECTION)
STATUSES = [s.value for s in Status]
LANES = [lane.value for lane in Lane]
PAYMENT_METHODS = ("bank_transfer", "virtual_account", "card", "duty_account")


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[Declaration]
    total: int
    page: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.size))

    def numbered(self) -> list[tuple[str, Declaration]]:
        return [(declaration_number(d), d) for d in self.rows]


def choice(value: str | None, allowed: list[str] | tuple[str, ...], pointer: str) -> str | None:
    """A filter value from the address bar: empty means no filter; anything unknown is a readable error."""
    if not value:
        return None
    if value not in allowed:
        raise ValidationFailed(f"{value!r} is not a known value",
                               errors=[FieldError(pointer, "not_allowed", "one of " + ", ".join(allowed))])
    return value


def declarations_page(runtime: Runtime, session: Session, principal: Principal, *, status: str | None,
                      lane: str | None, reference: str | None, page: int) -> Page:
    f = repo.ListFilter(status=choice(status, STATUSES, "/query/status"), lane=choice(lane, LANES, "/query/lane"),
                        declarant_reference=(reference or "").strip()[:35] or None)
    rows, total = runtime.declarations.search(session, principal, f, offset=(page - 1) * PAGE_SIZE,
                                              limit=PAGE_SIZE)
    return Page(rows, total, page)


def queue_page(runtime: Runtime, session: Session, principal: Principal, *, stage: str | None, lane: str | None,
               page: int) -> Page:
    """Declarations under document check and/or inspection, oldest first."""
    statuses = [s.value for s in QUEUE_STATUSES]
    wanted = (choice(stage, statuses, "/query/stage"),) if stage else tuple(statuses)
    f = repo.ListFilter(statuses=wanted, lane=choice(lane, LANES, "/query/lane"), oldest_first=True)
    rows, total = runtime.declarations.search(session, principal, f, offset=(page - 1) * PAGE_SIZE,
                                              limit=PAGE_SIZE)
    return Page(rows, total, page)


def _arrival(content: dict[str, Any]) -> date | None:
    raw = (content.get("consignment") or {}).get("arrival_date")
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def detail(runtime: Runtime, session: Session, principal: Principal, declaration_id: int,
           version: int | None = None) -> dict[str, Any]:
    """Everything the declaration page shows, and which forms it offers this principal."""
    filing = runtime.declarations.get(session, principal, declaration_id, version)
    d, v = filing.declaration, filing.version
    status = Status(v.status)
    current = v.version == d.current_version
    allowed = set(allowed_actions(status)) if current else set()
    events = events_for(session, SUBJECT, d.id)
    owner = principal.role in COMPANY_ROLES and principal.company_id == d.filer_company_id
    writes = Scope.DECLARATIONS_WRITE in principal.scopes
    officer = principal.role is Role.OFFICER and Scope.DECISIONS_WRITE in principal.scopes
    under_check = current and status in QUEUE_STATUSES
    assessment = v.assessment or {}
    can = {
        "cancel": owner and writes and Action.CANCEL in allowed,
        "amend": owner and writes and Action.AMEND in allowed,
        "pay": owner and writes and Action.PAY in allowed,
        "decide": officer and under_check,
        "inspect": officer and under_check and status is Status.UNDER_DOCUMENT_CHECK,
        "release": officer and Action.RELEASE in allowed,
    }
    decisions = [f"decision:{k}" for k in ("accept", "reject", "request_documents", "inspection_result")]
    offered = {name for name in ("cancel", "pay", "release") if can[name]}
    offered |= set(decisions) if can["decide"] else set()
    offered |= {"decision:inspect"} if can["inspect"] else set()
    return {
        "d": d,
        "v": v,
        "number": declaration_number(d),
        "status": status.value,
        "lane": v.lane,
        "current": current,
        "content": v.content,
        "assessment": assessment,
        "assessment_lines": assessment.get("lines") or [],
        "demo_data": bool(assessment.get("demo_data"))
        or any(isinstance(line, dict) and line.get("demo_data") for line in assessment.get("lines") or []),
        "lane_selection": v.lane_selection or {},
        "advice": (v.advice or []) if principal.is_customs else advice_for_filer(v.advice or []),
        "versions": repo.versions(session, d.id),
        "events": events,
        "release_times": [s.as_dict() for s in stage_times(
            [(e.action, e.occurred_at) for e in events], arrival=_arrival(v.content),
            tz=runtime.declarations.timezone)],
        "inspections": repo.inspection_results(session, d.id),
        "payments": repo.payments(session, d.id),
        "due": d.total_due_krw if d.total_due_krw is not None else Decimal(0),
        "can_cancel": can["cancel"],
        "can_amend": can["amend"],
        "can_pay": can["pay"],
        "can_decide": can["decide"],
        "can_inspect": can["inspect"],
        "can_release": can["release"],
        "offered_forms": offered,
        "payment_methods": PAYMENT_METHODS,
    }
