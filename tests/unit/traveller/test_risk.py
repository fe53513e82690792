"""Traveller risk core: facts from API/PNR, rules in the condition language, the model and the selection."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearway.errors import ValidationFailed
from clearway.risk.selection import Policy
from clearway.traveller.risk import (
    DEFAULT_RULES,
    Candidate,
    TravellerFacts,
    TravellerModel,
    check_rule,
    facts_of,
    rule_hits,
    select,
)
from clearway.traveller.traffic import generate
from clearway.traveller.training import examples_of, train

API = {"date_of_birth": "1990-06-30", "document_expiry": "2026-12-01", "nationality": "KOR", "sex": "F"}


def test_facts_read_the_trip_from_the_itinerary() -> None:
    pnr = {
        "booking_date": "2026-11-19",
        "payment": "cash",
        "bags": 3,
        "co_travellers": ["X"],
        "itinerary": [
            {"from": "VTE", "to": "BKK", "date": "2026-11-20"},
            {"from": "BKK", "to": "ICN", "date": "2026-11-21"},
            {"from": "ICN", "to": "BKK", "date": "2026-11-23"},
        ],
    }
    f = facts_of(
        API, pnr, carrier="TG", departure_port="BKK", arrival_port="ICN", arrival_date=date(2026, 11, 21)
    )
    assert (f.departure_country, f.transit_country) == ("LAO", "THA")
    assert (f.stay_days, f.booking_lead_days, f.bags, f.one_way, f.legs) == (2, 2, 3, 0, 3)
    assert (f.age, f.document_days_left) == (36, 10)
    assert {r.code for r in rule_hits(f, DEFAULT_RULES)} == {"T-ROUTE", "T-SHORT-BAGS", "T-LASTMIN-CASH"}
    api_only = facts_of(
        API, None, carrier="KE", departure_port="JFK", arrival_port="ICN", arrival_date=date(2026, 11, 21)
    )
    assert api_only.departure_country == "USA" and api_only.stay_days is None
    assert rule_hits(api_only, DEFAULT_RULES) == []  # a missing value never matches a comparison


def test_rules_are_checked_like_declaration_criteria() -> None:
    with pytest.raises(ValidationFailed) as bad:
        check_rule("X", "x", {"field": "commodity_code", "op": "eq", "value": "1"})
    assert bad.value.errors[0].code == "unknown_field"
    with pytest.raises(ValidationFailed) as always:
        check_rule(
            "X",
            "x",
            {
                "any": [
                    {"field": "bags", "op": "ge", "value": 2},
                    {"field": "bags", "op": "lt", "value": 2},
                    {"field": "bags", "op": "missing"},
                ]
            },
        )
    assert always.value.errors[0].code == "matches_everything"


@given(st.integers(min_value=1, max_value=10_000), st.floats(min_value=0, max_value=1))
def test_exploration_is_reproducible_and_only_for_the_unselected(pid: int, share: float) -> None:
    policy = Policy(exploration_share=share)
    quiet = Candidate(pid, TravellerFacts(bags=1.0))
    flagged = Candidate(pid + 1, TravellerFacts(stay_days=2.0, bags=5.0))
    first = select(
        [quiet, flagged], rules=DEFAULT_RULES, model=None, policy=policy, model_share=0.05, flight_key="F"
    )
    again = select(
        [quiet, flagged], rules=DEFAULT_RULES, model=None, policy=policy, model_share=0.05, flight_key="F"
    )
    assert first == again
    rows = {s.passenger_id: s for s in first}
    assert [r["kind"] for r in rows[pid + 1].reasons] == ["rule"]
    assert rows[pid].by in ("exploration", "none")
    if share == 0:
        assert not rows[pid].selected


def test_the_model_learns_a_planted_pattern_and_explains_itself() -> None:
    traffic = generate(date(2026, 9, 1), 12, passengers_per_flight=40)
    model, metrics = train(examples_of(traffic))
    assert metrics["validation"]["auc"] > 0.6
    later = generate(date(2026, 10, 1), 3, passengers_per_flight=40, seed=7)
    planted = [t.facts for t in later if t.pattern == "agency_youth"]
    ordinary = [t.facts for t in later if t.pattern is None]
    assert model.score(planted).mean() > 2 * model.score(ordinary).mean()
    why = model.explain(planted[:20])
    agency = [c for e in why for c in e.top if c.feature in ("travel_agency", "age", "one_way")]
    assert agency and all(c.contribution > 0 for c in agency)
    assert any("travel agency = SUNRISE TOURS" in c.label for c in agency)
    copy = TravellerModel.from_document(model.to_document({}))
    assert list(copy.score(planted[:5])) == list(model.score(planted[:5]))
