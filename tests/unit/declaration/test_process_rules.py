"""The process rules of the lifecycle, over random action sequences by random parties (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearway.declaration.lifecycle import (
    SEVERITY,
    Action,
    Case,
    Lane,
    Party,
    Status,
    advance,
    needs_approval,
    successor,
)
from clearway.errors import IllegalTransition

MOVES = st.tuples(
    st.sampled_from(list(Action)), st.sampled_from(list(Party)), st.sampled_from([None, *Lane]), st.booleans()
)


def run(moves, *, nothing_due=False):  # type: ignore[no-untyped-def]
    """Apply moves to one declaration (an amendment continues with the successor version); the history of
    (party, action, before, after) of every move the rules allowed."""
    case = Case(Status.DRAFT, nothing_due=nothing_due)
    history = []
    for action, party, lane, override in moves:
        try:
            after = advance(case, action, party, lane=lane, override=override)
        except IllegalTransition:
            continue
        history.append((party, action, case, after))
        case = after
        if case.status is Status.AMENDED:
            case = successor(case)
    return history


@settings(max_examples=400)
@given(st.lists(MOVES, max_size=60), st.booleans())
def test_nothing_is_released_without_the_required_check_and_a_confirmed_payment(moves, nothing_due):
    history = run(moves, nothing_due=nothing_due)
    version_facts: dict[str, bool] = {"inspected": False, "paid": False}
    for party, action, before, after in history:
        if action is Action.FILE:
            version_facts = {"inspected": False, "paid": False}
        if action is Action.RECORD_INSPECTION_RESULT and before.status is Status.UNDER_INSPECTION:
            version_facts["inspected"] = True
        if action is Action.PAY:
            assert party is Party.BANK or (party is Party.SYSTEM and nothing_due)
            version_facts["paid"] = True
        if action is Action.ACCEPT:
            assert before.request is None
            if after.lane is Lane.RED:
                assert version_facts["inspected"], "red lane accepted without an inspection result"
            if party is Party.SYSTEM:
                assert before.lane in (Lane.GREEN, Lane.BLUE)
        if after.status is Status.RELEASED:
            assert version_facts["paid"] and party is Party.OFFICER
            assert after.lane is not Lane.RED or version_facts["inspected"]


@settings(max_examples=400)
@given(st.lists(MOVES, max_size=60))
def test_no_filer_action_lowers_a_lane(moves):
    for party, action, before, after in run(moves):
        if party is Party.FILER:
            assert SEVERITY[after.lane] >= SEVERITY[before.lane]
        # and re-selection never lowers a lane: assigning keeps at least the case's floor
        if action is Action.ASSIGN_LANE:
            assert SEVERITY[after.lane] >= SEVERITY[before.lane]


@settings(max_examples=300)
@given(st.lists(MOVES, max_size=60))
def test_after_selection_the_filer_only_asks(moves):
    for party, action, before, _ in run([(a, p, ln, False) for a, p, ln, _ in moves]):
        if party is Party.FILER and action in (Action.AMEND, Action.CANCEL):
            assert not needs_approval(before)
        if party is Party.OFFICER and action in (Action.AMEND, Action.CANCEL):
            wanted = Action.REQUEST_AMENDMENT if action is Action.AMEND else Action.REQUEST_CANCELLATION
            assert before.request is wanted


@settings(max_examples=300)
@given(st.lists(MOVES, max_size=60))
def test_an_officer_amends_of_his_own_motion_only_by_override_and_never_withdraws_so(moves):
    """직권경정: with ``override`` an officer may amend without the filer's request (a preference withdrawn after
    a denied origin verification); a withdrawal (취하) is always the filer's."""
    for party, action, before, _ in run(moves):
        if party is Party.OFFICER and action is Action.CANCEL:
            assert before.request is Action.REQUEST_CANCELLATION
    case = Case(Status.LANE_ASSIGNED, Lane.GREEN)
    with pytest.raises(IllegalTransition, match="on the filer's request"):
        advance(case, Action.AMEND, Party.OFFICER)
    assert advance(case, Action.AMEND, Party.OFFICER, override=True).status is Status.AMENDED
    with pytest.raises(IllegalTransition, match="on the filer's request"):
        advance(case, Action.CANCEL, Party.OFFICER, override=True)


def test_escalation_makes_the_lane_red_and_red_needs_an_inspection_result():
    case = Case(Status.UNDER_DOCUMENT_CHECK, Lane.YELLOW)
    escalated = advance(case, Action.START_INSPECTION, Party.OFFICER)
    assert escalated.status is Status.UNDER_INSPECTION and escalated.lane is Lane.RED
    with pytest.raises(IllegalTransition, match="inspection result"):
        advance(escalated, Action.ACCEPT, Party.OFFICER)
    checked = advance(escalated, Action.RECORD_INSPECTION_RESULT, Party.OFFICER)
    assert advance(checked, Action.ACCEPT, Party.OFFICER).status is Status.ACCEPTED


def test_a_document_request_waits_for_the_reply_or_an_explicit_override():
    waiting = advance(Case(Status.UNDER_DOCUMENT_CHECK, Lane.YELLOW), Action.REQUEST_DOCUMENTS, Party.OFFICER)
    assert waiting.status is Status.AWAITING_DOCUMENTS
    with pytest.raises(IllegalTransition, match="documents have not arrived"):
        advance(waiting, Action.ACCEPT, Party.OFFICER)
    assert advance(waiting, Action.ACCEPT, Party.OFFICER, override=True).status is Status.ACCEPTED
    replied = advance(waiting, Action.SUBMIT_DOCUMENTS, Party.FILER)
    assert advance(replied, Action.ACCEPT, Party.OFFICER).status is Status.ACCEPTED


def test_amendment_under_a_check_is_a_request_and_its_new_version_keeps_the_lane():
    case = Case(Status.UNDER_DOCUMENT_CHECK, Lane.YELLOW)
    with pytest.raises(IllegalTransition, match="approval"):
        advance(case, Action.AMEND, Party.FILER)
    asked = advance(case, Action.REQUEST_AMENDMENT, Party.FILER)
    assert asked.status is Status.UNDER_DOCUMENT_CHECK and asked.request is Action.REQUEST_AMENDMENT
    with pytest.raises(IllegalTransition, match="pending request"):
        advance(asked, Action.ACCEPT, Party.OFFICER)
    amended = advance(asked, Action.AMEND, Party.OFFICER)
    new = successor(amended)
    for action in (Action.FILE, Action.ASSESS):
        new = advance(new, action, Party.FILER if action is Action.FILE else Party.SYSTEM)
    assert advance(new, Action.ASSIGN_LANE, Party.SYSTEM, lane=Lane.GREEN).lane is Lane.YELLOW


def test_only_the_bank_pays_and_typed_payments_are_refused():
    accepted = Case(Status.ACCEPTED, Lane.GREEN)
    for party in (Party.FILER, Party.OFFICER, Party.SYSTEM):
        with pytest.raises(IllegalTransition):
            advance(accepted, Action.PAY, party)
    assert advance(accepted, Action.PAY, Party.BANK).paid
