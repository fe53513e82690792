"""The figures of ``clearway classify benchmark`` (see shared/design/benchmarks.md). Pure functions.

Top-k at a level: the first k *distinct* codes at that level, in the classifier's order, contain the truth's
prefix. A declined case counts as wrong at every level.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    """One benchmark case after classification."""

    truth: str  # digits, 6..10
    national: str  # KR, UK, US, EU
    ranking: tuple[str, ...]  # the classifier's codes in order (HSK10 or HS6), empty when declined
    declined: bool
    latency_ms: float
    after: tuple[str, ...] | None = None  # the ranking after the guided questions (``--guided N``)
    questions: int = 0  # how many questions were asked


def distinct_prefixes(ranking: Iterable[str], digits: int) -> list[str]:
    """The codes cut to ``digits``, first occurrence kept, order kept (codes shorter than that are skipped)."""
    seen: list[str] = []
    for code in ranking:
        if len(code) < digits:
            continue
        prefix = code[:digits]
        if prefix not in seen:
            seen.append(prefix)
    return seen


def top_k_hit(ranking: Sequence[str], truth: str, digits: int, k: int) -> bool:
    if len(truth) < digits:
        return False
    return truth[:digits] in distinct_prefixes(ranking, digits)[:k]


def wilson(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval for a proportion (95% by default); (0, 1) when n is 0."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return (low, high)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default method); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return float(ordered[low])
    return float(ordered[low] + (ordered[high] - ordered[low]) * (position - low))


def _rate(hits: int, n: int) -> float | None:
    return round(hits / n, 4) if n else None


def summarise(outcomes: Sequence[CaseOutcome]) -> dict[str, Any]:
    """The contract's figures over ``outcomes``."""
    n = len(outcomes)

    def hits(digits: int, k: int, cases: Sequence[CaseOutcome] = outcomes) -> int:
        return sum(1 for c in cases if not c.declined and top_k_hit(c.ranking, c.truth, digits, k))

    korean = [c for c in outcomes if c.national == "KR" and len(c.truth) == 10]
    top1 = hits(6, 1)
    low, high = wilson(top1, n)
    latencies = [c.latency_ms for c in outcomes]
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    return {
        "n": n,
        "declined": sum(1 for c in outcomes if c.declined),
        "hs2_top1": _rate(hits(2, 1), n),
        "hs4_top1": _rate(hits(4, 1), n),
        "hs6_top1": _rate(top1, n),
        "hs6_top3": _rate(hits(6, 3), n),
        "hs6_top5": _rate(hits(6, 5), n),
        "hs10_top1": _rate(hits(10, 1, korean), len(korean)) if korean else None,
        "hs6_top1_ci95": [round(low, 4), round(high, 4)],
        "latency_ms_p50": round(p50, 2) if p50 is not None else None,
        "latency_ms_p95": round(p95, 2) if p95 is not None else None,
        **_guided(outcomes),
    }


def _guided(outcomes: Sequence[CaseOutcome]) -> dict[str, Any]:
    """The ``--guided`` figures: top-k after the oracle answered the questions, and how many were asked."""
    if not outcomes or all(o.after is None for o in outcomes):
        return {}
    n = len(outcomes)

    def hits(k: int) -> int:
        return sum(1 for c in outcomes if not c.declined and top_k_hit(c.after or c.ranking, c.truth, 6, k))

    return {
        "hs6_top1_after_questions": _rate(hits(1), n),
        "hs6_top3_after_questions": _rate(hits(3), n),
        "questions_asked_mean": round(sum(o.questions for o in outcomes) / n, 3),
    }
