"""Monitoring figures from the selection log joined with inspection outcomes. Pure.

* hit rate per criterion version (findings among its checked declarations), against its expected rate;
* per model version: precision of the declarations its score selected, AUC over the checked ones;
* precision of everything selected, by method (criteria, watchlist, model, exploration);
* week by week: lanes, checks, findings, and the drift of the score distribution (PSI against the model's
  reference distribution).

Exploration checks are the only unbiased sample of the traffic the model let through, so their finding rate
is reported apart: it estimates what the model misses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from clearway.risk.metrics import auc, histogram, psi
from clearway.risk.records import Outcome

CHECK_LANES = ("yellow", "red")


@dataclass(frozen=True, slots=True)
class DecisionRow:
    declared_on: date
    lane: str
    method: str
    score: float | None
    model_version: str | None
    model_lane: str | None
    explored: bool
    criteria: list[dict[str, Any]]
    outcome: Outcome | None


@dataclass(frozen=True, slots=True)
class ModelReference:
    psi_edges: list[float]
    psi_counts: list[int]


def iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _rate(num: int, den: int) -> float | None:
    return None if den == 0 else round(num / den, 4)


class _Tally:
    __slots__ = ("checked", "critical", "duty", "findings", "n")

    def __init__(self) -> None:
        self.n = self.checked = self.findings = self.critical = 0
        self.duty = 0

    def add(self, outcome: Outcome | None) -> None:
        self.n += 1
        if outcome is not None:
            self.checked += 1
            self.findings += int(outcome.fraud)
            self.critical += int(outcome.fraud and outcome.critical)
            self.duty += int(outcome.additional_duty_krw)

    def as_dict(self, count_name: str = "selected") -> dict[str, Any]:
        return {
            count_name: self.n,
            "checked": self.checked,
            "with_finding": self.findings,
            "critical": self.critical,
            "additional_duty_krw": self.duty,
            "hit_rate": _rate(self.findings, self.checked),
        }


def build_report(
    rows: Sequence[DecisionRow],
    *,
    references: dict[str, ModelReference] | None = None,
    expected: dict[str, float | None] | None = None,
) -> dict[str, Any]:
    references = references or {}
    expected = expected or {}
    lanes: dict[str, int] = defaultdict(int)
    selected = _Tally()
    by_method: dict[str, _Tally] = defaultdict(_Tally)
    by_criterion: dict[tuple[str, int], dict[str, Any]] = {}
    weeks: dict[str, dict[str, Any]] = {}
    models: dict[str, dict[str, Any]] = {}
    scores_by_week: dict[tuple[str, str], list[float]] = defaultdict(list)

    for row in rows:
        lanes[row.lane] += 1
        week = weeks.setdefault(iso_week(row.declared_on), {"declarations": 0, "selected": _Tally()})
        week["declarations"] += 1
        if row.lane in CHECK_LANES:
            selected.add(row.outcome)
            by_method[row.method].add(row.outcome)
            week["selected"].add(row.outcome)
        for hit in row.criteria:
            key = (str(hit.get("code")), int(hit.get("version", 0)))
            c = by_criterion.setdefault(key, {"matched": 0, "applied": _Tally()})
            c["matched"] += 1
            if hit.get("applied"):
                c["applied"].add(row.outcome)
        if row.model_version is not None and row.score is not None:
            m = models.setdefault(
                row.model_version, {"scored": 0, "selected": _Tally(), "labels": [], "scores": []}
            )
            m["scored"] += 1
            if row.model_lane in CHECK_LANES:
                m["selected"].add(row.outcome)
            if row.outcome is not None:
                m["labels"].append(row.outcome.fraud)
                m["scores"].append(row.score)
            scores_by_week[(row.model_version, iso_week(row.declared_on))].append(row.score)

    drift = []
    for (version, week_name), scores in sorted(scores_by_week.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        ref = references.get(version)
        value = None
        if ref is not None and ref.psi_counts and sum(ref.psi_counts) > 0:
            value = round(psi(ref.psi_counts, histogram(scores, ref.psi_edges)), 4)
        drift.append(
            {
                "model_version": version,
                "week": week_name,
                "scored": len(scores),
                "psi": value,
                "status": None
                if value is None
                else (
                    "stable"
                    if value < 0.1
                    else "some drift"
                    if value < 0.25
                    else "shifted: consider retraining"
                ),
            }
        )

    return {
        "declarations": len(rows),
        "lanes": dict(sorted(lanes.items())),
        "selected": selected.as_dict(),
        "by_method": {k: v.as_dict() for k, v in sorted(by_method.items())},
        "criteria": [
            {
                "code": code,
                "version": version,
                "matched": c["matched"],
                **c["applied"].as_dict("applied"),
                "expected_rate": expected.get(code),
            }
            for (code, version), c in sorted(by_criterion.items())
        ],
        "models": [
            {
                "version": v,
                "scored": m["scored"],
                **m["selected"].as_dict(),
                "precision": m["selected"].as_dict()["hit_rate"],
                "auc_on_checked": None if not m["labels"] else auc(m["scores"], m["labels"]),
            }
            for v, m in sorted(models.items())
        ],
        "weeks": [
            {"week": w, "declarations": d["declarations"], **d["selected"].as_dict()}
            for w, d in sorted(weeks.items())
        ],
        "drift": drift,
    }
