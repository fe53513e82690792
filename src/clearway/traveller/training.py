"""Training and evaluating the traveller risk model on check results; figures per planted pattern. Pure.

:func:`train` fits :class:`~clearway.traveller.risk.TravellerModel` on check results (facts + whether the
check found something), keeps a fifth of the days out (the last ones) to fix the score reference that turns
the model's selection share into a threshold, and returns the model with its metrics. :func:`evaluate_days`
reports a model on held-out generated days against what travellers really carried (known for generated
traffic): AUC, precision and recall at the selection share, and recall per planted pattern — including the
pattern that appears only after training — for the model, the rules, and rules + model + exploration.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from clearway.risk.metrics import selected_mask
from clearway.risk.selection import Policy, draw
from clearway.traveller.risk import (
    DEFAULT_RULES,
    TravellerFacts,
    TravellerModel,
    evaluate,
    reference_of,
    rule_hits,
)
from clearway.traveller.traffic import PATTERN_RATES, Traveller

MODEL_SHARE = 0.05  # the model selects about this share of each flight for a check


@dataclass(frozen=True, slots=True)
class Example:
    day: date
    facts: TravellerFacts
    found: bool


def train(examples: Sequence[Example], *, seed: int = 0) -> tuple[TravellerModel, dict[str, Any]]:
    ordered = sorted(examples, key=lambda e: e.day)
    days = sorted({e.day for e in ordered})
    cut = days[max(1, int(len(days) * 0.8)) - 1] if len(days) > 1 else days[-1]
    fit_rows = [e for e in ordered if e.day <= cut] if len(days) > 1 else ordered
    check_rows = [e for e in ordered if e.day > cut] or ordered
    model = TravellerModel(seed=seed).fit([e.facts for e in fit_rows], [e.found for e in fit_rows])
    scores = model.score([e.facts for e in check_rows])
    model.reference = reference_of(scores)
    metrics = {
        "examples": len(ordered),
        "with_finding": sum(e.found for e in ordered),
        "first_day": days[0].isoformat(),
        "last_day": days[-1].isoformat(),
        "validation_days_after": cut.isoformat(),
        "validation": evaluate(scores, [e.found for e in check_rows], MODEL_SHARE),
    }
    return model, metrics


def examples_of(travellers: Sequence[Traveller]) -> list[Example]:
    """The check results of generated traffic under the old practice (only checked travellers)."""
    return [Example(t.day, t.facts, t.carries) for t in travellers if t.checked]


def evaluate_days(
    model: TravellerModel, travellers: Sequence[Traveller], *, policy: Policy, share: float = MODEL_SHARE
) -> dict[str, Any]:
    """A model on held-out days, against the truth of generated traffic, overall and per planted pattern."""
    facts = [t.facts for t in travellers]
    truth = np.array([t.carries for t in travellers], dtype=bool)
    scores = model.score(facts)
    by_model = selected_mask(scores, share * 100)
    by_rules = np.array([bool(rule_hits(f, DEFAULT_RULES)) for f in facts])
    explored = np.array(
        [
            draw(policy.seed, "traveller", t.flight, t.day.isoformat(), i) < policy.exploration_share
            for i, t in enumerate(travellers)
        ]
    )
    combined = by_model | by_rules | (explored & ~by_model & ~by_rules)
    patterns: dict[str, Any] = {}
    for name in [*PATTERN_RATES, None]:
        mask = np.array([t.pattern == name for t in travellers]) & truth
        key = name or "none (base rate)"
        if not mask.any():
            patterns[key] = {"carriers": 0}
            continue
        patterns[key] = {
            "carriers": int(mask.sum()),
            "recall_model": round(float(by_model[mask].mean()), 3),
            "recall_rules": round(float(by_rules[mask].mean()), 3),
            "recall_rules_model_exploration": round(float(combined[mask].mean()), 3),
        }
    checked = int(combined.sum())
    return {
        "days": f"{travellers[0].day.isoformat()}..{travellers[-1].day.isoformat()}",
        "model": evaluate(scores, truth.tolist(), share),
        "rules": {
            "selected_share": round(float(by_rules.mean()), 4),
            "precision": round(float(truth[by_rules].mean()), 4) if by_rules.any() else None,
            "recall": round(float(by_rules[truth].mean()), 4),
        },
        "rules_model_exploration": {
            "selected_share": round(checked / len(travellers), 4),
            "precision": round(float(truth[combined].mean()), 4) if checked else None,
            "recall": round(float(combined[truth].mean()), 4),
        },
        "per_pattern": patterns,
    }


def checks_under_selection(
    model: TravellerModel, travellers: Sequence[Traveller], *, policy: Policy, share: float = MODEL_SHARE
) -> list[Example]:
    """The check results the new practice produces on these days (rules + model + exploration checked)."""
    facts = [t.facts for t in travellers]
    by_model = selected_mask(model.score(facts), share * 100)
    out = []
    for i, t in enumerate(travellers):
        explored = draw(policy.seed, "traveller", t.flight, t.day.isoformat(), i) < policy.exploration_share
        if by_model[i] or rule_hits(t.facts, DEFAULT_RULES) or explored:
            out.append(Example(t.day, t.facts, t.carries))
    return out
