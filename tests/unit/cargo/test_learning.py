"""The pre-arrival model and its generated history: reproducible, leak-free history features, a model that
ranks the planted patterns above ordinary cargo, explanations in words, and a model file that reads back."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearway.caches import Caches
from clearway.cargo import history, learning
from clearway.risk.model import ModelFileError


@pytest.fixture(scope="module")
def generated() -> history.History:
    return history.generate(weeks=14, seed=5, unseen_from=12)


@pytest.fixture(scope="module")
def trained(generated: history.History) -> learning.Trained:
    bills = generated.of_weeks(0, 11)
    return learning.train(
        [b.record for b in bills],
        [b.outcome for b in bills],
        now=datetime(2026, 12, 1, tzinfo=UTC),
        trained_by="t",
    )


def test_history_is_reproducible_and_the_unseen_pattern_starts_when_told(generated: history.History) -> None:
    again = history.generate(weeks=14, seed=5, unseen_from=12)
    assert [b.record for b in again.bills[:200]] == [b.record for b in generated.bills[:200]]
    unseen_weeks = {b.week for b in generated.bills if b.pattern == history.UNSEEN}
    assert unseen_weeks and min(unseen_weeks) == 12
    assert all(b.outcome is None for b in generated.bills if not b.examined)
    assert {b.pattern for b in generated.bills if b.irregular} >= set(history.PATTERNS)


def test_the_model_ranks_planted_patterns_far_above_ordinary_cargo(
    generated: history.History, trained: learning.Trained
) -> None:
    test = generated.of_weeks(12, 13)
    scores = trained.model.score([b.record for b in test])
    y = np.array([b.irregular for b in test])
    top = scores >= np.quantile(scores, 0.9)
    assert y[top].mean() > 2 * y.mean()  # the top 10 % hold at least twice the base rate
    planted = np.array([b.pattern in history.PATTERNS for b in test])
    assert scores[planted].mean() > 2 * scores[~planted].mean()


def test_explanations_name_the_features_that_raised_the_score(
    generated: history.History, trained: learning.Trained
) -> None:
    label = "description words never seen with this HS chapter"
    test = generated.of_weeks(12, 13)
    mismatched = [b.record for b in test if b.pattern == "hs_mismatch"]
    ordinary = [b.record for b in test if b.pattern is None][:500]

    def named(records: list[learning.CargoRecord]) -> float:
        explanations = trained.model.explain(records)
        assert all(c.contribution > 0 for e in explanations for c in e.top)
        return sum(label in [c.label for c in e.top] for e in explanations) / len(records)

    assert named(mismatched) > 0.3 and named(mismatched) > 5 * named(ordinary)


def test_model_file_reads_back_and_a_damaged_one_is_refused(
    trained: learning.Trained, tmp_path: Path
) -> None:
    learning.save(tmp_path, trained.document)
    caches = Caches()
    loaded = learning.current(tmp_path, caches)
    assert loaded is not None and loaded.version == trained.version
    record = history.generate(weeks=1, seed=9).bills[0].record
    assert loaded.model.score([record])[0] == pytest.approx(trained.model.score([record])[0])
    assert learning.current(tmp_path / "nothing") is None
    path = next((tmp_path / "cargo").glob("cargo-model-*.json.gz"))
    path.write_bytes(path.read_bytes()[:-10] + b"0123456789")
    assert learning.current(tmp_path, caches) is loaded  # read once per runtime: the damage is not seen
    caches.clear()
    with pytest.raises(ModelFileError):
        learning.current(tmp_path, caches)


def test_too_few_examinations_cannot_train() -> None:
    bills = history.generate(weeks=1, seed=1).bills[:30]
    with pytest.raises(learning.NotEnoughExaminations):
        learning.CargoModel().fit([b.record for b in bills], [b.outcome for b in bills])


BASE = history.generate(weeks=1, seed=3).bills[0].record


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.booleans(), st.integers(0, 4)), min_size=2, max_size=20))
def test_a_bill_never_sees_an_outcome_known_after_its_day(rows: list[tuple[int, bool, int]]) -> None:
    """History features are computed from what was known before the bill's day: changing the outcome of a
    bill known on or after day d changes nothing for the bills of day d or earlier."""
    start = date(2026, 1, 1)
    records = [
        replace(BASE, bill=f"B{i}", arrival_date=start + timedelta(days=d))
        for i, (d, _, _) in enumerate(rows)
    ]
    outcomes = [learning.CargoOutcome(found, start + timedelta(days=d + delay)) for (d, found, delay) in rows]
    X = learning.training_matrix(records, outcomes, learning.HistoryState())
    flipped = [learning.CargoOutcome(not o.found, o.known_on) for o in outcomes]
    Y = learning.training_matrix(records, flipped, learning.HistoryState())
    for i, r in enumerate(records):
        if all(o.known_on >= r.arrival_date for o in outcomes):
            assert np.allclose(X[i], Y[i], equal_nan=True)
