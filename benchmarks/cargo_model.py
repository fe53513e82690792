"""The pre-arrival cargo model on held-out weeks of the generated history (clearway.cargo.history).

Generates ``--weeks`` weeks (default 20) with the unseen pattern (``new_route``) starting in the first
held-out week, trains the model on the examined bills of the training weeks exactly as ``clearway cargo
train`` does, then scores every bill of the held-out weeks (default the last 4) and selects a fixed share of
them for examination. Because the generator knows the truth of every bill — not only of the examined ones —
it reports, at each inspection share:

* precision (irregular bills among those selected), recall (of all irregular bills), and per planted pattern
  the hit rate (share of that pattern's irregular bills selected), for the seen patterns and for the unseen
  one;
* the same for the rules-only screening (the indicator score used without a model), for random selection,
  and for screening as deployed (model thresholds from the declaration policy's 5 % + 10 % budget, plus the
  2 % exploration share).

    PYTHONPATH=src .venv/bin/python benchmarks/cargo_model.py

Writes benchmarks/results/cargo_model.json (with machine and commit).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.record import write
from clearway.cargo import history, learning, screening
from clearway.risk.metrics import selected_mask, threshold_for_share
from clearway.risk.selection import Policy, draw

SHARES = (5, 10)


def rules_score(bills: list[history.Bill]) -> np.ndarray:
    """The indicator score screening uses when there is no model (consignees known from the training weeks
    count as known)."""
    known: set[str] = set()
    out = []
    for b in bills:
        r = b.record
        line = screening.ScreenLine(
            r.bill,
            r.mode,
            r.arrival_date,
            r.port_of_loading,
            r.port_of_discharge,
            r.transshipment_ports,
            r.shipper_key,
            r.consignee_key,
            r.description,
            r.hs6,
            r.packages,
            Decimal(str(r.gross_weight_kg)),
            r.has_value,
        )
        found = screening.indicators(line, frozenset(known))
        out.append(min(1.0, sum(f["weight"] for f in found)))
    return np.array(out)


def figures(mask: np.ndarray, bills: list[history.Bill]) -> dict[str, Any]:
    y = np.array([b.irregular for b in bills])
    out: dict[str, Any] = {
        "selected": int(mask.sum()),
        "share": round(float(mask.mean()), 4),
        "precision": round(float(y[mask].mean()), 4) if mask.any() else None,
        "recall": round(float(y[mask].sum() / y.sum()), 4),
        "hit_rate_by_pattern": {},
    }
    for pattern in (*history.PATTERNS, history.UNSEEN, None):
        idx = np.array([b.irregular and b.pattern == pattern for b in bills])
        name = pattern or "no_pattern (base rate)"
        out["hit_rate_by_pattern"][name] = {
            "irregular": int(idx.sum()),
            "selected": int((idx & mask).sum()),
            "hit_rate": round(float((idx & mask).sum() / idx.sum()), 4) if idx.any() else None,
        }
    return out


def run(weeks: int, held_out: int, seed: int) -> dict[str, Any]:
    first_test = weeks - held_out
    started = time.perf_counter()
    generated = history.generate(weeks=weeks, seed=seed, unseen_from=first_test)
    train_bills = generated.of_weeks(0, first_test - 1)
    test_bills = generated.of_weeks(first_test, weeks - 1)
    assert not any(b.pattern == history.UNSEEN for b in train_bills)
    generate_seconds = time.perf_counter() - started
    started = time.perf_counter()
    trained = learning.train(
        [b.record for b in train_bills],
        [b.outcome for b in train_bills],
        now=datetime(2026, 12, 5, tzinfo=UTC),
        trained_by="benchmark",
    )
    train_seconds = time.perf_counter() - started
    started = time.perf_counter()
    scores = trained.model.score([b.record for b in test_bills])
    score_seconds = time.perf_counter() - started
    rules = rules_score(test_bills)
    rng = np.random.default_rng(seed)
    random_scores = rng.random(len(test_bills))
    result: dict[str, Any] = {
        "seed": seed,
        "weeks": weeks,
        "training_weeks": f"0-{first_test - 1}",
        "held_out_weeks": f"{first_test}-{weeks - 1}",
        "unseen_pattern": f"{history.UNSEEN} (from week {first_test}, never in training)",
        "training_bills": len(train_bills),
        "training_examined": sum(b.examined for b in train_bills),
        "training_found": sum(bool(b.outcome and b.outcome.found) for b in train_bills),
        "held_out_bills": len(test_bills),
        "held_out_irregular": sum(b.irregular for b in test_bills),
        "model_version": trained.version,
        "model_holdout_metrics_inside_training": trained.document["metrics"]["holdout"],
        "seconds": {
            "generate": round(generate_seconds, 2),
            "train": round(train_seconds, 2),
            "score_held_out": round(score_seconds, 3),
        },
        "at_inspection_share": {},
    }
    for share in SHARES:
        result["at_inspection_share"][f"{share}%"] = {
            "model": figures(selected_mask(scores, share), test_bills),
            "rules_only": figures(selected_mask(rules, share), test_bills),
            "random": figures(selected_mask(random_scores, share), test_bills),
        }
    policy = Policy()
    quantiles = trained.document["score_reference"]["quantiles"]
    medium = threshold_for_share(quantiles, policy.red_share + policy.yellow_share)
    selected = scores > medium
    explored = np.array(
        [
            not s and draw(f"{policy.seed}-cargo", b.record.bill) < policy.exploration_share
            for s, b in zip(selected, test_bills, strict=True)
        ]
    )
    deployed = figures(selected | explored, test_bills)
    deployed["of_which_exploration"] = figures(explored, test_bills)
    result["as_deployed"] = {
        "policy": policy.as_dict(),
        **deployed,
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--weeks", type=int, default=20)
    parser.add_argument("--held-out", type=int, default=4)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    results: dict[str, Any] = {"load_average_before": os.getloadavg()[0]}
    results.update(run(args.weeks, args.held_out, args.seed))
    results["load_average_after"] = os.getloadavg()[0]
    print(write("cargo_model", results))


if __name__ == "__main__":
    main()
