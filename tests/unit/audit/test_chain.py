from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from clearway.audit import chain as audit_chain
from clearway.audit.chain import GENESIS, PLAIN, Anchor, head_mac

T0 = datetime(2026, 11, 20, tzinfo=UTC)
KEY = b"k" * 32


def chain(previous, drafts, key=KEY):  # type: ignore[no-untyped-def]
    return audit_chain.chain(previous, drafts, key)


def verify(events, head, key=KEY, **kwargs):  # type: ignore[no-untyped-def]
    signature = kwargs.pop("head_signature", head_mac(key, *head) if head else None)
    return audit_chain.verify(events, head, key=key, head_signature=signature, **kwargs)


def drafts(n: int):  # type: ignore[no-untyped-def]
    return [
        {
            "occurred_at": T0 + timedelta(seconds=i),
            "actor": "officer",
            "subject_type": "declaration",
            "subject_id": str(i % 3),
            "action": "accept",
            "reason": None,
            "data": {"i": i},
        }
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
    field = data.draw(
        st.sampled_from(
            [
                "actor",
                "reason",
                "data",
                "occurred_at",
                "action",
                "actor_user_id",
                "subject_type",
                "subject_id",
            ]
        )
    )
    value = {
        "actor": "intruder",
        "reason": "changed",
        "data": {"i": -1},
        "occurred_at": T0 - timedelta(days=1),
        "action": "reject",
        "actor_user_id": 999,
        "subject_type": "user",
        "subject_id": "x",
    }[field]
    tampered = list(events)
    tampered[victim] = replace(events[victim], **{field: value})
    result = verify(tampered, head_of(events))
    assert not result.intact
    assert (events[victim].seq, "edited") in [(f.seq, f.kind) for f in result.findings]


@given(st.integers(min_value=3, max_value=12), st.data())
def test_a_deleted_event_is_named(n, data):
    events = chain((0, GENESIS), drafts(n))
    victim = data.draw(st.integers(min_value=0, max_value=n - 2))
    tampered = events[:victim] + events[victim + 1 :]
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


def test_editing_who_acted_is_caught():
    events = chain((0, GENESIS), [{**d, "actor_user_id": 7} for d in drafts(3)])
    tampered = [events[0], replace(events[1], actor_user_id=8), events[2]]
    assert (2, "edited") in [(f.seq, f.kind) for f in verify(tampered, head_of(events)).findings]


def test_a_rewrite_recomputed_without_the_key_is_caught():
    events = chain((0, GENESIS), drafts(4))
    # an insider edits event 2 and recomputes every later hash and the head, but does not have the key
    redone = [{**d, "actor": "x"} for d in drafts(4)[1:]]
    rewritten = events[:1] + chain((events[0].seq, events[0].hash), redone, key=b"guess" * 8)
    result = verify(rewritten, head_of(rewritten), head_signature=head_mac(b"guess" * 8, *head_of(rewritten)))
    kinds = {(f.seq, f.kind) for f in result.findings}
    assert {(2, "edited"), (3, "edited"), (4, "edited")} <= kinds and (4, "head_forged") in kinds


def test_a_truncated_tail_with_the_head_set_back_is_caught_by_its_signature():
    events = chain((0, GENESIS), drafts(6))
    result = verify(events[:4], head_of(events[:4]), head_signature=head_mac(KEY, *head_of(events)))
    assert (4, "head_forged") in [(f.seq, f.kind) for f in result.findings]


def test_anchors_catch_a_keyed_rewrite_and_a_truncated_tail():
    events = chain((0, GENESIS), drafts(6))
    anchors = [Anchor(e.seq, e.hash, "2026-11-20T00:00:00").signed(KEY) for e in events[2:5:2]]  # seq 3 and 5
    assert verify(events, head_of(events), anchors=anchors).intact
    # someone with the key rewrites from event 2 on and re-signs the head: only the anchors still know
    redone = [{**d, "actor": "x"} for d in drafts(6)[1:]]
    rewritten = events[:1] + chain((events[0].seq, events[0].hash), redone)
    found = {(f.seq, f.kind) for f in verify(rewritten, head_of(rewritten), anchors=anchors).findings}
    assert found == {(3, "anchored_rewrite"), (5, "anchored_rewrite")}
    # ... or cuts the tail and sets the head back
    found = {(f.seq, f.kind) for f in verify(events[:4], head_of(events[:4]), anchors=anchors).findings}
    assert found == {(5, "truncated")}


def test_a_forged_anchor_is_reported():
    events = chain((0, GENESIS), drafts(2))
    forged = Anchor(2, "f" * 64, "2026-11-20T00:00:00").signed(b"other" * 8)
    assert (2, "anchor_forged") in [
        (f.seq, f.kind) for f in verify(events, head_of(events), anchors=[forged]).findings
    ]


def test_plain_events_from_before_the_key_verify_and_a_downgrade_after_is_caught():
    plain = [replace(e, scheme=PLAIN, hash="") for e in chain((0, GENESIS), drafts(1))]
    plain = [replace(plain[0], hash=audit_chain.compute_hash(plain[0]))]
    keyed = chain((plain[-1].seq, plain[-1].hash), drafts(2))
    assert verify(plain + keyed, head_of(keyed)).intact
    downgraded = replace(keyed[1], scheme=PLAIN, hash="")
    downgraded = replace(downgraded, hash=audit_chain.compute_hash(downgraded))
    found = {(f.seq, f.kind) for f in verify([*plain, keyed[0], downgraded], head_of(keyed)).findings}
    assert (3, "downgraded") in found
