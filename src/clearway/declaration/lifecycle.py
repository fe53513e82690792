"""The declaration lifecycle as a pure state machine.

draft → filed → assessed → lane assigned (green / yellow / red / blue) → under document check (↔ awaiting
documents) / under inspection → accepted (수리) → paid → released (반출); with rejected, amended (superseded by a
new version) and cancelled (취하) as ends. :func:`apply` returns the next status or raises
:class:`IllegalTransition`; it never looks at a clock or a database.

:func:`advance` adds the process rules that need more than the status (who acts, the lane, what the check
found, whether payment was confirmed), over a :class:`Case` the shell builds from the stored rows:

* after selection (a yellow or red lane, or while under a check) the filer cannot amend or withdraw on its own:
  it asks (정정·취하 승인 신청, 관세법 제29조·제38조의2) and an officer grants or refuses;
* a new version's lane is never below the lane the declaration already had (:func:`successor`);
* escalation to inspection makes the lane red; a red lane is accepted only with an inspection result;
* a document request waits for the filer's reply; acceptance without it needs an officer's explicit override;
* a hold (:attr:`Case.held`, placed and lifted by the system: the bill is on no manifest yet) keeps the
  declaration filed where it is, and it is neither accepted nor released while the hold stands;
* only a confirmed payment (the bank's signed confirmation, :class:`Party.BANK`) makes a declaration paid, and
  goods are released only once paid (release after payment: this platform implements no payment guarantee,
  although 관세법 제9조·제248조 allow release before payment under one).
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
    AWAITING_DOCUMENTS = "awaiting_documents"
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
    SUBMIT_DOCUMENTS = "submit_documents"
    REQUEST_AMENDMENT = "request_amendment"
    REQUEST_CANCELLATION = "request_cancellation"
    REFUSE_REQUEST = "refuse_request"
    PLACE_HOLD = "place_hold"
    LIFT_HOLD = "lift_hold"


FINAL = frozenset({Status.RELEASED, Status.REJECTED, Status.AMENDED, Status.CANCELLED})
_BEFORE_ACCEPTANCE = frozenset(
    {
        Status.DRAFT,
        Status.FILED,
        Status.ASSESSED,
        Status.LANE_ASSIGNED,
        Status.UNDER_DOCUMENT_CHECK,
        Status.UNDER_INSPECTION,
        Status.AWAITING_DOCUMENTS,
    }
)
_UNDER_CHECK = frozenset({Status.UNDER_DOCUMENT_CHECK, Status.UNDER_INSPECTION})
UNDER_CHECK = frozenset({*_UNDER_CHECK, Status.AWAITING_DOCUMENTS})

# action -> {from status: to status}. None as the target keeps the status (the event is still recorded).
TRANSITIONS: dict[Action, dict[Status, Status | None]] = {
    Action.FILE: {Status.DRAFT: Status.FILED},
    Action.ASSESS: {Status.FILED: Status.ASSESSED},
    Action.ASSIGN_LANE: {Status.ASSESSED: Status.LANE_ASSIGNED},
    Action.START_DOCUMENT_CHECK: {Status.LANE_ASSIGNED: Status.UNDER_DOCUMENT_CHECK},
    Action.START_INSPECTION: {
        Status.LANE_ASSIGNED: Status.UNDER_INSPECTION,
        Status.UNDER_DOCUMENT_CHECK: Status.UNDER_INSPECTION,
        Status.AWAITING_DOCUMENTS: Status.UNDER_INSPECTION,
    },
    # 서류제출 요구: the check waits for the filer's documents, which bring it back to the officer.
    Action.REQUEST_DOCUMENTS: {Status.UNDER_DOCUMENT_CHECK: Status.AWAITING_DOCUMENTS},
    Action.SUBMIT_DOCUMENTS: {Status.AWAITING_DOCUMENTS: Status.UNDER_DOCUMENT_CHECK},
    Action.RECORD_INSPECTION_RESULT: {s: None for s in _UNDER_CHECK},
    Action.ACCEPT: {Status.LANE_ASSIGNED: Status.ACCEPTED, **{s: Status.ACCEPTED for s in UNDER_CHECK}},
    Action.REJECT: {
        s: Status.REJECTED for s in (Status.FILED, Status.ASSESSED, Status.LANE_ASSIGNED, *UNDER_CHECK)
    },
    Action.PAY: {Status.ACCEPTED: Status.PAID},
    Action.RELEASE: {Status.PAID: Status.RELEASED},
    # Amendment (정정) replaces the version; the old version ends as AMENDED. After payment a correction is a
    # separate procedure (보정·수정신고), not an amendment.
    Action.AMEND: {s: Status.AMENDED for s in (*_BEFORE_ACCEPTANCE, Status.ACCEPTED)},
    # Withdrawal (취하) is possible until the goods are accepted.
    Action.CANCEL: {s: Status.CANCELLED for s in _BEFORE_ACCEPTANCE},
    # A filer's request to amend or withdraw after selection; the declaration stays where it is meanwhile.
    Action.REQUEST_AMENDMENT: {s: None for s in (*_BEFORE_ACCEPTANCE, Status.ACCEPTED)},
    Action.REQUEST_CANCELLATION: {s: None for s in _BEFORE_ACCEPTANCE},
    Action.REFUSE_REQUEST: {s: None for s in (*_BEFORE_ACCEPTANCE, Status.ACCEPTED)},
    # A hold (e.g. the bill is on no manifest yet) keeps the declaration filed and where it is; while it stands
    # the declaration is not accepted (and so neither paid nor released). Lifting it keeps the status too.
    Action.PLACE_HOLD: {s: None for s in _BEFORE_ACCEPTANCE if s is not Status.DRAFT},
    Action.LIFT_HOLD: {s: None for s in _BEFORE_ACCEPTANCE if s is not Status.DRAFT},
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


# ---- the process rules -------------------------------------------------------------------------------------
class Party(StrEnum):
    """Who acts: the filing company (trader or broker), a customs officer, the system's own steps, or the bank
    (a verified payment confirmation)."""

    FILER = "filer"
    OFFICER = "officer"
    SYSTEM = "system"
    BANK = "bank"


ACTORS: dict[Action, frozenset[Party]] = {
    Action.FILE: frozenset({Party.FILER, Party.OFFICER}),  # an officer files the version it granted
    Action.ASSESS: frozenset({Party.SYSTEM}),
    Action.ASSIGN_LANE: frozenset({Party.SYSTEM}),
    Action.START_DOCUMENT_CHECK: frozenset({Party.SYSTEM}),
    Action.START_INSPECTION: frozenset({Party.SYSTEM, Party.OFFICER}),
    Action.REQUEST_DOCUMENTS: frozenset({Party.OFFICER}),
    Action.SUBMIT_DOCUMENTS: frozenset({Party.FILER}),
    Action.RECORD_INSPECTION_RESULT: frozenset({Party.OFFICER}),
    Action.ACCEPT: frozenset({Party.SYSTEM, Party.OFFICER}),
    Action.REJECT: frozenset({Party.OFFICER}),
    Action.PAY: frozenset({Party.BANK, Party.SYSTEM}),
    Action.RELEASE: frozenset({Party.OFFICER}),
    Action.AMEND: frozenset({Party.FILER, Party.OFFICER}),
    Action.CANCEL: frozenset({Party.FILER, Party.OFFICER}),
    Action.REQUEST_AMENDMENT: frozenset({Party.FILER}),
    Action.REQUEST_CANCELLATION: frozenset({Party.FILER}),
    Action.REFUSE_REQUEST: frozenset({Party.OFFICER}),
    Action.PLACE_HOLD: frozenset({Party.SYSTEM}),
    Action.LIFT_HOLD: frozenset({Party.SYSTEM}),
}

SEVERITY = {None: -1, Lane.GREEN: 0, Lane.BLUE: 1, Lane.YELLOW: 2, Lane.RED: 3}


def higher_lane(a: Lane | None, b: Lane | None) -> Lane | None:
    """The more severe of two lanes (red > yellow > blue > green)."""
    return a if SEVERITY[a] >= SEVERITY[b] else b


@dataclass(frozen=True, slots=True)
class Case:
    """What the rules need to know of one version of a declaration."""

    status: Status = Status.DRAFT
    lane: Lane | None = None
    inspected: bool = False  # an inspection result recorded while under inspection (물품검사 결과)
    paid: bool = False  # the bank confirmed the exact amount
    nothing_due: bool = False  # no duty or tax to pay
    request: Action | None = None  # a pending REQUEST_AMENDMENT or REQUEST_CANCELLATION
    held: bool = False  # a hold stands (e.g. bill_not_on_manifest): no acceptance until it is lifted


def needs_approval(case: Case) -> bool:
    """Once a check has been chosen, the filer amends or withdraws only with an officer's approval."""
    return case.lane in (Lane.YELLOW, Lane.RED) or case.status in UNDER_CHECK


