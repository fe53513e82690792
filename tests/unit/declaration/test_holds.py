"""A hold in the lifecycle: it keeps the declaration where it is, and nothing is accepted or released while
it stands (random action sequences by random parties, hypothesis, and the bill-on-no-manifest story)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearway.declaration.lifecycle import Action, Case, Lane, Party, Status, advance, follow_up_for_lane
from clearway.errors import IllegalTransition

MOVES = st.tuples(
    st.sampled_from(list(Action)), st.sampled_from(list(Party)), st.sampled_from([None, *Lane]), st.booleans()
)


def _filed(lane: Lane) -> Case:
    case = Case()
    for action, party in ((Action.FILE, Party.FILER), (Action.ASSESS, Party.SYSTEM)):
        case = advance(case, action, party)
    return advance(case, Action.ASSIGN_LANE, Party.SYSTEM, lane=lane)


@given(st.sampled_from(list(Lane)), st.lists(MOVES, max_size=60))
def test_while_held_nothing_is_accepted_or_released_and_the_lane_never_moves_by_the_hold(lane, moves):  # type: ignore[no-untyped-def]
    case = advance(_filed(lane), Action.PLACE_HOLD, Party.SYSTEM)
    assert case.held and case.status is Status.LANE_ASSIGNED and case.lane is lane
    for action, party, chosen, override in moves:
        if action is Action.LIFT_HOLD:
            continue  # the hold stands throughout
        try:
            after = advance(case, action, party, lane=chosen, override=override)
        except IllegalTransition:
            continue
        assert action not in (Action.ACCEPT, Action.RELEASE, Action.PAY)
        assert after.status not in (Status.ACCEPTED, Status.PAID, Status.RELEASED)
        assert after.held or after.status in (Status.AMENDED, Status.CANCELLED, Status.REJECTED)
        case = after
        if case.status in (Status.AMENDED, Status.CANCELLED, Status.REJECTED):
            break


def test_a_green_declaration_waits_held_then_is_accepted_once_the_hold_is_lifted():
    case = advance(_filed(Lane.GREEN), Action.PLACE_HOLD, Party.SYSTEM)
    with pytest.raises(IllegalTransition, match="on hold"):
        advance(case, Action.ACCEPT, Party.SYSTEM)
    with pytest.raises(IllegalTransition, match="on hold"):
        advance(case, Action.ACCEPT, Party.OFFICER)
    with pytest.raises(IllegalTransition):  # only the system places and lifts holds
        advance(case, Action.LIFT_HOLD, Party.OFFICER)
    lifted = advance(case, Action.LIFT_HOLD, Party.SYSTEM)
    assert not lifted.held and lifted.status is Status.LANE_ASSIGNED and lifted.lane is Lane.GREEN
    with pytest.raises(IllegalTransition, match="no hold"):
        advance(lifted, Action.LIFT_HOLD, Party.SYSTEM)
    accepted = advance(lifted, follow_up_for_lane(Lane.GREEN), Party.SYSTEM)
    assert accepted.status is Status.ACCEPTED


def test_a_document_check_after_the_hold_is_at_least_the_yellow_lane():
    """A manifest mismatch found when the hold is lifted sends a green declaration to the document check."""
    case = advance(
        advance(_filed(Lane.GREEN), Action.PLACE_HOLD, Party.SYSTEM), Action.LIFT_HOLD, Party.SYSTEM
    )
    checked = advance(case, Action.START_DOCUMENT_CHECK, Party.SYSTEM)
    assert checked.status is Status.UNDER_DOCUMENT_CHECK and checked.lane is Lane.YELLOW
    red = advance(_filed(Lane.RED), Action.START_INSPECTION, Party.SYSTEM)
    assert red.lane is Lane.RED


def test_no_hold_on_a_draft_or_after_acceptance():
    with pytest.raises(IllegalTransition):
        advance(Case(), Action.PLACE_HOLD, Party.SYSTEM)
    accepted = advance(_filed(Lane.GREEN), Action.ACCEPT, Party.SYSTEM)
    with pytest.raises(IllegalTransition):
        advance(accepted, Action.PLACE_HOLD, Party.SYSTEM)
