"""``clearway risk benchmark``: the product's risk model measured on KCS dataset files (see
``shared/design/benchmarks.md``).

Maps each row to the product's :class:`~clearway.risk.records.RiskRecord`, trains with the product's own
training procedure (:func:`clearway.risk.learning.training.train`, default settings) on the train files only, scores
every test row, and only then reads the test file's labels.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from clearway.errors import FieldError, ValidationFailed
from clearway.risk.learning import kcs
from clearway.risk.learning.kcs import load_training
from clearway.risk.learning.training import train
from clearway.risk.metrics import selection_report


def run(train_paths: Sequence[Path], test_path: Path, params: dict[str, Any] | None = None) -> dict[str, Any]:
    if not train_paths:
        raise ValidationFailed(
            "at least one --train file is needed",
            errors=[FieldError("--train", "required", "give a training CSV")],
        )
    resolved = {p.resolve() for p in train_paths}
    if test_path.resolve() in resolved:
        raise ValidationFailed(
            "the test file is also a training file: a benchmark never trains on what it scores",
            errors=[FieldError("--test", "also_training", str(test_path))],
        )
    records, outcomes, sources = load_training(train_paths)
    started = time.perf_counter()
    result = train(records, outcomes, params=params, sources=sources)
    train_seconds = time.perf_counter() - started

    test_records = kcs.read_records(test_path)  # no labels read yet
    started = time.perf_counter()
    scores = result.model.score(test_records)
    score_seconds = time.perf_counter() - started

    test_outcomes = kcs.read_outcomes(test_path)  # labels only after every row is scored
    if len(test_outcomes) != len(test_records):
        raise ValidationFailed(
            "the test file's labels do not line up with its rows",
            errors=[FieldError("--test", "labels_misaligned", str(test_path))],
        )
    report = selection_report(
        scores, [o.fraud for o in test_outcomes], [o.fraud and o.critical for o in test_outcomes]
    )
    return {
        "n_train": len(records),
        "n_test": len(test_records),
        **{k: report[k] for k in ("precision@1", "precision@2", "precision@5", "precision@10")},
        **{f"recall@{n}": report[f"recall@{n}"] for n in range(1, 11)},
        "critical_recall@5": report["critical_recall@5"],
        "critical_recall@10": report["critical_recall@10"],
        "auc": report["auc"],
        "train_seconds": round(train_seconds, 3),
        "score_rows_per_second": round(len(test_records) / score_seconds, 1) if score_seconds > 0 else None,
    }
