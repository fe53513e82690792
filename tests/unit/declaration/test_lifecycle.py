from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearway.declaration.lifecycle import (
    FINAL,
    TRANSITIONS,
    Action,
    Lane,
    Status,
    allowed_actions,
    apply,
    follow_up_for_lane,
)
from clearway.errors import IllegalTransition

HAPPY_PATH = [
    (Status.DRAFT, Action.FILE, Status.FILED),
    (Status.FILED, Action.ASSESS, Status.ASSESSED),
    (Status.ASSESSED, Action.ASSIGN_LANE, Status.LANE_ASSIGNED),
    (Status.LANE_ASSIGNED, Action.START_INSPECTION, Status.UNDER_INSPECTION),
    (Status.UNDER_INSPECTION, Action.RECORD_INSPECTION_RESULT, Status.UNDER_INSPECTION),
    (Status.UNDER_INSPECTION, Action.ACCEPT, Status.ACCEPTED),
    (Status.ACCEPTED, Action.PAY, Status.PAID),
    (Status.PAID, Action.RELEASE, Status.RELEASED),
]


@pytest.mark.parametrize(("source", "action", "target"), HAPPY_PATH)
def test_the_path_from_draft_to_release(source, action, target):
    assert apply(source, action, lane=Lane.RED).target is target


def test_a_released_declaration_cannot_be_amended_or_cancelled():
    for action in (Action.AMEND, Action.CANCEL, Action.PAY, Action.ACCEPT):
        with pytest.raises(IllegalTransition) as info:
            apply(Status.RELEASED, action)
        assert info.value.status == 409
        assert "released" in info.value.detail


def test_only_green_and_blue_lanes_are_accepted_without_a_check():
    assert apply(Status.LANE_ASSIGNED, Action.ACCEPT, lane=Lane.GREEN).target is Status.ACCEPTED
    assert apply(Status.LANE_ASSIGNED, Action.ACCEPT, lane=Lane.BLUE).target is Status.ACCEPTED
    for lane in (Lane.YELLOW, Lane.RED):
        with pytest.raises(IllegalTransition):
            apply(Status.LANE_ASSIGNED, Action.ACCEPT, lane=lane)


def test_lane_follow_ups():
    assert follow_up_for_lane(Lane.YELLOW) is Action.START_DOCUMENT_CHECK
    assert follow_up_for_lane(Lane.RED) is Action.START_INSPECTION
    assert follow_up_for_lane(Lane.GREEN) is Action.ACCEPT


def test_final_statuses_allow_nothing():
    for status in FINAL:
        assert allowed_actions(status) == []


def test_the_error_lists_what_is_allowed_instead():
    with pytest.raises(IllegalTransition) as info:
        apply(Status.ACCEPTED, Action.ACCEPT)
    assert set(info.value.extra["allowed_actions"]) == {"pay", "amend", "request_amendment", "refuse_request"}


@given(st.lists(st.sampled_from(list(Action)), max_size=30), st.sampled_from(list(Lane)))
def test_any_sequence_of_actions_stays_inside_the_machine(actions, lane):
    status = Status.DRAFT
    for action in actions:
        try:
            transition = apply(status, action, lane=lane)
        except IllegalTransition:
            assert status not in TRANSITIONS[action] or (
                action is Action.ACCEPT and lane in (Lane.YELLOW, Lane.RED)
            )
            continue
        assert transition.source is status
        assert status not in FINAL
        status = transition.target
        if status in FINAL:
            assert allowed_actions(status) == []
