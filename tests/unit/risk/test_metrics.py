"""Exactly-k selection, precision/recall, AUC and PSI."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score

from clearway.risk.metrics import (
    auc,
    budget_count,
    histogram,
    precision_at,
    psi,
    psi_bins,
    quantile_table,
    recall_at,
    selected_mask,
    threshold_for_share,
    top_k,
)

scores_st = st.lists(
    st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.9, 1.0]) | st.floats(0, 1), min_size=0, max_size=80
)


@given(scores_st, st.integers(0, 100))
def test_exactly_k_rows_are_selected_highest_first_ties_by_row_order(scores, percent):
    k = budget_count(len(scores), percent)
    assert k == (len(scores) * percent) // 100
    chosen = top_k(scores, k)
    assert len(chosen) == k == len(set(chosen.tolist()))
    chosen_set = set(chosen.tolist())
    for i in chosen_set:
        for j in range(len(scores)):
            if j in chosen_set:
                continue
            assert scores[i] > scores[j] or (scores[i] == scores[j] and i < j)


def test_ties_go_to_the_earlier_row():
    assert top_k([0.5, 0.9, 0.5, 0.5], 2).tolist() == [1, 0]
    assert selected_mask([0.5] * 10, 20).tolist() == [True, True] + [False] * 8


def test_precision_and_recall():
    scores = [0.9, 0.8, 0.7, 0.1] * 25  # 100 rows
    labels = [1, 1, 0, 0] * 25
    assert precision_at(scores, labels, 10) == 1.0
    assert recall_at(scores, labels, 10) == pytest.approx(10 / 50)
    assert precision_at([0.3] * 5, [1] * 5, 10) is None  # k = 0
    assert recall_at(scores, [0] * 100, 10) is None


@given(st.lists(st.tuples(st.floats(0, 1), st.booleans()), min_size=2, max_size=60))
def test_auc_matches_sklearn(pairs):
    s = [p[0] for p in pairs]
    y = [p[1] for p in pairs]
    if len(set(y)) < 2:
        assert auc(s, y) is None
    else:
        assert auc(s, y) == pytest.approx(roc_auc_score(y, s))


@given(st.lists(st.floats(0, 1), min_size=20, max_size=300))
def test_psi_is_zero_against_itself_and_never_negative(scores):
    edges = psi_bins(scores)
    counts = histogram(scores, edges)
    assert sum(counts) == len(scores)
    assert psi(counts, counts) == pytest.approx(0.0, abs=1e-12)
    shifted = histogram([min(1.0, x * 0.5 + 0.5) for x in scores], edges)
    assert psi(counts, shifted) >= 0


def test_psi_sees_a_shift():
    rng = np.random.default_rng(0)
    ref = rng.beta(2, 8, 5000)
    edges = psi_bins(ref)
    base = histogram(ref, edges)
    assert psi(base, histogram(rng.beta(2, 8, 2000), edges)) < 0.1
    assert psi(base, histogram(rng.beta(5, 5, 2000), edges)) > 0.25
    with pytest.raises(ValueError):
        psi([1, 2], [1, 2, 3])


@given(st.lists(st.floats(0, 1), min_size=50, max_size=400), st.floats(0.01, 0.5))
def test_threshold_selects_about_the_share(scores, share):
    table = quantile_table(scores)
    t = threshold_for_share(table, share)
    selected = sum(s > t for s in scores) / len(scores)
    ties = max(scores.count(s) for s in scores) / len(scores)
    assert selected >= share - 0.02 - ties or selected == 0
    assert threshold_for_share(table, 0) == float("inf")
