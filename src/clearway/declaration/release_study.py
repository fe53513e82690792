"""Release time by stage over many declarations (WCO Time Release Study), from their events."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.audit.models import AuditEvent
from clearway.clock import KOREA
from clearway.declaration import repository as repo
from clearway.declaration.release_time import StageTime, stage_times, summarise
from clearway.declaration.transitions import SUBJECT
from clearway.identity.core import Principal

if TYPE_CHECKING:  # the service is passed in; this module knows its type only (no import cycle)
    from clearway.declaration.service import DeclarationService

MAX_DECLARATIONS = 50_000


def study(
    service: DeclarationService, session: Session, principal: Principal, f: repo.ListFilter
) -> dict[str, Any]:
    """Stages over the declarations matching ``f`` (customs see all; companies their own), overall and by lane."""
    declarations, total = service.search(session, principal, f, offset=0, limit=MAX_DECLARATIONS)
    events: dict[str, list[tuple[str, datetime]]] = defaultdict(list)
    ids = [str(d.id) for d in declarations]
    for start in range(0, len(ids), 1000):
        rows = session.execute(
            select(AuditEvent.subject_id, AuditEvent.action, AuditEvent.occurred_at)
            .where(AuditEvent.subject_type == SUBJECT, AuditEvent.subject_id.in_(ids[start : start + 1000]))
            .order_by(AuditEvent.seq)
        )
        for subject_id, action, occurred_at in rows:
            events[subject_id].append((action, occurred_at))
    per_lane: dict[str, list[list[StageTime]]] = defaultdict(list)
    overall = []
    for d in declarations:
        stages = stage_times(events[str(d.id)], arrival=d.arrival_date, tz=KOREA)
        overall.append(stages)
        per_lane[d.lane or "none"].append(stages)
    return {
        "declarations": len(declarations),
        "matching": total,
        "truncated": total > len(declarations),
        "stages": [s.as_dict() for s in summarise(overall)],
        "by_lane": {
            lane: [s.as_dict() for s in summarise(group)] for lane, group in sorted(per_lane.items())
        },
    }
