"""Our own date-split figures: the classifier trained without the held-out split, scored on it.

    nice -n 10 .venv/bin/python benchmarks/classification/holdout.py      # ~7 min to train, ~1 min to score

Trains ``clearway classify train --exclude-holdout`` (unless that model is already built), runs the
benchmark contract (``clearway classify benchmark``) on the held-out case files and writes
benchmarks/results/classification_holdout.json with the machine and the commit. The held-out split is
KCS rulings 2024-08..10 (Korean, and their English product names), EU BTI 2025-03-15..31 and one UK parcel
description in five (:mod:`clearway.classification.holdout`).
"""

from __future__ import annotations

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
    settings = Settings()
    version = training.version_name(
        fingerprint(training.data_files()), HSClassifier().get_params(), exclude_holdout=True
    )
    folder = registry.root(settings.models_dir) / version
    if not (folder / registry.MODEL_FILE).exists():
        result = training.train(
            settings.models_dir,
            exclude_holdout=True,
            cache_dir=settings.home / "cache" / "classification",
            log=lambda m: print(m, file=sys.stderr, flush=True),
        )
        folder = result.folder
    model = registry.load_model(folder)
    figures = bench.run(model, [CASES / f for f in FILES["test"]])
    path = write(
        "classification_holdout", {"model": folder.name, "meta": registry.read_meta(folder), **figures}
    )
    print(path)


if __name__ == "__main__":
    main()
