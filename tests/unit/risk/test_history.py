"""History features are computed as of the declaration date: never from the future."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from clearway.risk.features import ALL_GROUPS, FeatureBuilder
from clearway.risk.history import HISTORY_KEYS, HistoryState, as_of_walk, build_state
from clearway.risk.records import Outcome
from tests.unit.risk.helpers import record

START = date(2026, 1, 1)
row = st.tuples(
    st.integers(0, 6),  # day
    st.sampled_from(["IMP1", "IMP2", "IMP3"]),
    st.sampled_from(["847130", "851712"]),
    st.sampled_from(["KRW:100", "KRW:200", "KRW:300"]),
    st.booleans(),  # fraud
    st.integers(0, 3),  # days until the finding is recorded
)


def build(rows):  # type: ignore[no-untyped-def]
    records = [
        record(START + timedelta(days=d), importer=imp, hs6=hs6, value_key=v, ref=f"r{i}")
        for i, (d, imp, hs6, v, _f, _lag) in enumerate(rows)
    ]
    outcomes = [
        Outcome(fraud=f, known_on=START + timedelta(days=d + lag)) for (d, _i, _h, _v, f, lag) in rows
    ]
    return records, outcomes


@settings(max_examples=150, deadline=None)
@given(st.lists(row, min_size=1, max_size=25), st.data())
def test_features_never_depend_on_what_is_recorded_later(rows, data):
    """Changing a label, or a record, that becomes known on or after a declaration's date changes nothing
    in that declaration's features."""
    records, outcomes = build(rows)
    builder = FeatureBuilder(ALL_GROUPS).fit(records)
    X, _ = builder.training_matrix(records, outcomes)
    i = data.draw(st.integers(0, len(records) - 1))
    day = records[i].declared_on
    flipped = [
        replace(o, fraud=not o.fraud) if max(o.known_on, r.declared_on) >= day else o
        for r, o in zip(records, outcomes, strict=True)
    ]
    shifted = [
        replace(r, value_krw=(r.value_krw or 0) * 7) if r.declared_on >= day and j != i else r
        for j, r in enumerate(records)
    ]
    X2, _ = builder.training_matrix(records, flipped)
    X3, _ = builder.training_matrix(shifted, outcomes)
    assert np.array_equal(X[i], X2[i], equal_nan=True)
    assert np.array_equal(X[i], X3[i], equal_nan=True)


@settings(max_examples=100, deadline=None)
@given(st.lists(row, min_size=1, max_size=25))
def test_the_walk_sees_exactly_the_outcomes_known_before_the_day(rows):
    records, outcomes = build(rows)
    names = tuple(HISTORY_KEYS)
    seen: dict[int, HistoryState] = {}

    def visit(i, state):  # type: ignore[no-untyped-def]
        seen[i] = HistoryState.from_json(state.to_json())

    final = as_of_walk(records, outcomes, names, visit)
    for i, r in enumerate(records):
        known = [
            o if max(o.known_on, rr.declared_on) < r.declared_on else None
            for rr, o in zip(records, outcomes, strict=True)
        ]
        earlier = [rr for rr in records if rr.declared_on < r.declared_on]
        expected = build_state(
            [rr for rr, k in zip(records, known, strict=True) if k is not None],
            [k for k in known if k is not None],
            names,
        )
        assert seen[i].counts == expected.counts
        assert seen[i].total == expected.total
        assert seen[i].reference == build_state(earlier, [None] * len(earlier), names).reference
    assert final.counts == build_state(records, outcomes, names).counts


def test_a_record_never_sees_its_own_outcome_even_if_recorded_early():
    r = record(START + timedelta(days=3))
    o = Outcome(fraud=True, known_on=START)  # a bad timestamp before the declaration itself
    builder = FeatureBuilder(("commodity_history",))
    X, state = builder.training_matrix([r], [o])
    n = builder.names.index("h_hs6_n")
    assert X[0, n] == 0
    assert state.counts["hs6"][("847130",)] == [1, 1, 0]


def test_state_round_trips_through_json():
    records = [record(START, importer="A"), record(START + timedelta(days=1), importer="B", value_krw=5.0)]
    outcomes = [Outcome(True, True), Outcome(False)]
    state = build_state(records, outcomes, tuple(HISTORY_KEYS))
    again = HistoryState.from_json(state.to_json())
    assert again.counts == state.counts and again.total == state.total and again.reference == state.reference
