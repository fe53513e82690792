"""Training procedure: fit, measure on an out-of-time holdout, keep the score distribution, package a version.

``train`` (1) fits on the earliest ~80% of the data by date and scores the latest ~20% as the model would
score new declarations — that gives the honest metrics stored with the version and the reference score
distribution the selection thresholds and the drift index (PSI) are computed from — then (2) fits the final
model on all the data. Both fits use the same :class:`~clearway.risk.model.RiskModel` settings.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np

from clearway.risk.metrics import ScoreReference, selection_report
from clearway.risk.model import RiskModel, fingerprint
from clearway.risk.records import Outcome, RiskRecord

MIN_HOLDOUT = 30


@dataclass
class TrainingResult:
    model: RiskModel
    fingerprint: str
    metrics: dict[str, Any]
    reference: ScoreReference
    train_seconds: float
    sources: list[dict[str, Any]] = field(default_factory=list)

    def document(self, *, version: str, created_at: datetime, trained_by: str) -> dict[str, Any]:
        doc = self.model.to_document()
        doc.update(
            {
                "version": version,
                "created_at": created_at.isoformat(),
                "trained_by": trained_by,
                "fingerprint": self.fingerprint,
                "metrics": self.metrics,
                "score_reference": self.reference.as_dict(),
                "sources": self.sources,
            }
        )
        return doc


def date_split(records: Sequence[RiskRecord], share: float) -> int:
    """Index into the date-sorted order where the last ``share`` of rows (whole days) begins."""
    dates = sorted(r.declared_on for r in records)
    cut = dates[int(len(dates) * (1 - share))] if dates else None
    return sum(1 for d in dates if cut is not None and d < cut)


def _holdout(
    records: Sequence[RiskRecord], outcomes: Sequence[Outcome], share: float
) -> tuple[list[RiskRecord], list[Outcome], list[RiskRecord], list[Outcome]]:
    order = sorted(range(len(records)), key=lambda i: (records[i].declared_on, i))
    n_early = date_split(records, share)
    early, late = order[:n_early], order[n_early:]
    return (
        [records[i] for i in early],
        [outcomes[i] for i in early],
        [records[i] for i in late],
        [outcomes[i] for i in late],
    )


def _range(records: Sequence[RiskRecord]) -> tuple[date | None, date | None]:
    dates = [r.declared_on for r in records]
    return (min(dates), max(dates)) if dates else (None, None)


def train(
    records: Sequence[RiskRecord],
    outcomes: Sequence[Outcome],
    *,
    params: dict[str, Any] | None = None,
    holdout_share: float = 0.2,
    sources: list[dict[str, Any]] | None = None,
) -> TrainingResult:
    """Fit a risk model and measure it out of time. Raises NotEnoughOutcomes when the data cannot train."""
    params = dict(params or {})
    started = time.perf_counter()
    y = np.array([o.fraud for o in outcomes])
    first, last = _range(records)
    metrics: dict[str, Any] = {
        "n_train": len(records),
        "with_finding": int(y.sum()),
        "critical": int(sum(o.fraud and o.critical for o in outcomes)),
        "from": first.isoformat() if first else None,
        "to": last.isoformat() if last else None,
        "holdout": None,
    }
    reference = None
    early_r, early_o, late_r, late_o = _holdout(records, outcomes, holdout_share)
    late_y = [o.fraud for o in late_o]
    early_y = [o.fraud for o in early_o]
    if (
        len(late_r) >= MIN_HOLDOUT
        and 0 < sum(late_y) < len(late_y)
        and 0 < sum(early_y) < len(early_y)
        and len(early_r) >= 10
    ):
        probe = RiskModel(**params).fit(early_r, early_o)
        scores = probe.score(late_r)
        report = selection_report(scores, late_y, [o.fraud and o.critical for o in late_o])
        metrics["holdout"] = {
            "n": len(late_r),
            "from": late_r[0].declared_on.isoformat() if late_r else None,
            "trained_on": len(early_r),
            **{
                k: report[k]
                for k in (
                    "precision@1",
                    "precision@2",
                    "precision@5",
                    "precision@10",
                    "recall@10",
                    "critical_recall@10",
                    "auc",
                )
            },
        }
        reference = ScoreReference.of(scores, "holdout")
    model = RiskModel(**params).fit(records, outcomes)
    if reference is None:
        reference = ScoreReference.of(model.score(records), "in-sample")
    return TrainingResult(
        model,
        fingerprint(records, outcomes),
        metrics,
        reference,
        time.perf_counter() - started,
        sources or [],
    )


def version_name(created_at: datetime, fingerprint_hex: str) -> str:
    return f"{created_at.strftime('%Y%m%dT%H%M%S')}-{fingerprint_hex[:8]}"
