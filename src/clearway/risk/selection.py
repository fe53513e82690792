"""The selection policy: criteria, watchlists, model score and exploration → one lane with its reasons. Pure.

* Criteria and watchlists send matching declarations to their lane (a criterion only for its random-rate share
  of them, drawn reproducibly).
* The model's budget: the highest-scoring ``red_share`` of declarations go red and the next ``yellow_share``
  yellow. Declarations arrive one at a time, so the budget is turned into per-declaration score thresholds
  from a reference score distribution (the model's out-of-time holdout, or the scores of recent filings).
* Exploration ("take a chance", WCO BACUDA): a random ``exploration_share`` of the declarations nothing else
  selected goes to a check anyway, so the model keeps seeing traffic it would not have picked.

The most severe lane wins (red > yellow > blue > green). Random draws are hashes of the declaration's id and
version, so the same declaration always gets the same draw and an auditor can reproduce it.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from clearway.declaration.lifecycle import Lane
from clearway.errors import FieldError, ValidationFailed
from clearway.risk.criteria import SEVERITY, CriterionHit, WatchHit
from clearway.risk.metrics import threshold_for_share
from clearway.risk.model import Explanation


@dataclass(frozen=True, slots=True)
class Policy:
    red_share: float = 0.05  # of all declarations, by model score
    yellow_share: float = 0.10
    exploration_share: float = 0.02  # of the declarations nothing else selected
    exploration_red_share: float = 0.2  # of the explored declarations, the share inspected physically
    seed: str = "clearway-risk"

    def as_dict(self) -> dict[str, Any]:
        return {
            "red_share": self.red_share,
            "yellow_share": self.yellow_share,
            "exploration_share": self.exploration_share,
            "exploration_red_share": self.exploration_red_share,
            "seed": self.seed,
        }


def check_policy(data: Any) -> Policy:
    if not isinstance(data, dict):
        raise ValidationFailed(
            "a policy is a JSON object", errors=[FieldError("", "not_an_object", "object")]
        )
    errors = []
    values = {}
    defaults = Policy()
    for key in ("red_share", "yellow_share", "exploration_share", "exploration_red_share"):
        v = data.get(key, getattr(defaults, key))
        if not isinstance(v, int | float) or isinstance(v, bool) or not (0 <= v <= 1):
            errors.append(FieldError(f"/{key}", "bad_share", f"'{key}' is a share from 0 to 1"))
        else:
            values[key] = float(v)
    if not errors and values["red_share"] + values["yellow_share"] > 1:
        errors.append(FieldError("/yellow_share", "over_budget", "red and yellow shares exceed 100%"))
    seed = data.get("seed", defaults.seed)
    if not isinstance(seed, str) or not seed:
        errors.append(FieldError("/seed", "not_a_string", "'seed' is text"))
    extra = set(data) - {"red_share", "yellow_share", "exploration_share", "exploration_red_share", "seed"}
    errors += [FieldError(f"/{k}", "unknown_field", f"unknown field '{k}'") for k in sorted(extra)]
    if errors:
        raise ValidationFailed(f"{len(errors)} problem(s) in the policy", errors=errors)
    return Policy(seed=seed, **values)


def draw(seed: str, *parts: Any) -> float:
    """A reproducible uniform number in [0, 1) from the seed and the parts."""
    digest = hashlib.sha256("\x1f".join([seed, *map(str, parts)]).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass(frozen=True, slots=True)
class Thresholds:
    red: float
    yellow: float
    source: str

    @classmethod
    def from_quantiles(cls, table: Sequence[float], policy: Policy, source: str) -> Thresholds:
        return cls(
            threshold_for_share(table, policy.red_share),
            threshold_for_share(table, min(1.0, policy.red_share + policy.yellow_share)),
            source,
        )

    def lane_for(self, score: float) -> Lane:
        if score > self.red:
            return Lane.RED
        if score > self.yellow:
            return Lane.YELLOW
        return Lane.GREEN


@dataclass(frozen=True, slots=True)
class ModelView:
    """What the selector knows of the model for one declaration."""

    version: str
    score: float
    explanation: Explanation | None
    thresholds: Thresholds
    line: str = ""


@dataclass
class Decision:
    lane: Lane
    method: str
    score: float | None
    reasons: list[dict[str, Any]]
    explored: bool = False
    criteria: list[dict[str, Any]] = field(default_factory=list)  # every hit, applied or not (for monitoring)

    def as_dict(self) -> dict[str, Any]:
        return {
            "lane": self.lane.value,
            "method": self.method,
            "score": self.score,
            "reasons": self.reasons,
            "explored": self.explored,
        }


def _worse(a: Lane, b: Lane) -> bool:
    return SEVERITY[a] > SEVERITY[b]


def decide(
    *,
    key: tuple[Any, ...],
    policy: Policy,
    criteria: Sequence[CriterionHit] = (),
    watches: Sequence[WatchHit] = (),
    model: ModelView | None = None,
    notes: Sequence[dict[str, Any]] = (),
) -> Decision:
    """Combine everything into the lane. ``key`` identifies the declaration (id, version) for the draws."""
    lane, method = Lane.GREEN, "none"
    reasons: list[dict[str, Any]] = []
    hits_log: list[dict[str, Any]] = []

    for w in watches:
        reasons.append(w.reason())
        if _worse(w.watchlist.lane, lane):
            lane, method = w.watchlist.lane, "watchlist"
    for hit in criteria:
        spec = hit.criterion.spec
        applied = (
            spec.random_rate >= 1.0 or draw(policy.seed, "criterion", spec.code, *key) < spec.random_rate
        )
        hits_log.append(hit.reason(applied))
        if applied:
            reasons.append(hit.reason(True))
            if _worse(spec.lane, lane):
                lane, method = spec.lane, "criteria"

    score = None
    if model is not None:
        score = model.score
        model_lane = model.thresholds.lane_for(model.score)
        top = model.explanation.as_dict()["top"] if model.explanation else []
        fallbacks = model.explanation.fallbacks if model.explanation else []
        bound = model.thresholds.red if model_lane is Lane.RED else model.thresholds.yellow
        relation = (
            f"above {_finite(bound)}"
            if model_lane is not Lane.GREEN
            else f"not above {_finite(model.thresholds.yellow)}"
        )
        if model.explanation is None:
            wording = "explanation on request"
        else:
            wording = "raised most by: " + (", ".join(c["label"] for c in top) or "no single feature")
        reasons.append(
            {
                "kind": "model",
                "model_version": model.version,
                "score": round(model.score, 6),
                "lane": model_lane.value,
                "thresholds": {
                    "red": _finite(model.thresholds.red),
                    "yellow": _finite(model.thresholds.yellow),
                    "source": model.thresholds.source,
                },
                "explained": model.explanation is not None,
                "top_features": top,
                "fallbacks": fallbacks,
                "where": model.line,
                "message": f"risk score {model.score:.3f} ({model_lane.value}: {relation}); {wording}",
            }
        )
        if _worse(model_lane, lane):
            lane, method = model_lane, "model"

    explored = False
    if (
        lane in (Lane.GREEN, Lane.BLUE)
        and policy.exploration_share > 0
        and draw(policy.seed, "explore", *key) < policy.exploration_share
    ):
        explored = True
        lane = (
            Lane.RED
            if draw(policy.seed, "explore-lane", *key) < policy.exploration_red_share
            else Lane.YELLOW
        )
        method = "exploration"
        reasons.append(
            {
                "kind": "random",
                "lane": lane.value,
                "share": policy.exploration_share,
                "message": f"chosen at random for a {lane.value} check (exploration share "
                f"{policy.exploration_share:.0%}): keeps the risk model learning",
            }
        )
    reasons += list(notes)
    if method == "none":
        reasons.insert(0, {"kind": "green", "message": "no criterion, watchlist or model score selected it"})
    return Decision(lane, method, score, reasons, explored, hits_log)


def _finite(x: float) -> float | None:
    return None if math.isinf(x) else round(x, 6)


# ---- a week's inspection budget: exploitation and exploration ----------------------------------------------
#
# When a batch of declarations is scored together (the deployment simulator replays a week at a time), a
# budget of k checks is split: the model's top (1 − exploration_share)·k scores are exploited, and the other
# checks explore the declarations the model would have let through. How they are explored is the method:
#
# * none        – pure exploitation: all k checks go to the highest scores;
# * random      – uniformly at random among the rest (hash draws of the declaration's key, as ``decide``);
# * thompson    – Thompson sampling over score bins: the rest is cut into ``bins`` bins by score rank; each
#                 bin's finding rate has a Beta(1 + findings, 1 + checked − findings) posterior from earlier
#                 exploration checks in that bin; each check samples every bin and draws a declaration at
#                 random from the bin with the highest sample;
# * ucb         – the same bins, choosing the bin with the highest upper confidence bound
#                 rate + c·sqrt(2·ln N / n) (an unvisited bin first);
# * uncertainty – the rest with the score closest to 0.5 (largest p·(1 − p)): where the model is least sure;
# * novelty     – the rest whose declared template (commodity at this identical declared value) was checked
#                 least often before, the highest score first among equals: each check teaches the model a
#                 template it will meet again (the value-history features), rather than a random row.

EXPLORATION_METHODS = ("none", "random", "thompson", "ucb", "uncertainty", "novelty")


@dataclass(frozen=True, slots=True)
class BudgetPolicy:
    """How a batch's budget is spent. Defaults: the setting chosen in benchmarks/risk/RESULTS.md."""

    method: str = "novelty"
    exploration_share: float = 0.02  # of the budget's checks
    bins: int = 10
    ucb_c: float = 1.0
    seed: str = "clearway-risk"

    def __post_init__(self) -> None:
        if self.method not in EXPLORATION_METHODS:
            raise ValidationFailed(
                f"unknown exploration method '{self.method}'",
                errors=[FieldError("/method", "unknown_method", f"one of {', '.join(EXPLORATION_METHODS)}")],
            )
        if not 0 <= self.exploration_share <= 1:
            raise ValidationFailed(
                "the exploration share is a share from 0 to 1",
                errors=[FieldError("/exploration_share", "bad_share", "from 0 to 1")],
            )
        if self.bins < 1:
            raise ValidationFailed("at least one bin", errors=[FieldError("/bins", "bad_bins", "≥ 1")])

    def explored(self, k: int) -> int:
        """How many of ``k`` checks explore (none when the method is pure exploitation)."""
        if self.method == "none":
            return 0
        return min(k, round(k * self.exploration_share))

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "exploration_share": self.exploration_share if self.method != "none" else 0.0,
            "bins": self.bins,
            "ucb_c": self.ucb_c,
            "seed": self.seed,
        }


