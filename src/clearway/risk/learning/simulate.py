"""Deployment simulator: replay declarations week by week; only the checked ones reveal their outcome.

The customs reality (DATE, WCO BACUDA): the outcome of a declaration is known only if it was inspected — the
few the model selected plus the exploration share. :func:`simulate` replays that:

1. **Warm start.** Declarations dated before ``start`` form an initial labelled period: all their outcomes are
   revealed (a stated assumption: an office starts from its inspection history).
2. **Each week** (7 days from ``start``): the current model scores every declaration of the week; the policy
   (:func:`clearway.risk.selection.select_batch`) spends the budget, k = floor(m·budget/100) checks;
   the :class:`LabelOracle` reveals the outcomes of exactly those k declarations, recorded as known on the
   week's last day (so they shape features from the next week on).
3. **Retraining.** Every ``retrain_every`` weeks the product's :class:`~clearway.risk.model.RiskModel` is
   refitted from scratch on every declaration before the week: the revealed ones are training rows; the
   others count only for the commodity value reference and the category codes (label-free facts). History
   features (earlier finding counts per commodity, identical value, ...) count revealed outcomes only.
4. **The prior.** History rates are smoothed towards a prior. With ``prior="population"`` (the default) it is
   the population's finding rate estimated from unbiased checks only: the warm start, plus random
   exploration checks weighted by the inverse of their selection probability (the week's exploited finds plus
   the unexploited rest × the explored hit rate). With ``prior="checked"`` it is the hit rate of every check —
   the product's training default — which rises with the model's own precision (selection bias).

The simulator never holds the labels: they stay inside the oracle, and the figures are computed afterwards by
:func:`clearway.risk.learning.figures.evaluate`, which is the only code given every label. Pure apart from
LightGBM's CPU time: records and outcomes in, a trace out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from clearway.errors import FieldError, ValidationFailed
from clearway.risk.history import HISTORY_KEYS, key_function
from clearway.risk.metrics import budget_count
from clearway.risk.model import RiskModel
from clearway.risk.records import Outcome, RiskRecord
from clearway.risk.selection import BinStats, BudgetPolicy, Pick, select_batch

# Cheap refits: the simulator retrains every week, on one thread. Same features and leaves as the product's
# model as the simulation figures in benchmarks/risk/RESULTS.md were measured with (31 leaves; the product now
# uses 15), fewer and larger boosting steps (100 × 0.1 instead of 300 × 0.05).
SIMULATION_MODEL_PARAMS: dict[str, Any] = {
    "n_estimators": 100,
    "learning_rate": 0.1,
    "num_leaves": 31,
    "n_jobs": 1,
}

# The policy the numbers in benchmarks/risk/RESULTS.md support (see "Choosing the default").
DEFAULT_POLICY = BudgetPolicy(method="novelty", exploration_share=0.02)


class LabelOracle:
    """The inspection results, kept from the simulator: :meth:`inspect` reveals the outcomes of the given
    declarations, and every reveal is logged so a test can prove nothing else was seen."""

    def __init__(self, outcomes: Sequence[Outcome]) -> None:
        self.__outcomes = tuple(outcomes)
        self.log: list[int] = []

    def __len__(self) -> int:
        return len(self.__outcomes)

    def inspect(self, indices: Sequence[int]) -> list[Outcome]:
        self.log.extend(indices)
        return [self.__outcomes[i] for i in indices]


@dataclass(frozen=True, slots=True)
class Settings:
    start: date
    weeks: int
    budget: float = 5.0  # percent of each week's declarations checked
    policy: BudgetPolicy = DEFAULT_POLICY
    retrain_every: int = 1  # weeks
    prior: str = "population"  # or "checked"
    model_params: dict[str, Any] = field(default_factory=lambda: dict(SIMULATION_MODEL_PARAMS))

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "weeks": self.weeks,
            "budget_percent": self.budget,
            "policy": self.policy.as_dict(),
            "retrain_every_weeks": self.retrain_every,
            "prior": self.prior,
            "retraining": "from scratch on every revealed outcome before the week",
            "warm_start": "every declaration dated before start, all outcomes revealed",
            "model_params": self.model_params,
        }


@dataclass(frozen=True, slots=True)
class Week:
    start: date
    indices: list[int]  # the week's declarations (positions in the input)
    scores: list[float]  # the model's score of each, in the same order
    selected: list[int]  # positions in the input
    methods: list[str]  # "model" or "exploration", per selected
    model_trained_on: int  # revealed outcomes the scoring model learned from


@dataclass
class Trace:
    settings: Settings
    warm: list[int]
    weeks: list[Week]


class Population:
    """Estimates the population's finding and critical rates from unbiased checks only."""

    def __init__(self) -> None:
        self.n = 0.0
        self.findings = 0.0
        self.critical = 0.0

    def add_census(self, outcome: Outcome | None) -> None:
        """A declaration whose outcome is known because every one of its period was checked."""
        if outcome is not None:
            self.n += 1
            self.findings += outcome.fraud
            self.critical += outcome.fraud and outcome.critical

    def add_week(self, m: int, picks: Sequence[Pick], outcomes: Sequence[Outcome]) -> None:
        """A week of m declarations: exploited checks count as themselves; random exploration checks stand for
        the whole unexploited rest (inverse of their selection probability)."""
        exploited = [o for p, o in zip(picks, outcomes, strict=True) if p.method == "model"]
        explored = [o for p, o in zip(picks, outcomes, strict=True) if p.method == "exploration"]
        if not explored:
            return
        weight = (m - len(exploited)) / len(explored)
        self.n += m
        self.findings += sum(o.fraud for o in exploited) + weight * sum(o.fraud for o in explored)
        self.critical += sum(o.fraud and o.critical for o in exploited) + weight * sum(
            o.fraud and o.critical for o in explored
        )

    def rate(self) -> tuple[float, float]:
        """Smoothed as the history's own prior: (findings + 1) / (n + 5), (critical + 0.1) / (n + 5)."""
        return (self.findings + 1.0) / (self.n + 5.0), (self.critical + 0.1) / (self.n + 5.0)