def _refuse(case: Case, action: Action, message: str) -> IllegalTransition:
    return IllegalTransition(message, current_status=case.status.value, action=action.value)


def _guard(case: Case, action: Action, party: Party, override: bool) -> None:
    if party not in ACTORS[action]:
        raise _refuse(case, action, f"a {party.value} cannot {action.value.replace('_', ' ')}")
    if action in (Action.AMEND, Action.CANCEL):
        wanted = Action.REQUEST_AMENDMENT if action is Action.AMEND else Action.REQUEST_CANCELLATION
        if party is Party.FILER and needs_approval(case):
            raise _refuse(
                case,
                action,
                "after selection for a check, amendment and withdrawal need a customs "
                "officer's approval: send a request",
            )
        # an officer's correction of his own motion (직권경정, 관세법 제38조 제6항: e.g. a preference withdrawn
        # after a negative origin verification) is an amendment the officer overrides the request for
        ex_officio = override and action is Action.AMEND
        if party is Party.OFFICER and case.request is not wanted and not ex_officio:
            raise _refuse(case, action, "an officer amends or withdraws only on the filer's request")
    if action in (Action.REQUEST_AMENDMENT, Action.REQUEST_CANCELLATION):
        if not needs_approval(case):
            raise _refuse(case, action, "no approval is needed: amend or withdraw directly")
        if case.request is not None:
            raise _refuse(case, action, "a request is already waiting for an officer")
    if action is Action.REFUSE_REQUEST and case.request is None:
        raise _refuse(case, action, "there is no request to refuse")
    if action is Action.LIFT_HOLD and not case.held:
        raise _refuse(case, action, "there is no hold to lift")
    if action in (Action.ACCEPT, Action.RELEASE) and case.held:
        done = "accepted" if action is Action.ACCEPT else "released"
        raise _refuse(
            case, action, f"the declaration is on hold: it cannot be {done} until the hold is lifted"
        )
    if action is Action.ACCEPT:
        if case.request is not None:
            raise _refuse(case, action, "decide the filer's pending request first")
        if party is Party.SYSTEM and case.status is not Status.LANE_ASSIGNED:
            raise _refuse(case, action, "only an officer accepts a declaration under a check")
        if case.lane is Lane.RED and not case.inspected:
            raise _refuse(case, action, "a red-lane declaration is accepted only with an inspection result")
        if case.status is Status.AWAITING_DOCUMENTS and not override:
            raise _refuse(
                case,
                action,
                "the requested documents have not arrived: wait for the reply or override with a reason",
            )
    if action is Action.PAY:
        if party is Party.SYSTEM and not case.nothing_due:
            raise _refuse(case, action, "only a confirmed payment makes a declaration paid")
        if party is Party.BANK and case.nothing_due:
            raise _refuse(case, action, "nothing is due")


