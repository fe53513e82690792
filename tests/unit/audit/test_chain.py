from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from clearway.audit.chain import GENESIS, chain, verify

T0 = datetime(2026, 11, 20, tzinfo=UTC)


def drafts(n: int):  # type: ignore[no-untyped-def]
    return [
        {"occurred_at": T0 + timedelta(seconds=i), "actor": "officer", "subject_type": "declaration",
         "subject_id": str(i % 3), "action": "accept", "reason": None, "data": {"i": i}}
        for i in range(n)
    ]


def head_of(events):  # type: ignore[no-untyped-def]
    return (events[-1].seq, events[-1].hash) if events else (0, GENESIS)


def test_an_untouched_chain_verifies():
    events = chain((0, GENESIS), drafts(5))
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == GENESIS and events[1].prev_hash == events[0].hash
    result = verify(events, head_of(events))
    assert result.intact and result.events_checked == 5


@given(st.integers(min_value=2, max_value=12), st.data())
def test_an_edited_event_is_named(n, data):
    events = chain((0, GENESIS), drafts(n))
    victim = data.draw(st.integers(min_value=0, max_value=n - 1))
    field = data.draw(st.sampled_from(["actor", "reason", "data", "occurred_at", "action"]))
    value = {"actor": "intruder", "reason": "changed", "data": {"i": -1}, "occurred_at": T0 - timedelta(days=1),
             "action": "reject"}[field]
    tampered = list(events)
    tampered[victim] = replace(events[victim], **{field: value})
    result = verify(tampered, head_of(events))
    assert not result.intact
    assert (events[victim].seq, "edited") in [(f.seq, f.kind) for f in result.findings]


@given(st.integers(min_value=3, max_value=12), st.data())
def test_a_deleted_event_is_named(n, data):
    events = chain((0, GENESIS), drafts(n))
    victim = data.draw(st.integers(min_value=0, max_value=n - 2))
    tampered = events[:victim] + events[victim + 1:]
    result = verify(tampered, head_of(events))
    assert (events[victim].seq, "deleted") in [(f.seq, f.kind) for f in result.findings]


def test_deleting_the_last_events_is_caught_by_the_head():
    events = chain((0, GENESIS), drafts(6))
    result = verify(events[:4], head_of(events))
    assert [(f.seq, f.kind) for f in result.findings] == [(5, "truncated")]


def test_an_inserted_event_is_caught():
    events = chain((0, GENESIS), drafts(4))
    forged = chain((events[1].seq, events[1].hash), drafts(1))[0]  # a valid-looking event after #2
    tampered = [*events[:2], forged, *events[2:]]
    result = verify(tampered, head_of(events))
    kinds = {f.kind for f in result.findings}
    assert "inserted_or_reordered" in kinds


def test_a_rewritten_chain_does_not_match_its_head():
    events = chain((0, GENESIS), drafts(3))
    rewritten = chain((0, GENESIS), [{**d, "actor": "someone else"} for d in drafts(3)])
    result = verify(rewritten, head_of(events))
    assert [f.kind for f in result.findings] == ["head_mismatch"]