def check_settings(records: Sequence[RiskRecord], settings: Settings) -> None:
    errors = []
    if not 0 < settings.budget <= 100:
        errors.append(FieldError("--budget", "bad_budget", "a percentage above 0, at most 100"))
    if settings.weeks < 1:
        errors.append(FieldError("--weeks", "bad_weeks", "at least one week"))
    if settings.prior not in ("population", "checked"):
        errors.append(FieldError("--prior", "bad_prior", "population or checked"))
    if settings.retrain_every < 1:
        errors.append(FieldError("--retrain-every", "bad_cadence", "at least every week"))
    if not any(r.declared_on < settings.start for r in records):
        errors.append(FieldError("--start", "no_warm_start", "no declaration before the start date"))
    if errors:
        raise ValidationFailed(f"{len(errors)} problem(s) in the simulation settings", errors=errors)


def simulate(
    records: Sequence[RiskRecord],
    oracle: LabelOracle,
    settings: Settings,
    *,
    progress: Callable[[int, Week], None] | None = None,
) -> Trace:
    """Replay ``settings.weeks`` weeks from ``settings.start``. Labels come only from ``oracle.inspect``."""
    if len(oracle) != len(records):
        raise ValueError("the oracle's outcomes do not line up with the records")
    check_settings(records, settings)
    known: list[Outcome | None] = [None] * len(records)
    warm = [i for i, r in enumerate(records) if r.declared_on < settings.start]
    for i, outcome in zip(warm, oracle.inspect(warm), strict=True):
        known[i] = outcome

    template = key_function(HISTORY_KEYS["hs6_value"])
    checks: Counter[Any] = Counter(template(records[i]) for i in warm)
    stats = BinStats.empty(settings.policy.bins)
    population = Population()
    for i in warm:
        population.add_census(known[i])
    weeks: list[Week] = []
    model: RiskModel | None = None
    trained_on = 0
    for w in range(settings.weeks):
        first = settings.start + timedelta(days=7 * w)
        last = first + timedelta(days=6)
        indices = [i for i, r in enumerate(records) if first <= r.declared_on <= last]
        if model is None or w % settings.retrain_every == 0:
            past = [i for i, r in enumerate(records) if r.declared_on < first]
            model = RiskModel(**settings.model_params).fit(
                [records[i] for i in past],
                [known[i] for i in past],
                base_rate=population.rate() if settings.prior == "population" else None,
            )
            trained_on = sum(1 for i in past if known[i] is not None)
        batch = [records[i] for i in indices]
        scores = [float(s) for s in model.score(batch)]
        k = budget_count(len(indices), settings.budget)
        picks = select_batch(
            scores,
            k,
            [records[i].ref for i in indices],
            settings.policy,
            stats,
            batch=first.isoformat(),
            checks=[checks[template(r)] if template(r) is not None else 0 for r in batch],
        )
        selected = [indices[p.index] for p in picks]
        revealed = oracle.inspect(selected)
        if settings.policy.method == "random":
            population.add_week(len(indices), picks, revealed)
        for pick, i, outcome in zip(picks, selected, revealed, strict=True):
            known[i] = Outcome(outcome.fraud, outcome.critical, outcome.additional_duty_krw, known_on=last)
            checks[template(records[i])] += 1
            if pick.bin is not None:
                stats.add(pick.bin, outcome.fraud)
        week = Week(first, indices, scores, selected, [p.method for p in picks], trained_on)
        weeks.append(week)
        if progress is not None:
            progress(w, week)
    return Trace(settings, warm, weeks)
