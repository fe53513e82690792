"""Learning curve: how HS6 accuracy on the development split grows with the amount of training data.

    nice -n 10 .venv/bin/python benchmarks/classification/learning_curve.py 0.25 0.5 0.75 1.0

For each fraction, the classifier (default parameters) is trained on that share of the training records of the
development ablation (held-out and development splits left out), drawn by a seeded shuffle of each source
separately (KCS rulings, EU BTI, UK references keep their proportions), and scored on cases/dev_*.jsonl. Each
fraction appends its figures to benchmarks/results/classification_learning_curve.json (machine, commit). Run
fractions in two processes to use both cores; each takes 3–8 minutes.

    nice -n 10 .venv/bin/python benchmarks/classification/learning_curve.py --only kcs 0 0.5

``--only SOURCE`` takes the share of that source's records alone and keeps every record of the others (what the
Korean rulings owe to the KCS rulings rather than to the nomenclature and the other sources).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import warnings
from collections import defaultdict
from pathlib import Path

from sklearn.exceptions import ConvergenceWarning

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from benchmarks.classification.ablation import CASES, FILES
from benchmarks.record import RESULTS, commit, write
from clearway.benchmarks import classification as bench
from clearway.classification.corpus import LabelledText, load_training_data
from clearway.classification.embedding import CachedEmbedder, default_embedder
from clearway.classification.holdout import is_development, is_holdout
from clearway.classification.model import HSClassifier
from clearway.classification.training import shipped_vectors

NAME = "classification_learning_curve"


def share(
    records: list[LabelledText], fraction: float, only: str | None = None, seed: int = 0
) -> list[LabelledText]:
    """``fraction`` of the records of each source (of ``only`` that source, all of the others), by a seeded
    shuffle (the same seed gives nested shares)."""
    by_source: dict[str, list[LabelledText]] = defaultdict(list)
    for record in records:
        by_source[record.source].append(record)
    chosen: list[LabelledText] = []
    for source in sorted(by_source):
        group = sorted(by_source[source], key=lambda r: r.id)
        random.Random(f"{seed}:{source}").shuffle(group)
        chosen += group[: round(len(group) * fraction)] if only in (None, source) else group
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("fractions", nargs="+", type=float)
    parser.add_argument(
        "--only", default=None, help="take the share of this source only (kcs, eu_bti, uk_extra…)"
    )
    args = parser.parse_args()
    records = [r for r in load_training_data().records if not (is_holdout(r) or is_development(r))]
    wrong = [f for f in args.fractions if not 0 <= f <= 1]
    if wrong:
        parser.error(f"fractions: {', '.join(map(str, wrong))} is not a share between 0 and 1")
    sources = sorted({r.source for r in records})
    if args.only is not None and args.only not in sources:
        parser.error(
            f"--only: no training record has the source {args.only!r} (sources: {', '.join(sources)})"
        )
    embedder = CachedEmbedder(default_embedder(), None, shipped=shipped_vectors(print))
    for fraction in args.fractions:
        chosen = share(records, fraction, args.only)
        started = time.monotonic()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = HSClassifier().fit(chosen, embedder=embedder)
        model.embedder = None
        seconds = time.monotonic() - started
        figures = bench.run(model, [CASES / f for f in FILES["dev"]])
        counts: dict[str, int] = defaultdict(int)
        for record in chosen:
            counts[record.source] += 1
        row = {
            "fraction": fraction,
            "only": args.only,
            "commit": commit(),  # rows are written by separate runs
            "train_records": len(chosen),
            "by_source": dict(sorted(counts.items())),
            "train_seconds": round(seconds, 1),
            "hs6_top1": figures["hs6_top1"],
            "hs6_top3": figures["hs6_top3"],
            "by_file": {
                name: {k: v[k] for k in ("n", "hs6_top1", "hs6_top3")}
                for name, v in figures["by_file"].items()
            },
        }
        path = RESULTS / f"{NAME}.json"
        rows = json.loads(path.read_text())["rows"] if path.exists() else []
        same = (fraction, args.only)
        rows = [r for r in rows if (r["fraction"], r.get("only")) != same] + [row]
        rows.sort(key=lambda r: (r.get("only") or "", r["fraction"]))
        write(NAME, {"rows": rows})
        kr = row["by_file"][FILES["dev"][0]]
        print(
            f"{fraction:.2f} ({len(chosen)} records): KR {kr['hs6_top1']} / {kr['hs6_top3']}, all {row['hs6_top1']}"
        )


if __name__ == "__main__":
    main()
