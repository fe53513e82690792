"""Traveller risk model on generated traffic: held-out days, per planted pattern, before and after a retrain.

    PYTHONPATH=src:. python -m benchmarks.traveller.risk [--days 60]

1. Generate ``--days`` days of arrivals (see :mod:`clearway.traveller.traffic` for the planted patterns);
   the ``late_vvo`` pattern starts on day 45, after the training period.
2. Train on the check results of days 0-39 (the old practice's checks: rule hits and a 5 % random share).
3. Report the model on held-out days 40-59 against what travellers really carried: AUC, precision/recall
   when the model checks 5 % of travellers, and recall per pattern, for the model alone, the rules alone and
   rules + model + exploration (the risk policy's default exploration share).
4. Run the new practice on days 40-49 (rules + model + exploration checked), retrain on days 0-49 with those
   results, and report both models on days 50-59: does the late pattern get learnt from exploration's finds?
"""

from __future__ import annotations

import argparse
import json
from datetime import date, timedelta

from benchmarks.record import write
from clearway.risk.selection import Policy
from clearway.traveller.traffic import generate
from clearway.traveller.training import checks_under_selection, evaluate_days, examples_of, train

START = date(2026, 9, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=60)
    args = parser.parse_args()
    day = [START + timedelta(days=d) for d in range(args.days + 1)]
    traffic = generate(START, args.days, late_from=day[45])
    policy = Policy()
    before = [t for t in traffic if t.day < day[40]]
    model, trained = train(examples_of(before))
    held_out = [t for t in traffic if t.day >= day[40]]
    after_days = [t for t in traffic if day[40] <= t.day < day[50]]
    last = [t for t in traffic if t.day >= day[50]]
    new_checks = checks_under_selection(model, after_days, policy=policy)
    retrained, retrained_metrics = train(examples_of(before) + new_checks)
    results = {
        "generated": {
            "days": args.days,
            "travellers": len(traffic),
            "late_pattern_from": day[45].isoformat(),
        },
        "policy": {"exploration_share": policy.exploration_share, "model_share": 0.05},
        "trained_on_days_0_39": trained,
        "held_out_days_40_59": evaluate_days(model, held_out, policy=policy),
        "retrained_on_days_0_49": {**retrained_metrics, "new_checks": len(new_checks)},
        "days_50_59_first_model": evaluate_days(model, last, policy=policy),
        "days_50_59_retrained": evaluate_days(retrained, last, policy=policy),
    }
    print(json.dumps(results, indent=1))
    print(write("traveller_risk", results))


if __name__ == "__main__":
    main()
