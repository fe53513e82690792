"""``RiskLaneSelector``: the filing step that gives each declaration its lane from criteria, watchlists, the
promoted risk model and random exploration, with the reasons, and logs the decision for monitoring.

Wire it in :func:`clearway.wiring.filing_steps`::

    FilingSteps(..., lane_selector=RiskLaneSelector(settings.models_dir))

One instance per process is enough (it caches the configuration and the model); it never commits.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from clearway.declaration.content import DeclarationContent
from clearway.declaration.lifecycle import Lane
from clearway.declaration.steps import Advice, AssessmentOutcome, FilingContext, LaneSelection, LaneSelector
from clearway.risk.criteria import criterion_hits, watch_hits
from clearway.risk.models import RiskLaneDecision
from clearway.risk.records import RiskRecord, records_from_content
from clearway.risk.selection import Decision, ModelView, decide
from clearway.risk.snapshot import Snapshot, SnapshotCache, SnapshotContext


def advice_reasons(advice: list[Advice]) -> list[dict[str, Any]]:
    return [
        {
            "kind": "advice",
            "code": a.code,
            "pointer": a.pointer,
            "risk_signal": a.risk_signal,
            "message": f"classification warning at {a.pointer}: {a.message}",
        }
        for a in advice
        if a.risk_signal and a.risk_signal > 0
    ]


def model_view(
    snapshot: Snapshot, records: list[RiskRecord]
) -> tuple[ModelView | None, RiskRecord | None, list[dict[str, Any]]]:
    """Score every goods item; the declaration's score is its riskiest item's (not yet explained)."""
    if snapshot.model is None or snapshot.thresholds is None:
        return None, None, [{"kind": "fallback", "message": snapshot.model_problem or "no risk model"}]
    try:
        scores = snapshot.model.model.score(records)
    except Exception as exc:  # noqa: BLE001 — a failing model must never stop a filing; say so instead
        return None, None, [_failure(snapshot, exc)]
    best = int(np.argmax(scores))
    return (
        ModelView(snapshot.model.version, float(scores[best]), None, snapshot.thresholds, records[best].ref),
        records[best],
        [],
    )


def _failure(snapshot: Snapshot, exc: Exception) -> dict[str, Any]:
    version = snapshot.model.version if snapshot.model else "?"
    return {
        "kind": "fallback",
        "message": f"risk model {version} could not score this declaration "
        f"({type(exc).__name__}: {exc}); lanes from criteria and exploration only",
    }


def decide_for(
    snapshot: Snapshot, records: list[RiskRecord], key: tuple[Any, ...], on: Any, advice: list[Advice]
) -> Decision:
    """The lane. The model's explanation (TreeSHAP, the costly part) is computed for every declaration sent
    to a check; a green declaration's explanation is computed on request (``explain_decision``)."""
    ctx = SnapshotContext(snapshot)
    view, best, notes = model_view(snapshot, records)
    common = {
        "key": key,
        "policy": snapshot.policy,
        "criteria": criterion_hits(snapshot.criteria, records, ctx, on),
        "watches": watch_hits(snapshot.watchlists, records),
    }
    extra = advice_reasons(advice)
    decision = decide(model=view, notes=[*extra, *notes], **common)
    if view is None or best is None or decision.lane not in (Lane.YELLOW, Lane.RED):
        return decision
    assert snapshot.model is not None
    try:
        explanation = snapshot.model.model.explain([best])[0]
    except Exception as exc:  # noqa: BLE001
        return decide(model=view, notes=[*extra, *notes, _failure(snapshot, exc)], **common)
    if explanation.fallbacks:
        notes.append(
            {
                "kind": "fallback",
                "message": "the model scored with missing inputs: " + "; ".join(explanation.fallbacks),
            }
        )
    return decide(model=replace(view, explanation=explanation), notes=[*extra, *notes], **common)


class RiskLaneSelector(LaneSelector):
    def __init__(self, models_dir: Path, *, log: bool = True, clock=None) -> None:  # type: ignore[no-untyped-def]
        self.cache = SnapshotCache(models_dir)
        self.log = log
        self.clock = clock or (lambda: datetime.now(UTC))

    def select(
        self,
        session: Session,
        content: DeclarationContent,
        context: FilingContext,
        assessment: AssessmentOutcome,
        advice: list[Advice],
    ) -> LaneSelection:
        records = records_from_content(content, context, assessment, advice)
        snapshot = self.cache.get(session)
        decision = decide_for(
            snapshot, records, (context.declaration_id, context.version), context.filed_on, advice
        )
        if self.log:
            model_reason = next((r for r in decision.reasons if r["kind"] == "model"), None)
            session.add(
                RiskLaneDecision(
                    declaration_id=context.declaration_id,
                    declaration_version=context.version,
                    declared_on=context.filed_on,
                    decided_at=self.clock(),
                    lane=decision.lane.value,
                    method=decision.method,
                    score=decision.score,
                    model_version=model_reason["model_version"] if model_reason else None,
                    model_lane=model_reason["lane"] if model_reason else None,
                    explored=decision.explored,
                    criteria=decision.criteria,
                    reasons=decision.reasons,
                    records=[r.as_dict() for r in records],
                )
            )
        return LaneSelection(
            lane=decision.lane,
            method=f"risk:{decision.method}",
            placeholder=False,
            reasons=decision.reasons,
            score=decision.score,
        )