def advance(
    case: Case, action: Action, party: Party, *, lane: Lane | None = None, override: bool = False
) -> Case:
    """The case after ``party`` takes ``action``, or :class:`IllegalTransition`. ``lane`` is the selected lane
    for ASSIGN_LANE; ``override`` an officer's explicit acceptance without the requested documents, or an
    officer's amendment of his own motion (no filer's request)."""
    _guard(case, action, party, override)
    transition = apply(
        case.status, action, lane=higher_lane(case.lane, lane) if action is Action.ASSIGN_LANE else case.lane
    )
    new_lane = case.lane
    if action is Action.ASSIGN_LANE:
        new_lane = higher_lane(case.lane, lane)  # never below the floor the case carries
    elif action is Action.START_INSPECTION:
        new_lane = Lane.RED  # escalation: the lane is what the goods get
    elif action is Action.START_DOCUMENT_CHECK:
        new_lane = higher_lane(case.lane, Lane.YELLOW)  # a document check is at least the yellow lane
    request = case.request
    if action in (Action.REQUEST_AMENDMENT, Action.REQUEST_CANCELLATION):
        request = action
    elif action in (Action.REFUSE_REQUEST, Action.AMEND, Action.CANCEL):
        request = None
    inspected = case.inspected or (
        action is Action.RECORD_INSPECTION_RESULT and case.status is Status.UNDER_INSPECTION
    )
    held = (case.held or action is Action.PLACE_HOLD) and action is not Action.LIFT_HOLD
    return Case(
        transition.target,
        new_lane,
        inspected,
        case.paid or action is Action.PAY,
        case.nothing_due,
        request,
        held,
    )


def successor(case: Case) -> Case:
    """The first case of the version an amendment files: its lane can only go up from the old one's."""
    return Case(Status.DRAFT, lane=case.lane)
