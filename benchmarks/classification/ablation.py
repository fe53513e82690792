"""Ablation: train variants of the classifier without one part each and score them on a split's case files.

    nice -n 10 .venv/bin/python benchmarks/classification/ablation.py --split test full no_ranker ...

``--split test``: trained without the held-out split (clearway.classification.holdout), scored on
cases/{kr_kcs_2024-08_10,en_kcs_names_2024-08_10,en_eu_bti_2025-03-15_31,en_uk_parcels_holdout}.jsonl.
``--split dev``: trained without the held-out *and* the development split, scored on cases/dev_*.jsonl.
Each variant appends one JSON line to ablation_<split>.jsonl (figures per file, training seconds).
The USE vectors of the fixed texts are cached under var/cache/classification between variants.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path

from sklearn.exceptions import ConvergenceWarning

from clearway.benchmarks import classification as bench
from clearway.classification.corpus import load_training_data
from clearway.classification.embedding import CachedEmbedder, default_embedder
from clearway.classification.holdout import is_development, is_holdout
from clearway.classification.model import HSClassifier

HERE = Path(__file__).parent
CASES = HERE / "cases"
FILES = {
    "test": [
        "kr_kcs_2024-08_10.jsonl",
        "en_kcs_names_2024-08_10.jsonl",
        "en_eu_bti_2025-03-15_31.jsonl",
        "en_uk_parcels_holdout.jsonl",
    ],
    "dev": [
        "dev_kr_kcs_2024-06_07.jsonl",
        "dev_en_kcs_names_2024-06_07.jsonl",
        "dev_en_eu_bti_2025-03-01_14.jsonl",
        "dev_en_uk_parcels.jsonl",
    ],
}
VARIANTS: dict[str, dict] = {
    "full": {},
    "no_ranker": {"use_ranker": False},  # candidates scored by the plain sum of their channel scores
    "no_level_models": {"level_models": ()},
    "no_embeddings": {"use_embeddings": False},
    "no_korean_morphology": {"use_words": False},
    "no_rulings": {"use_rulings": False},
    "no_nomenclature": {"use_nomenclature": False},
    "no_centroids": {"use_centroids": False},
    "no_sibling_window": {"sibling_window_days": 0},  # training queries leave out only themselves
    "sibling_window_14": {"sibling_window_days": 14},
    "english_variants": {
        "english_variants": True
    },  # + English-only forms of KCS/EU rulings as ranker queries
    "split_references": {"split_references": True},  # UK reference terms in channels of their own
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=("test", "dev"), default="test")
    parser.add_argument("variants", nargs="*", default=list(VARIANTS))
    args = parser.parse_args()
    data = load_training_data()
    leave_out = (
        (lambda r: is_holdout(r)) if args.split == "test" else (lambda r: is_holdout(r) or is_development(r))
    )
    records = [r for r in data.records if not leave_out(r)]
    embedder = CachedEmbedder(default_embedder(), Path("var/cache/classification/use-vectors.npz"))
    out = HERE / f"ablation_{args.split}.jsonl"
    for name in args.variants:
        started = time.monotonic()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = HSClassifier(**VARIANTS[name]).fit(records, embedder=embedder)
        embedder.save()
        model.embedder = None
        seconds = time.monotonic() - started
        figures = bench.run(model, [CASES / f for f in FILES[args.split]])
        row = {
            "variant": name,
            "params": VARIANTS[name],
            "split": args.split,
            "train_records": len(records),
            "train_seconds": round(seconds, 1),
            "figures": figures,
        }
        with out.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        kr = figures["by_file"][FILES[args.split][0]]
        print(
            f"{name:22s} KR hs6@1 {kr['hs6_top1']} @3 {kr['hs6_top3']} | all {figures['hs6_top1']} "
            f"| p95 {figures['latency_ms_p95']} ms | fit {seconds:.0f}s",
            flush=True,
        )


if __name__ == "__main__":
    main()
