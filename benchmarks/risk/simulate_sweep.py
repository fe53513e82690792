"""The trade-off curve of the deployment simulator: exploration method × share → precision, recall, revenue.

    nice -n 10 .venv/bin/python benchmarks/risk/simulate_sweep.py > benchmarks/risk/simulation.md
    # or in two processes: --part 0/2 --out a.jsonl and --part 1/2 --out b.jsonl, then concatenate

Each row is one `clearway risk simulate` run (same code: clearway.risk.learning) on the shipped KCS files
(2020 + 2021 Q1), budget 5% a week, warm start = the four weeks before the start date, weekly retraining.
Writes the full per-week figures of every run to benchmarks/risk/simulation.jsonl (one run a line).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from importlib import resources
from pathlib import Path

from clearway.risk.learning.runner import default_start, load, run, weeks_available
from clearway.risk.learning.simulate import Settings
from clearway.risk.selection import BudgetPolicy

DATA = Path(str(resources.files("clearway.data").joinpath("risk")))
FILES = [DATA / "df_syn_train_eng.csv", DATA / "df_syn_valid_eng.csv"]
CONFIGS = [
    ("none", 0.0),
    ("random", 0.02),
    ("random", 0.05),
    ("random", 0.1),
    ("random", 0.2),
    ("thompson", 0.05),
    ("thompson", 0.1),
    ("ucb", 0.05),
    ("ucb", 0.1),
    ("uncertainty", 0.05),
    ("uncertainty", 0.1),
    ("novelty", 0.02),
    ("novelty", 0.05),
    ("novelty", 0.1),
    ("novelty", 0.2),
]
COLUMNS = (
    "precision",
    "recall",
    "critical_recall",
    "revenue_recall",
    "exploration_hit_rate",
    "mean_weekly_auc",
    "precision_drops",
    "mean_recovery_weeks",
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--budget", type=float, default=5.0)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("simulation.jsonl"))
    parser.add_argument("--only", default=None, help="one method")
    parser.add_argument("--part", default="0/1", help="i/n: run every n-th configuration from the i-th")
    parser.add_argument("--prior", default="population", choices=("population", "checked"))
    args = parser.parse_args()
    records, outcomes, sources = load(FILES)
    start = default_start(records)
    weeks = weeks_available(records, start)
    args.out.write_text("", "utf-8")
    print("| method | share | " + " | ".join(COLUMNS) + " | seconds |")
    print("|---|---|" + "---|" * (len(COLUMNS) + 1))
    part, parts = (int(x) for x in args.part.split("/"))
    for method, share in CONFIGS[part::parts]:
        if args.only and method != args.only:
            continue
        settings = Settings(
            start=start,
            weeks=weeks,
            budget=args.budget,
            policy=BudgetPolicy(method, share),
            prior=args.prior,
        )
        started = time.perf_counter()
        out = run(records, outcomes, settings)
        seconds = time.perf_counter() - started
        o = out["overall"]
        cells = [
            "-" if o[c] is None else f"{o[c]:.3f}" if isinstance(o[c], float) else str(o[c]) for c in COLUMNS
        ]
        print(f"| {method} | {share:.2f} | " + " | ".join(cells) + f" | {seconds:.0f} |", flush=True)
        with args.out.open("a", encoding="utf-8") as fh:  # one line per run, as soon as it is done
            fh.write(json.dumps({"method": method, "share": share, "sources": sources, **out}) + "\n")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
