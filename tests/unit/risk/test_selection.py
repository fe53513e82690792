"""Criteria, watchlists, model budget and exploration combine into one lane, with reasons."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearway.declaration.lifecycle import Lane
from clearway.errors import ValidationFailed
from clearway.risk.conditions import EvalContext
from clearway.risk.criteria import (
    Criterion,
    Watchlist,
    check_criterion,
    check_watchlist_entry,
    criterion_hits,
    watch_hits,
)
from clearway.risk.model import Contribution, Explanation
from clearway.risk.selection import ModelView, Policy, Thresholds, check_policy, decide, draw
from tests.unit.risk.helpers import record

TODAY = date(2026, 1, 5)


def criterion(code="C1", lane="red", random_rate=1.0, **extra):  # type: ignore[no-untyped-def]
    spec = check_criterion(
        {
            "code": code,
            "name": "laptops from CN",
            "lane": lane,
            "random_rate": random_rate,
            "condition": {"field": "commodity_code", "op": "prefix", "value": "8471"},
            **extra,
        },
        today=TODAY,
    )
    return Criterion.of(1, 1, spec)


def view(score: float) -> ModelView:
    expl = Explanation(score, [Contribution("h_hs6_value_rate", "earlier finding rate of X", 0.9, 1.2)])
    return ModelView("m1", score, expl, Thresholds(red=0.8, yellow=0.5, source="test"), "line 1")


def test_criterion_errors_name_each_field():
    with pytest.raises(ValidationFailed) as exc:
        check_criterion(
            {
                "code": "",
                "lane": "green",
                "valid_from": "2026-02-01",
                "valid_to": "2026-01-01",
                "random_rate": 0,
                "expected_rate": 2,
                "condition": {"any": []},
                "colour": 1,
            },
            today=TODAY,
        )
    pointers = {e.pointer for e in exc.value.errors}
    assert {
        "/code",
        "/name",
        "/lane",
        "/valid_to",
        "/random_rate",
        "/expected_rate",
        "/condition/any",
        "/colour",
    } <= pointers


def test_criterion_in_force_only_within_its_validity():
    c = criterion(valid_from="2026-01-01", valid_to="2026-01-31")
    assert criterion_hits([c], [record()], EvalContext(), date(2026, 1, 15))
    assert not criterion_hits([c], [record()], EvalContext(), date(2026, 2, 1))
    inactive = Criterion.of(2, 2, check_criterion({**c.spec.as_dict(), "active": False}, today=TODAY))
    assert not criterion_hits([inactive], [record()], EvalContext(), date(2026, 1, 15))


def test_the_most_severe_lane_wins_and_every_reason_is_kept():
    hits = criterion_hits([criterion(lane="yellow")], [record()], EvalContext(), TODAY)
    d = decide(key=(1, 1), policy=Policy(exploration_share=0), criteria=hits, model=view(0.9))
    assert d.lane is Lane.RED and d.method == "model"
    kinds = [r["kind"] for r in d.reasons]
    assert kinds == ["criterion", "model"]
    assert d.reasons[1]["top_features"][0]["feature"] == "h_hs6_value_rate"
    d = decide(key=(1, 1), policy=Policy(exploration_share=0), criteria=hits, model=view(0.1))
    assert d.lane is Lane.YELLOW and d.method == "criteria"


def test_watchlists_select_parties():
    w = Watchlist(7, "undervaluers", Lane.RED, {"seller": frozenset({"ACME|CN"})})
    hits = watch_hits([w], [record(), record()])
    assert len(hits) == 1
    d = decide(key=(1, 1), policy=Policy(exploration_share=0), watches=hits)
    assert d.lane is Lane.RED and d.reasons[0]["watchlist"] == "undervaluers"
    assert check_watchlist_entry({"field": "importer", "party": "123-45-67890"}) == (
        "importer",
        "BRN:1234567890",
        None,
    )
    with pytest.raises(ValidationFailed):
        check_watchlist_entry({"field": "ship", "party": ""})


def test_green_without_anything_and_draws_are_reproducible():
    d = decide(key=(5, 1), policy=Policy(exploration_share=0), model=view(0.2))
    assert d.lane is Lane.GREEN
    assert draw("s", 1, 2) == draw("s", 1, 2) != draw("s", 1, 3)


def test_exploration_share_is_respected_and_only_for_unselected_traffic():
    policy = Policy(exploration_share=0.1, exploration_red_share=0.5)
    lanes = [decide(key=(i, 1), policy=policy, model=view(0.2)).lane for i in range(4000)]
    explored = sum(lane is not Lane.GREEN for lane in lanes) / len(lanes)
    assert 0.08 < explored < 0.12
    assert {Lane.RED, Lane.YELLOW} <= set(lanes)
    selected = decide(key=(1, 1), policy=Policy(exploration_share=1.0), model=view(0.95))
    assert selected.method == "model" and not selected.explored


def test_a_criterion_random_rate_applies_to_its_share_of_matches():
    c = criterion(random_rate=0.25)
    hits = criterion_hits([c], [record()], EvalContext(), TODAY)
    applied = [decide(key=(i, 1), policy=Policy(exploration_share=0), criteria=hits) for i in range(2000)]
    share = sum(d.lane is Lane.RED for d in applied) / len(applied)
    assert 0.21 < share < 0.29
    assert all(len(d.criteria) == 1 for d in applied)  # every match is logged, applied or not


def test_policy_validation():
    assert check_policy({"red_share": 0.03}).red_share == 0.03
    with pytest.raises(ValidationFailed) as exc:
        check_policy({"red_share": 0.6, "yellow_share": 0.6, "typo": 1})
    assert {e.pointer for e in exc.value.errors} == {"/yellow_share", "/typo"}


@given(st.floats(0, 1), st.floats(0, 1))
def test_thresholds_map_scores_to_lanes_monotonically(a, b):
    t = Thresholds(red=0.8, yellow=0.5, source="x")
    order = {Lane.GREEN: 0, Lane.YELLOW: 1, Lane.RED: 2}
    if a <= b:
        assert order[t.lane_for(a)] <= order[t.lane_for(b)]
