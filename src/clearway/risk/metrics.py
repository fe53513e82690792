"""Selection figures: exactly-k selection, precision and recall at n%, AUC, and score drift (PSI).

Pure numpy. Conventions (``shared/design/benchmarks.md``): for n% of m rows, k = floor(m·n/100) rows with
the highest scores are selected, ties broken by row order (the earlier row first).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike


def budget_count(m: int, percent: float) -> int:
    """k = floor(m · n / 100), computed without floating-point surprises for whole percentages."""
    if m < 0 or percent < 0 or percent > 100:
        raise ValueError("need m ≥ 0 and 0 ≤ percent ≤ 100")
    if float(percent).is_integer():
        return (m * int(percent)) // 100
    return math.floor(m * percent / 100 + 1e-9)


def top_k(scores: Sequence[float] | np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores; among equal scores the earlier row wins. NaN counts as lowest."""
    s = np.asarray(scores, dtype=np.float64)
    if k <= 0 or s.size == 0:
        return np.zeros(0, dtype=np.int64)
    s = np.where(np.isnan(s), -np.inf, s)
    order = np.lexsort((np.arange(s.size), -s))  # primary: score descending; secondary: row ascending
    return order[: min(k, s.size)]


def selected_mask(scores: ArrayLike, percent: float) -> np.ndarray:
    s = np.asarray(scores, dtype=np.float64)
    mask = np.zeros(s.size, dtype=bool)
    mask[top_k(s, budget_count(s.size, percent))] = True
    return mask


def precision_at(scores: ArrayLike, labels: ArrayLike, percent: float) -> float | None:
    mask = selected_mask(scores, percent)
    if not mask.any():
        return None
    return float(np.asarray(labels, dtype=np.float64)[mask].mean())


def recall_at(scores: ArrayLike, labels: ArrayLike, percent: float) -> float | None:
    y = np.asarray(labels, dtype=np.float64)
    positives = y.sum()
    if positives == 0:
        return None
    return float(y[selected_mask(scores, percent)].sum() / positives)


def auc(scores: ArrayLike, labels: ArrayLike) -> float | None:
    """Area under the ROC curve (Mann–Whitney, ties count one half). None when one class is absent."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels).astype(bool)
    n_pos = int(y.sum())
    n_neg = int(y.size - n_pos)
    if n_pos == 0 or n_neg == 0:
        return None
    s = np.where(np.isnan(s), -np.inf, s)
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(s.size, dtype=np.float64)
    sorted_s = s[order]
    i = 0
    while i < s.size:  # average ranks over ties
        j = i
        while j + 1 < s.size and sorted_s[j + 1] == sorted_s[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def selection_report(
    scores: ArrayLike, fraud: ArrayLike, critical: ArrayLike, percents: Sequence[int] = (1, 2, 5, 10)
) -> dict[str, float | None]:
    """The benchmark figures: precision@n and recall@n for n = 1..10, critical recall@5/@10, AUC."""
    out: dict[str, float | None] = {}
    for p in percents:
        out[f"precision@{p}"] = precision_at(scores, fraud, p)
    for p in range(1, 11):
        out[f"recall@{p}"] = recall_at(scores, fraud, p)
    out["critical_recall@5"] = recall_at(scores, critical, 5)
    out["critical_recall@10"] = recall_at(scores, critical, 10)
    out["auc"] = auc(scores, fraud)
    return out


# ---- thresholds from a score distribution ------------------------------------------------------------------


def quantile_table(scores: ArrayLike, points: int = 1001) -> list[float]:
    """Scores at evenly spaced quantiles 0, 1/(points−1), ..., 1 (stored with a model as its reference)."""
    s = np.asarray(scores, dtype=np.float64)
    s = s[~np.isnan(s)]
    if s.size == 0:
        return []
    return [float(v) for v in np.quantile(s, np.linspace(0.0, 1.0, points))]


def threshold_for_share(table: Sequence[float], share: float) -> float:
    """The score above which about ``share`` (0..1) of the reference distribution lies.

    A declaration is selected when its score is strictly greater than the threshold, so share 0 selects
    nothing.
    """
    if not table:
        raise ValueError("empty score distribution")
    if share <= 0:
        return math.inf
    if share >= 1:
        return -math.inf
    q = 1.0 - share
    position = q * (len(table) - 1)
    lo = math.floor(position)
    hi = min(lo + 1, len(table) - 1)
    value = table[lo] + (table[hi] - table[lo]) * (position - lo)
    # the threshold must be a score that leaves the top `share` above it: step just below the quantile value
    return math.nextafter(value, -math.inf)


# ---- drift -------------------------------------------------------------------------------------------------


def psi_bins(reference_scores: ArrayLike, bins: int = 10) -> list[float]:
    """Inner bin edges: the reference distribution's deciles (duplicates removed)."""
    s = np.asarray(reference_scores, dtype=np.float64)
    s = s[~np.isnan(s)]
    if s.size == 0:
        return []
    edges = np.unique(np.quantile(s, np.linspace(0, 1, bins + 1)[1:-1]))
    return [float(e) for e in edges]


def histogram(scores: ArrayLike, edges: Sequence[float]) -> list[int]:
    s = np.asarray(scores, dtype=np.float64)
    s = s[~np.isnan(s)]
    idx = np.searchsorted(np.asarray(edges, dtype=np.float64), s, side="right")
    return [int(c) for c in np.bincount(idx, minlength=len(edges) + 1)]


def psi(expected_counts: Sequence[float], actual_counts: Sequence[float], floor: float = 1e-4) -> float:
    """Population stability index Σ (a−e)·ln(a/e) over bins of shares; 0 means no drift.

    Empty bins get a small floor share so the index stays finite. Rule of thumb: < 0.1 stable, 0.1–0.25
    some drift, > 0.25 a shift worth retraining for.
    """
    e = np.asarray(expected_counts, dtype=np.float64)
    a = np.asarray(actual_counts, dtype=np.float64)
    if e.shape != a.shape or e.size == 0:
        raise ValueError("PSI needs two histograms over the same bins")
    if e.sum() <= 0 or a.sum() <= 0:
        raise ValueError("PSI needs scores on both sides")
    pe = np.maximum(e / e.sum(), floor)
    pa = np.maximum(a / a.sum(), floor)
    return float(np.sum((pa - pe) * np.log(pa / pe)))


@dataclass(frozen=True, slots=True)
class ScoreReference:
    """The score distribution of new declarations: quantiles (thresholds) and decile bins (PSI)."""

    quantiles: list[float]
    psi_edges: list[float]
    psi_counts: list[int]
    source: str  # "holdout" or "in-sample"

    def as_dict(self) -> dict[str, Any]:
        return {
            "quantiles": self.quantiles,
            "psi_edges": self.psi_edges,
            "psi_counts": self.psi_counts,
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ScoreReference:
        return cls(list(d["quantiles"]), list(d["psi_edges"]), list(d["psi_counts"]), str(d["source"]))

    @classmethod
    def of(cls, scores: np.ndarray, source: str) -> ScoreReference:
        edges = psi_bins(scores)
        return cls(quantile_table(scores), edges, histogram(scores, edges), source)