@dataclass
class BinStats:
    """Exploration checks and findings per score bin (bin 0 = lowest scores of the unexploited rest)."""

    checked: list[int]
    findings: list[int]

    @classmethod
    def empty(cls, bins: int) -> BinStats:
        return cls([0] * bins, [0] * bins)

    def add(self, b: int, finding: bool) -> None:
        self.checked[b] += 1
        self.findings[b] += int(finding)


@dataclass(frozen=True, slots=True)
class Pick:
    index: int  # position in the batch
    method: str  # "model" or "exploration"
    bin: int | None = None  # the score bin an exploration check came from


def score_bins(scores: Sequence[float], bins: int) -> list[int]:
    """Bin of each score by its rank among ``scores`` (equal bins; the highest scores in the top one)."""
    n = len(scores)
    order = sorted(range(n), key=lambda i: (scores[i], -i))
    out = [0] * n
    for rank, i in enumerate(order):
        out[i] = min(bins - 1, rank * bins // max(n, 1))
    return out


def select_batch(
    scores: Sequence[float],
    k: int,
    keys: Sequence[Any],
    policy: BudgetPolicy,
    stats: BinStats | None = None,
    *,
    batch: Any = 0,
    checks: Sequence[int] | None = None,
) -> list[Pick]:
    """Choose ``k`` of the batch: the exploited top scores, then the exploration checks. Reproducible: draws
    are hashes of the policy's seed, the batch and the declaration's key. ``checks`` (for ``novelty``): how
    often each declaration's template was checked before."""
    n = len(scores)
    k = max(0, min(k, n))
    n_explore = policy.explored(k)
    ranked = sorted(range(n), key=lambda i: (-scores[i], i))  # ties: the earlier row first
    exploited = ranked[: k - n_explore]
    picks = [Pick(i, "model") for i in exploited]
    rest = ranked[k - n_explore :]
    if n_explore == 0 or not rest:
        return picks
    if policy.method == "random":
        chosen = sorted(rest, key=lambda i: (draw(policy.seed, "explore", batch, keys[i]), i))[:n_explore]
        return picks + [Pick(i, "exploration") for i in chosen]
    if policy.method == "uncertainty":
        chosen = sorted(rest, key=lambda i: (-(scores[i] * (1.0 - scores[i])), i))[:n_explore]
        return picks + [Pick(i, "exploration") for i in chosen]
    if policy.method == "novelty":
        seen = checks or [0] * n
        chosen = sorted(rest, key=lambda i: (seen[i], -scores[i], i))[:n_explore]
        return picks + [Pick(i, "exploration") for i in chosen]
    return picks + _bandit(rest, scores, keys, n_explore, policy, stats, batch)


def _bandit(
    rest: list[int],
    scores: Sequence[float],
    keys: Sequence[Any],
    n_explore: int,
    policy: BudgetPolicy,
    stats: BinStats | None,
    batch: Any,
) -> list[Pick]:
    stats = stats or BinStats.empty(policy.bins)
    bins = score_bins([scores[i] for i in rest], policy.bins)
    members: dict[int, list[int]] = {}
    for i, b in zip(rest, bins, strict=True):
        members.setdefault(b, []).append(i)
    for b in members:  # each bin's members in a reproducible random order
        members[b].sort(key=lambda i: (draw(policy.seed, "bin-member", batch, keys[i]), i))
    checked, findings = list(stats.checked), list(stats.findings)
    picks: list[Pick] = []
    for slot in range(n_explore):
        open_bins = [b for b in sorted(members) if members[b]]
        if not open_bins:
            break
        if policy.method == "thompson":
            value = {
                b: _beta_draw(1 + findings[b], 1 + checked[b] - findings[b], policy.seed, batch, slot, b)
                for b in open_bins
            }
        else:  # ucb
            total = max(1, sum(checked))
            value = {
                b: math.inf
                if checked[b] == 0
                else findings[b] / checked[b] + policy.ucb_c * math.sqrt(2 * math.log(total) / checked[b])
                for b in open_bins
            }
        best = max(open_bins, key=lambda b: (value[b], b))
        picks.append(Pick(members[best].pop(0), "exploration", best))
        checked[best] += 1  # counts the pending check (its outcome is not known yet) so the bins take turns
    return picks


def _beta_draw(a: float, b: float, seed: str, *parts: Any) -> float:
    """A reproducible Beta(a, b) sample (numpy's generator seeded by a hash of the seed and the parts)."""
    rng = np.random.default_rng(int(draw(seed, "beta", *parts) * 2**63))
    return float(rng.beta(a, b))
