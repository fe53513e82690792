"""The declaration lifecycle as a pure state machine.

draft → filed → assessed → lane assigned (green / yellow / red / blue) → under document check / under
inspection → accepted (수리) → paid → released (반출); with rejected, amended (superseded by a new version) and
cancelled (취하) as ends. :func:`apply` returns the next status or raises :class:`IllegalTransition`; it never
looks at a clock or a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from clearway.errors import IllegalTransition


class Status(StrEnum):
    DRAFT = "draft"
    FILED = "filed"
    ASSESSED = "assessed"
    LANE_ASSIGNED = "lane_assigned"
    UNDER_DOCUMENT_CHECK = "under_document_check"
    UNDER_INSPECTION = "under_inspection"
    ACCEPTED = "accepted"
    PAID = "paid"
    RELEASED = "released"
    REJECTED = "rejected"
    AMENDED = "amended"
    CANCELLED = "cancelled"


class Lane(StrEnum):
    GREEN = "green"  # release without check
    YELLOW = "yellow"  # document check (서류심사)
    RED = "red"  # physical inspection (물품검사)
    BLUE = "blue"  # release now, audit later (사후심사)


class Action(StrEnum):
    FILE = "file"
    ASSESS = "assess"
    ASSIGN_LANE = "assign_lane"
    START_DOCUMENT_CHECK = "start_document_check"
    START_INSPECTION = "start_inspection"
    REQUEST_DOCUMENTS = "request_documents"
    RECORD_INSPECTION_RESULT = "record_inspection_result"
    ACCEPT = "accept"
    REJECT = "reject"
    PAY = "pay"
    RELEASE = "release"
    AMEND = "amend"
    CANCEL = "cancel"


FINAL = frozenset({Status.RELEASED, Status.REJECTED, Status.AMENDED, Status.CANCELLED})
_BEFORE_ACCEPTANCE = frozenset(
    {
        Status.DRAFT,
        Status.FILED,
        Status.ASSESSED,
        Status.LANE_ASSIGNED,
        Status.UNDER_DOCUMENT_CHECK,
        Status.UNDER_INSPECTION,
    }
)
_UNDER_CHECK = frozenset({Status.UNDER_DOCUMENT_CHECK, Status.UNDER_INSPECTION})

# action -> {from status: to status}. None as the target keeps the status (the event is still recorded).
TRANSITIONS: dict[Action, dict[Status, Status | None]] = {
    Action.FILE: {Status.DRAFT: Status.FILED},
    Action.ASSESS: {Status.FILED: Status.ASSESSED},
    Action.ASSIGN_LANE: {Status.ASSESSED: Status.LANE_ASSIGNED},
    Action.START_DOCUMENT_CHECK: {Status.LANE_ASSIGNED: Status.UNDER_DOCUMENT_CHECK},
    Action.START_INSPECTION: {
        Status.LANE_ASSIGNED: Status.UNDER_INSPECTION,
        Status.UNDER_DOCUMENT_CHECK: Status.UNDER_INSPECTION,
    },
    Action.REQUEST_DOCUMENTS: {s: None for s in _UNDER_CHECK},
    Action.RECORD_INSPECTION_RESULT: {s: None for s in _UNDER_CHECK},
    Action.ACCEPT: {Status.LANE_ASSIGNED: Status.ACCEPTED, **{s: Status.ACCEPTED for s in _UNDER_CHECK}},
    Action.REJECT: {
        s: Status.REJECTED for s in (Status.FILED, Status.ASSESSED, Status.LANE_ASSIGNED, *_UNDER_CHECK)
    },
    Action.PAY: {Status.ACCEPTED: Status.PAID},
    Action.RELEASE: {Status.PAID: Status.RELEASED},
    # Amendment (정정) replaces the version; the old version ends as AMENDED.
    Action.AMEND: {s: Status.AMENDED for s in (*_BEFORE_ACCEPTANCE, Status.ACCEPTED, Status.PAID)},
    # Withdrawal (취하) is possible until the goods are accepted.
    Action.CANCEL: {s: Status.CANCELLED for s in _BEFORE_ACCEPTANCE},
}


@dataclass(frozen=True, slots=True)
class Transition:
    action: Action
    source: Status
    target: Status


def apply(status: Status, action: Action, *, lane: Lane | None = None) -> Transition:
    """Return the transition ``action`` makes from ``status`` or raise :class:`IllegalTransition`."""
    targets = TRANSITIONS[action]
    if status not in targets:
        allowed = ", ".join(sorted(a.value for a, t in TRANSITIONS.items() if status in t)) or "none"
        raise IllegalTransition(
            f"cannot {action.value.replace('_', ' ')} a declaration that is {status.value.replace('_', ' ')}",
            current_status=status.value,
            action=action.value,
            allowed_actions=allowed.split(", ") if allowed != "none" else [],
        )
    if action is Action.ACCEPT and status is Status.LANE_ASSIGNED and lane not in (Lane.GREEN, Lane.BLUE):
        raise IllegalTransition(
            "only a green- or blue-lane declaration is accepted without a check",
            current_status=status.value,
            action=action.value,
        )
    target = targets[status]
    return Transition(action, status, status if target is None else target)


def allowed_actions(status: Status) -> list[Action]:
    return [a for a, t in TRANSITIONS.items() if status in t]


def follow_up_for_lane(lane: Lane) -> Action:
    """What happens right after a lane is assigned: green/blue are accepted (전자수리), yellow goes to
    document check, red to inspection."""
    return {
        Lane.GREEN: Action.ACCEPT,
        Lane.BLUE: Action.ACCEPT,
        Lane.YELLOW: Action.START_DOCUMENT_CHECK,
        Lane.RED: Action.START_INSPECTION,
    }[lane]
