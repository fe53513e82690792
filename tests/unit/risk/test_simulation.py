"""The deployment simulator: only the declarations it checks reveal their outcome, and the policies spend the
budget as stated."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearway.errors import ValidationFailed
from clearway.risk.features import FeatureBuilder
from clearway.risk.learning.figures import drift_drops, duty_at_stake, evaluate
from clearway.risk.learning.simulate import LabelOracle, Population, Settings, simulate
from clearway.risk.metrics import budget_count
from clearway.risk.model import RiskModel
from clearway.risk.records import Outcome
from clearway.risk.selection import EXPLORATION_METHODS, BinStats, BudgetPolicy, Pick, select_batch
from tests.unit.risk.helpers import record, synthetic

FAST = {"n_estimators": 20, "num_leaves": 7, "learning_rate": 0.2, "n_jobs": 1}
START = date(2025, 1, 1)


def world(n: int = 900, seed: int = 3):  # type: ignore[no-untyped-def]
    return synthetic(n, seed=seed, start=START)  # 8 declarations a day


def run_sim(records, outcomes, policy: BudgetPolicy, weeks: int = 6):  # type: ignore[no-untyped-def]
    config = Settings(
        start=START + timedelta(days=28), weeks=weeks, budget=10, policy=policy, model_params=dict(FAST)
    )
    oracle = LabelOracle(outcomes)
    return simulate(records, oracle, config), oracle


def flipped(outcome: Outcome) -> Outcome:
    return replace(outcome, fraud=not outcome.fraud, critical=not outcome.fraud)


@pytest.mark.parametrize("method", ["random", "novelty", "thompson"])
def test_an_unselected_declarations_label_is_never_seen(method: str) -> None:
    records, outcomes = world()
    policy = BudgetPolicy(method=method, exploration_share=0.3)
    trace, oracle = run_sim(records, outcomes, policy)
    selected = [i for w in trace.weeks for i in w.selected]
    # the oracle revealed the warm start and the checked declarations, nothing else
    assert oracle.log == trace.warm + selected
    assert len(set(selected)) == len(selected)
    simulated = [i for w in trace.weeks for i in w.indices]
    assert len(selected) < len(simulated) // 5

    # every label the simulator did not reveal, turned the other way: the run cannot tell the difference
    revealed = set(oracle.log)
    other_world = [o if i in revealed else flipped(o) for i, o in enumerate(outcomes)]
    assert sum(o.fraud != p.fraud for o, p in zip(outcomes, other_world, strict=True)) > 500
    again, _ = run_sim(records, other_world, policy)
    for a, b in zip(trace.weeks, again.weeks, strict=True):
        assert a.selected == b.selected and a.scores == b.scores

    # whereas a revealed label does change what the model learns
    first_checked = trace.weeks[0].selected
    changed = [flipped(o) if i in first_checked else o for i, o in enumerate(outcomes)]
    third, _ = run_sim(records, changed, policy)
    assert any(a.scores != b.scores for a, b in zip(trace.weeks[1:], third.weeks[1:], strict=True))


def test_each_week_checks_its_budget_and_the_figures_add_up() -> None:
    records, outcomes = world()
    trace, _ = run_sim(records, outcomes, BudgetPolicy("random", 0.3))
    out = evaluate(trace, records, outcomes)
    for week, figures in zip(trace.weeks, out["weeks"], strict=True):
        assert len(week.selected) == budget_count(len(week.indices), 10) == figures["checked"]
        assert week.methods.count("exploration") == round(len(week.selected) * 0.3) == figures["explored"]
        assert figures["found"] == sum(outcomes[i].fraud for i in week.selected)
        assert all(records[i].declared_on >= week.start for i in week.indices)
    o = out["overall"]
    assert o["checked"] == sum(w["checked"] for w in out["weeks"])
    assert o["precision"] == round(o["found"] / o["checked"], 4)
    assert o["warm_start_labelled"] == len(trace.warm) == 28 * 8
    # the model learns from more outcomes each week: the warm start plus every earlier week's checks
    trained = [w.model_trained_on for w in trace.weeks]
    assert trained[0] == len(trace.warm)
    assert all(b - a == len(w.selected) for a, b, w in zip(trained, trained[1:], trace.weeks, strict=False))


def test_the_model_beats_chance_on_the_synthetic_world() -> None:
    records, outcomes = world()
    trace, _ = run_sim(records, outcomes, BudgetPolicy("none", 0.0))
    out = evaluate(trace, records, outcomes)
    base_rate = sum(o.fraud for o in outcomes) / len(outcomes)
    assert out["overall"]["precision"] > base_rate + 0.2
    assert out["overall"]["explored"] == 0


def test_settings_that_cannot_run_are_named() -> None:
    records, outcomes = world(200)
    with pytest.raises(ValidationFailed) as err:
        simulate(records, LabelOracle(outcomes), Settings(start=START, weeks=0, budget=0))
    assert {e.pointer for e in err.value.errors} == {"--weeks", "--budget", "--start"}
    with pytest.raises(ValidationFailed):
        BudgetPolicy(method="greedy")


scores_lists = st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None)
@given(scores_lists, st.integers(0, 70), st.sampled_from(EXPLORATION_METHODS), st.floats(0, 1))
def test_a_batch_gets_exactly_its_budget_with_the_top_scores_exploited(
    scores: list[float], k: int, method: str, share: float
) -> None:
    policy = BudgetPolicy(method=method, exploration_share=share)
    keys = [f"d{i}" for i in range(len(scores))]
    checks = [i % 3 for i in range(len(scores))]
    picks = select_batch(scores, k, keys, policy, BinStats.empty(policy.bins), checks=checks)
    chosen = [p.index for p in picks]
    assert len(chosen) == min(k, len(scores)) == len(set(chosen))
    exploited = [p.index for p in picks if p.method == "model"]
    assert len(exploited) == len(chosen) - policy.explored(len(chosen))
    top = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[: len(exploited)]
    assert exploited == top
    again = select_batch(scores, k, keys, policy, BinStats.empty(policy.bins), checks=checks)
    assert picks == again  # reproducible


def test_novelty_explores_never_checked_templates_first() -> None:
    scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]
    picks = select_batch(scores, 3, list("abcdef"), BudgetPolicy("novelty", 2 / 3), checks=[0, 5, 4, 0, 2, 0])
    assert [p.index for p in picks] == [0, 3, 5]


def test_ucb_visits_every_bin_before_returning_to_one() -> None:
    scores = [i / 100 for i in range(100)]
    policy = BudgetPolicy("ucb", 1.0, bins=5)
    picks = select_batch(scores, 5, [str(i) for i in range(100)], policy, BinStats.empty(5))
    assert sorted(p.bin for p in picks) == [0, 1, 2, 3, 4]


def test_the_model_learns_from_the_checked_only_and_unchecked_values_still_form_the_reference() -> None:
    records, outcomes = world(400)
    partial = [o if i % 3 == 0 else None for i, o in enumerate(outcomes)]
    builder = FeatureBuilder().fit(records)
    X_all, _ = builder.training_matrix(records, partial)
    X, labelled, state = builder.labelled_matrix(records, partial)
    assert labelled == list(range(0, 400, 3))
    np.testing.assert_array_equal(X, X_all[labelled])
    assert state.total[0] == len(labelled)
    assert sum(int(c[0]) for c in state.reference.values()) == len(records)
    model = RiskModel(**FAST).fit(records, partial)
    assert model.n_train_ == len(labelled)


def test_revenue_and_drift_figures() -> None:
    assert duty_at_stake(record(value_krw=1_000_000.5, tax_rate=8.0)) == 80_000
    assert duty_at_stake(record(value_krw=None)) == 0
    weeks = [
        {"week": str(i), "precision": p, "psi": 0.3 if i == 4 else 0.01, "psi_status": "x", "auc": 0.7}
        for i, p in enumerate([0.9, 0.9, 0.9, 0.9, 0.5, 0.8, 0.95, 0.9])
    ]
    (drop,) = drift_drops(weeks)
    assert drop["week"] == "4" and drop["psi"] == 0.3 and drop["recovery_weeks"] == 2


def test_a_population_base_rate_is_the_prior_and_is_kept_in_the_model_file() -> None:
    records, outcomes = world(300)
    builder = FeatureBuilder().fit(records)
    _, _, biased = builder.labelled_matrix(records, outcomes)
    n, f, c = biased.total
    assert biased.prior() == ((f + 1.0) / (n + 5.0), (c + 0.1) / (n + 5.0))
    _X, _, state = builder.labelled_matrix(records, outcomes, base_rate=(0.05, 0.001))
    assert state.prior() == (0.05, 0.001)
    unseen = record(hs6="999999", value_key="KRW:1", mass_key="7", origin_country="ZZ")
    rate = builder.names.index("h_hs6_value_rate")
    assert builder.matrix([unseen], state)[0, rate] == 0.05
    assert builder.matrix([unseen], biased)[0, rate] > 0.1
    model = RiskModel(**FAST).fit(records, outcomes, base_rate=(0.05, 0.001))
    loaded = RiskModel.from_document(model.to_document())
    assert loaded.state_.prior() == (0.05, 0.001)
    np.testing.assert_allclose(loaded.score(records[:20]), model.score(records[:20]))
    plain = RiskModel(**FAST).fit(records, outcomes)
    assert "base_rate" not in plain.to_document()["state"]


def test_the_population_rate_weights_random_checks_by_their_selection_probability() -> None:
    population = Population()
    for fraud in [True] * 20 + [False] * 80:
        population.add_census(Outcome(fraud=fraud))
    # 100 declarations: 5 exploited (all findings), 5 random checks standing for the other 95 (1 finding)
    picks = [Pick(i, "model") for i in range(5)] + [Pick(i, "exploration") for i in range(5, 10)]
    found = [Outcome(True)] * 5 + [Outcome(True)] + [Outcome(False)] * 4
    population.add_week(100, picks, found)
    assert population.n == 200
    assert population.findings == pytest.approx(20 + 5 + 95 / 5)
    # a week of pure exploitation says nothing about the population
    population.add_week(100, [Pick(0, "model")], [Outcome(True)])
    assert population.n == 200
