"""Guided classification on our own held-out split: the figures before any question and after an oracle
answered up to 1 and 2 questions (the ``--guided N`` contract of shared/design/benchmarks.md).

    nice -n 10 .venv/bin/python benchmarks/classification/guided.py [--model FOLDER]

Uses the model trained without the held-out split (``clearway classify train --exclude-holdout``, built by
``holdout.py``); ``--model`` names another folder (a served model trained on everything overstates the figures,
the file records which). Writes benchmarks/results/classification_guided.json (``--split dev``:
classification_guided_dev.json) with the machine and commit.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from benchmarks.classification.ablation import CASES, FILES
from benchmarks.record import write
from clearway.benchmarks import classification as bench
from clearway.classification import registry, training
from clearway.classification.corpus import fingerprint
from clearway.classification.model import HSClassifier
from clearway.config import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, help="a model folder (default: the held-out model)")
    parser.add_argument("--split", choices=("test", "dev"), default="test")
    args = parser.parse_args()
    settings = Settings()
    folder = args.model
    if folder is None:
        version = training.version_name(
            fingerprint(training.data_files()), HSClassifier().get_params(), exclude_holdout=True
        )
        folder = registry.root(settings.models_dir) / version
        if not (folder / registry.MODEL_FILE).exists():
            sys.exit(f"no held-out model at {folder}: run benchmarks/classification/holdout.py first")
    model = registry.load_model(folder)
    files = [CASES / f for f in FILES[args.split]]
    seen = bench.trained_on(model, files)
    runs = {}
    for n in (1, 2):
        figures = bench.run(model, files, guided_questions=n)
        runs[f"guided_{n}"] = figures
        print(
            f"--guided {n}: hs6_top1 {figures['hs6_top1']} → {figures['hs6_top1_after_questions']} "
            f"(top-3 {figures['hs6_top3']} → {figures['hs6_top3_after_questions']}), "
            f"questions {figures['questions_asked_mean']}",
            file=sys.stderr,
        )
    path = write(
        "classification_guided" if args.split == "test" else "classification_guided_dev",
        {
            "model": folder.name,
            "split": args.split,
            "cases_in_training": seen,
            "meta": registry.read_meta(folder),
            **runs,
        },
    )
    print(path)


if __name__ == "__main__":
    main()
