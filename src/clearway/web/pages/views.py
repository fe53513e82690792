"""What the declaration pages show, gathered through the declaration service and its repository.

Access control is the service's: :meth:`DeclarationService.get` and :meth:`DeclarationService.search` decide
what a principal may see (another company's declaration is "not found"); what of it they may read is the
disclosure policy's (:mod:`clearway.declaration.disclosure`); these helpers only shape the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from math import ceil
from typing import Any

from sqlalchemy.orm import Session

from clearway.audit.service import events_for
from clearway.clock import KOREA
from clearway.declaration import disclosure, records, requests
from clearway.declaration import holds as declaration_holds
from clearway.declaration import queue as work_queue
from clearway.declaration import repository as repo
from clearway.declaration.access import may_change
from clearway.declaration.lifecycle import Action, Lane, Status, allowed_actions
from clearway.declaration.models import Declaration
from clearway.declaration.release_time import stage_times
from clearway.declaration.schemas import declaration_number
from clearway.declaration.transitions import SUBJECT
from clearway.errors import FieldError, ValidationFailed
from clearway.identity.core import COMPANY_ROLES, Principal, Role, Scope
from clearway.payment import orders
from clearway.payment import service as payment
from clearway.payment.core import display_number
from clearway.runtime import Runtime
from clearway.web.pages import origin_views

PAGE_SIZE = 20
QUEUE_STAGES = (*work_queue.STAGES, "request")
OFFICER_STATUSES = (Status.UNDER_DOCUMENT_CHECK, Status.UNDER_INSPECTION, Status.AWAITING_DOCUMENTS)
STATUSES = [s.value for s in Status]
LANES = [lane.value for lane in Lane]


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[Any]
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
        raise ValidationFailed(
            f"{value!r} is not a known value",
            errors=[FieldError(pointer, "not_allowed", "one of " + ", ".join(allowed))],
        )
    return value


def declarations_page(
    runtime: Runtime,
    session: Session,
    principal: Principal,
    *,
    status: str | None,
    lane: str | None,
    reference: str | None,
    page: int,
) -> Page:
    f = repo.ListFilter(
        status=choice(status, STATUSES, "/query/status"),
        lane=choice(lane, LANES, "/query/lane"),
        declarant_reference=(reference or "").strip()[:35] or None,
    )
    rows, total = runtime.declarations.search(
        session, principal, f, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    return Page(rows, total, page)


def _day(value: str | None, pointer: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(
            "not a date", errors=[FieldError(pointer, "not_a_date", "YYYY-MM-DD")]
        ) from None


def queue_page(
    runtime: Runtime, session: Session, principal: Principal, *, filters: dict[str, str], page: int
) -> Page:
    """Every declaration that needs an officer, oldest first (rows are :class:`work_queue.QueueRow`)."""
    principal.require_scope(Scope.DECLARATIONS_READ)
    f = work_queue.QueueFilter(
        stage=choice(filters.get("stage"), QUEUE_STAGES, "/query/stage"),
        lane=choice(filters.get("lane"), LANES, "/query/lane"),
        number=filters.get("number", "")[:20] or None,
        transport_document=filters.get("bl", "")[:35] or None,
        commodity_code=filters.get("hs", "")[:12] or None,
        importer=filters.get("importer", "")[:200] or None,
        filed_from=_day(filters.get("from"), "/query/from"),
        filed_to=_day(filters.get("to"), "/query/to"),
        assignee_id=principal.user_id if filters.get("mine") else None,
    )
    rows, total = work_queue.page(
        session, f, now=runtime.clock(), offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    return Page(rows, total, page)


def _arrival(content: dict[str, Any]) -> date | None:
    raw = (content.get("consignment") or {}).get("arrival_date")
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def detail(
    runtime: Runtime, session: Session, principal: Principal, declaration_id: int, version: int | None = None
) -> dict[str, Any]:
    """Everything the declaration page shows (as the disclosure policy lets this principal see it), and which
    forms it offers."""
    filing = runtime.declarations.get(session, principal, declaration_id, version)
    d, v = filing.declaration, filing.version
    who = disclosure.audience(principal.is_customs)
    status = Status(v.status)
    current = v.version == d.current_version
    allowed = set(allowed_actions(status)) if current else set()
    events = events_for(session, SUBJECT, d.id)
    owner = principal.role in COMPANY_ROLES and may_change(principal, d)
    writes = Scope.DECLARATIONS_WRITE in principal.scopes
    officer = principal.role is Role.OFFICER and Scope.DECISIONS_WRITE in principal.scopes
    pending = requests.pending(session, d.id)
    under_check = current and status in OFFICER_STATUSES
    selected = d.lane in (Lane.YELLOW.value, Lane.RED.value) or status in OFFICER_STATUSES
    order = orders.current(session, d.id)
    assessment = v.assessment or {}
    around = records.disclosed(session, principal, d)
    can = {
        "cancel": owner and writes and Action.CANCEL in allowed and pending is None,
        "amend": owner and writes and Action.AMEND in allowed and pending is None,
        "pay": owner
        and writes
        and status is Status.ACCEPTED
        and order is not None
        and order.status == "open",
        "reply": owner and writes and current and status is Status.AWAITING_DOCUMENTS,
        "decide": officer and under_check and pending is None,
        "record": officer and under_check and status is not Status.AWAITING_DOCUMENTS and pending is None,
        "inspect": officer and under_check and status is not Status.UNDER_INSPECTION and pending is None,
        "request_documents": officer
        and current
        and status is Status.UNDER_DOCUMENT_CHECK
        and pending is None,
        "override": officer and current and status is Status.AWAITING_DOCUMENTS,
        "answer_request": officer and pending is not None,
        "release": officer and Action.RELEASE in allowed,
        "assign": officer and d.assignee_user_id is None,
        "unassign": officer and d.assignee_user_id == principal.user_id,
    }
    offered = {name for name in ("cancel", "pay", "release", "reply", "answer_request") if can[name]}
    holds = declaration_holds.of_declaration(session, d.id, v.version)
    if can["decide"]:  # no acceptance offered while a hold stands (the lifecycle would refuse it)
        offered |= {"decision:reject"} | (
            set() if any(h.lifted_at is None for h in holds) else {"decision:accept"}
        )
    offered |= {"decision:inspection_result"} if can["record"] else set()
    offered |= {"decision:inspect"} if can["inspect"] else set()
    offered |= {"decision:request_documents"} if can["request_documents"] else set()
    offered |= {"decision:accept"} if can["override"] else set()
    offered |= {"assign"} if can["assign"] or can["unassign"] else set()
    shown_events = [
        disclosure.event(e.seq, e.occurred_at, e.actor, e.action, e.reason, e.data, who)
        for e in events
        if disclosure.shown(e.action, who)
    ]
    return {
        "d": d,
        "v": v,
        "customs": principal.is_customs,
        "number": declaration_number(d),
        "status": status.value,
        "lane": v.lane,
        "current": current,
        "content": v.content,
        "assessment": assessment,
        "assessment_lines": assessment.get("lines") or [],
        "demo_data": bool(assessment.get("demo_data"))
        or any(isinstance(line, dict) and line.get("demo_data") for line in assessment.get("lines") or []),
        "lane_selection": disclosure.selection(v.lane_selection, who) or {},
        "advice": disclosure.advice(v.advice or [], who),
        "versions": repo.versions(session, d.id),
        "events": shown_events,
        "release_times": [
            s.as_dict()
            for s in stage_times(
                [(e.action, e.occurred_at) for e in events],
                arrival=_arrival(v.content),
                tz=KOREA,
            )
        ],
        "inspections": around["inspections"],
        "document_requests": around["document_requests"],
        "change_requests": around["change_requests"],
        "holds": [declaration_holds.view(h) for h in holds],
        "pending_request": pending,
        "assignee": around["assignee"],
        "order": order,
        "order_number": display_number(order.number) if order else None,
        "receipts": payment.receipts(session, d.id) if order else [],
        "selected": selected,
        "due": d.total_due_krw if d.total_due_krw is not None else Decimal(0),
        **{f"can_{name}": value for name, value in can.items()},
        "offered_forms": offered,
        "origin_claims": origin_views.claims(session, principal, v.content, d.id),
    }
