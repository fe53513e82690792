"""The benchmark's figures (shared/design/benchmarks.md): distinct-prefix top-k, Wilson interval, percentiles."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearway.classification.metrics import (
    CaseOutcome,
    distinct_prefixes,
    percentile,
    summarise,
    top_k_hit,
    wilson,
)


def test_top_k_counts_distinct_codes_at_the_level():
    ranking = ["8471300000", "8471300010", "8471410000", "8517130000"]
    assert distinct_prefixes(ranking, 4) == ["8471", "8517"]
    assert distinct_prefixes(ranking, 6) == ["847130", "847141", "851713"]
    # two national lines of one HS6 do not use up two places of the HS6 top-2
    assert top_k_hit(ranking, "8471410000", 6, 2)
    assert not top_k_hit(ranking, "8517130000", 6, 2)
    assert top_k_hit(ranking, "8517130000", 4, 2)
    assert not top_k_hit(ranking, "847130", 10, 1)  # a 6-digit truth has no 10-digit answer


def test_summary_counts_declines_as_wrong_and_hs10_on_korean_cases_only():
    outcomes = [
        CaseOutcome("8471300000", "KR", ("8471300000",), False, 10.0),
        CaseOutcome("8517130000", "KR", ("8517620000", "8517130000"), False, 20.0),
        CaseOutcome("6403990000", "KR", (), True, 1.0),
        CaseOutcome("64039900", "EU", ("6403991000",), False, 30.0),
    ]
    s = summarise(outcomes)
    assert s["n"] == 4 and s["declined"] == 1
    assert s["hs6_top1"] == 0.5 and s["hs6_top3"] == 0.75 and s["hs4_top1"] == 0.75 and s["hs2_top1"] == 0.75
    assert s["hs10_top1"] == round(1 / 3, 4)
    assert s["latency_ms_p50"] == 15.0
    assert set(s) == {
        "n",
        "declined",
        "hs2_top1",
        "hs4_top1",
        "hs6_top1",
        "hs6_top3",
        "hs6_top5",
        "hs10_top1",
        "hs6_top1_ci95",
        "latency_ms_p50",
        "latency_ms_p95",
    }


def test_no_korean_cases_gives_null_hs10():
    s = summarise([CaseOutcome("640399", "UK", ("640399",), False, 1.0)])
    assert s["hs10_top1"] is None and s["hs6_top1"] == 1.0


def test_wilson_known_value():
    low, high = wilson(60, 100)
    assert low == pytest.approx(0.5020, abs=1e-4) and high == pytest.approx(0.6906, abs=1e-4)
    assert wilson(0, 0) == (0.0, 1.0)


@given(st.integers(0, 500), st.integers(1, 500))
def test_wilson_contains_the_rate(successes, n):
    successes = min(successes, n)
    low, high = wilson(successes, n)
    assert 0.0 <= low <= successes / n <= high <= 1.0


@given(
    st.lists(st.floats(0, 1e4, allow_nan=False), min_size=1, max_size=50), st.sampled_from([0, 50, 95, 100])
)
def test_percentile_matches_numpy(values, q):
    assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)))
