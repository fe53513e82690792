"""``RiskLaneSelector``: the filing step that gives each declaration its lane from criteria, watchlists, the
promoted risk model and random exploration, with the reasons, and logs the decision for monitoring.

Wire it in :func:`clearway.wiring.filing_steps`::

    FilingSteps(..., lane_selector=RiskLaneSelector(settings.models_dir, clock=runtime_clock))

One instance per process is enough (it caches the configuration and the model); it never commits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from clearway.cargo.signals import manifest_floor, manifest_reasons
from clearway.clock import Clock
from clearway.db import bulk_insert
from clearway.declaration.content import DeclarationContent
from clearway.declaration.lifecycle import Lane
from clearway.declaration.steps import (
    Advice,
    AssessmentOutcome,
    FilingContext,
    LaneSelection,
    LaneSelector,
    PendingLane,
)
from clearway.receipts import core as receipts
from clearway.risk.criteria import SEVERITY, CriterionHit, WatchHit, criterion_hits, watch_hits
from clearway.risk.model import Explanation
from clearway.risk.models import RiskLaneDecision
from clearway.risk.records import RiskRecord, records_from_content
from clearway.risk.selection import Decision, ModelView, Policy, decide
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


UNLIKELY_CODE = "commodity_code_unlikely"  # the classification advisor's warning (classification.step)
UNLIKELY_CRITERION = "CLASSIFICATION-UNLIKELY"


def classification_floor(decision: Decision, advice: list[Advice]) -> Decision:
    """A declared code the classifier finds unlikely for the goods' description is checked: at least the
    yellow lane, with a reason the officer reads (the signal is also the model's ``risk_signal`` feature)."""
    unlikely = [a for a in advice if a.code == UNLIKELY_CODE and (a.risk_signal or 0) > 0]
    if not unlikely:
        return decision
    added = []
    for a in unlikely:
        suggested = [f"{s[:4]}.{s[4:]}" for s in (a.details or {}).get("suggested_hs6", [])]
        added.append(
            {
                "kind": "criterion",
                "code": UNLIKELY_CRITERION,
                "lane": Lane.YELLOW.value,
                "pointer": a.pointer,
                "risk_signal": a.risk_signal,
                "message": "declared code unlikely: description suggests "
                f"{', '.join(suggested) or 'another heading'} ({a.message})",
            }
        )
    reasons = [*decision.reasons, *added]
    if SEVERITY[decision.lane] >= SEVERITY[Lane.YELLOW]:
        return replace(decision, reasons=reasons)
    return replace(decision, lane=Lane.YELLOW, method="classification", reasons=reasons)


def manifest_checked(decision: Decision, reasons: list[dict[str, Any]]) -> Decision:
    """The manifest ↔ declaration mismatches (:mod:`clearway.cargo.signals`) as reasons the officer reads; a
    mismatch sends a green or blue declaration to the documentary check."""
    if not reasons:
        return decision
    lane = manifest_floor(decision.lane, reasons)
    method = "manifest" if lane != decision.lane else decision.method
    return replace(decision, lane=lane, method=method, reasons=[*decision.reasons, *reasons])


def model_view(
    snapshot: Snapshot, records: list[RiskRecord], scores: np.ndarray | Exception | None = None
) -> tuple[ModelView | None, RiskRecord | None, list[dict[str, Any]]]:
    """Score every goods item (or take ``scores`` computed for a whole batch, or the error that stopped them);
    the declaration's score is its riskiest item's (not yet explained)."""
    if snapshot.model is None or snapshot.thresholds is None:
        return None, None, [{"kind": "fallback", "message": snapshot.model_problem or "no risk model"}]
    if scores is None:
        scores = score_records(snapshot, records)
    if isinstance(scores, Exception):
        return None, None, [_failure(snapshot, scores)]
    best = int(np.argmax(scores))
    return (
        ModelView(snapshot.model.version, float(scores[best]), None, snapshot.thresholds, records[best].ref),
        records[best],
        [],
    )


def score_records(snapshot: Snapshot, records: list[RiskRecord]) -> np.ndarray | Exception:
    """The promoted model's scores, or the exception it raised (a failing model must never stop a filing)."""
    assert snapshot.model is not None
    try:
        return snapshot.model.model.score(records)
    except Exception as exc:
        return exc


def _failure(snapshot: Snapshot, exc: Exception) -> dict[str, Any]:
    version = snapshot.model.version if snapshot.model else "?"
    return {
        "kind": "fallback",
        "message": f"risk model {version} could not score this declaration "
        f"({type(exc).__name__}: {exc}); lanes from criteria and exploration only",
    }


@dataclass(frozen=True, slots=True)
class Facts:
    """What a declaration's lane rests on besides the model: its key, the policy, the criteria and watchlist
    entries it matches."""

    key: tuple[Any, ...]
    policy: Policy
    criteria: list[CriterionHit]
    watches: list[WatchHit]

    def decide(self, model: ModelView | None, notes: list[dict[str, Any]]) -> Decision:
        return decide(
            key=self.key,
            policy=self.policy,
            criteria=self.criteria,
            watches=self.watches,
            model=model,
            notes=notes,
        )


@dataclass(frozen=True, slots=True)
class Draft:
    """A declaration's lane before the model's explanation is added (see :func:`explained`)."""

    decision: Decision
    view: ModelView | None
    best: RiskRecord | None
    notes: list[dict[str, Any]]
    facts: Facts

    @property
    def needs_explanation(self) -> bool:
        """The explanation (TreeSHAP, the costly part) is computed for every declaration sent to a check; a green
        declaration's is computed on request (``explain_decision``)."""
        return (
            self.view is not None and self.best is not None and self.decision.lane in (Lane.YELLOW, Lane.RED)
        )


def draft(
    snapshot: Snapshot,
    records: list[RiskRecord],
    key: tuple[Any, ...],
    on: Any,
    advice: list[Advice],
    scores: np.ndarray | Exception | None = None,
) -> Draft:
    ctx = SnapshotContext(snapshot)
    view, best, notes = model_view(snapshot, records, scores)
    facts = Facts(
        key,
        snapshot.policy,
        criterion_hits(snapshot.criteria, records, ctx, on),
        watch_hits(snapshot.watchlists, records),
    )
    notes = [*advice_reasons(advice), *notes]
    return Draft(facts.decide(view, notes), view, best, notes, facts)


def explain_all(snapshot: Snapshot, drafts: list[Draft]) -> list[Explanation] | Exception:
    """The explanations of the drafts' riskiest items, in one call (or the error that stopped them)."""
    assert snapshot.model is not None
    try:
        return snapshot.model.model.explain([d.best for d in drafts if d.best is not None])
    except Exception as exc:
        return exc


def explained(snapshot: Snapshot, d: Draft, explanation: Explanation | Exception) -> Decision:
    """The final decision of a draft that needed its explanation."""
    assert d.view is not None
    if isinstance(explanation, Exception):
        return d.facts.decide(d.view, [*d.notes, _failure(snapshot, explanation)])
    notes = list(d.notes)
    if explanation.fallbacks:
        notes.append(
            {
                "kind": "fallback",
                "message": "the model scored with missing inputs: " + "; ".join(explanation.fallbacks),
            }
        )
    return d.facts.decide(replace(d.view, explanation=explanation), notes)


def receipt_inputs(snapshot: Snapshot, decision: Decision, records: list[dict[str, Any]]) -> dict[str, Any]:
    """What a lane was computed from, for the decision receipt (:mod:`clearway.receipts.core`): what a filer
    may know (the configuration, the model version and its fingerprints) and what only customs may (the
    method, score, thresholds, the criteria and watchlists that fired, the digest of the model's input,
    ``records`` as :meth:`RiskRecord.as_dict` gives them)."""
    model = snapshot.model
    thresholds = snapshot.thresholds
    return {
        "public": {
            "configuration_generation": snapshot.generation,
            "policy_version": snapshot.policy_version,
            "model": None
            if model is None
            else {
                "version": model.version,
                "file_sha256": snapshot.model_file_sha256,
                "training_data_fingerprint": model.fingerprint,
            },
        },
        "confidential": {
            "lane": decision.lane.value,
            "method": decision.method,
            "score": decision.score,
            "thresholds": None
            if thresholds is None or model is None
            else {
                "red": thresholds.red if np.isfinite(thresholds.red) else None,
                "yellow": thresholds.yellow if np.isfinite(thresholds.yellow) else None,
                "source": thresholds.source,
            },
            "policy": snapshot.policy.as_dict(),
            "criteria": [
                {k: hit.get(k) for k in ("criterion_id", "code", "version", "lane", "applied")}
                for hit in decision.criteria
            ],
            "watchlists": [
                {k: r.get(k) for k in ("watchlist_id", "watchlist", "field", "lane")}
                for r in decision.reasons
                if r.get("kind") == "watchlist"
            ],
            "explored": decision.explored,
            "records_fingerprint": receipts.digest(records),
            "model_problem": snapshot.model_problem,
        },
    }


class RiskLaneSelector(LaneSelector):
    def __init__(self, models_dir: Path, *, clock: Clock, log: bool = True) -> None:
        self.cache = SnapshotCache(models_dir)
        self.log = log
        self.clock = clock

    def select(
        self,
        session: Session,
        content: DeclarationContent,
        context: FilingContext,
        assessment: AssessmentOutcome,
        advice: list[Advice],
    ) -> LaneSelection:
        return self.select_many(session, [PendingLane(content, context, assessment, advice)])[0]

    def select_many(self, session: Session, pending: list[PendingLane]) -> list[LaneSelection]:
        """Every declaration's lane; the model scores (and explains) the whole batch in one call each."""
        snapshot = self.cache.get(session)
        records = [records_from_content(p.content, p.context, p.assessment, p.advice) for p in pending]
        batch_scores: np.ndarray | Exception | None = None
        if snapshot.model is not None and snapshot.thresholds is not None:
            batch_scores = score_records(snapshot, [r for rs in records for r in rs])
            if isinstance(batch_scores, Exception):
                batch_scores = (
                    None  # one bad record must not cost the whole batch its scores: score each alone
                )
        drafts = []
        start = 0
        for p, rs in zip(pending, records, strict=True):
            scores = batch_scores
            if isinstance(batch_scores, np.ndarray):
                scores, start = batch_scores[start : start + len(rs)], start + len(rs)
            drafts.append(
                draft(
                    snapshot,
                    rs,
                    (p.context.declaration_id, p.context.version),
                    p.context.filed_on,
                    p.advice,
                    scores,
                )
            )
        decisions = [d.decision for d in drafts]
        to_explain = [i for i, d in enumerate(drafts) if d.needs_explanation]
        if to_explain:
            explanations = explain_all(snapshot, [drafts[i] for i in to_explain])
            for n, i in enumerate(to_explain):
                if isinstance(explanations, Exception):  # as for the scores: then each on its own
                    alone = explain_all(snapshot, [drafts[i]])
                    one = alone if isinstance(alone, Exception) else alone[0]
                else:
                    one = explanations[n]
                decisions[i] = explained(snapshot, drafts[i], one)
        decisions = [classification_floor(d, p.advice) for d, p in zip(decisions, pending, strict=True)]
        manifest = manifest_reasons(session, [(p.content, p.context.declaration_id) for p in pending])
        decisions = [manifest_checked(d, r) for d, r in zip(decisions, manifest, strict=True)]
        as_dicts = [[r.as_dict() for r in rs] for rs in records]  # for the receipt and the log alike
        out = [
            LaneSelection(
                lane=d.lane,
                method=f"risk:{d.method}",
                placeholder=False,
                reasons=d.reasons,
                score=d.score,
                inputs=receipt_inputs(snapshot, d, rs),
            )
            for d, rs in zip(decisions, as_dicts, strict=True)
        ]
        logged = (
            [self._logged(d, p.context, rs) for d, p, rs in zip(decisions, pending, as_dicts, strict=True)]
            if self.log
            else []
        )
        bulk_insert(
            session, RiskLaneDecision.__table__, logged
        )  # COPY on PostgreSQL: one log row per decision
        return out

    def _logged(
        self, decision: Decision, context: FilingContext, records: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """The selection-log row (:class:`RiskLaneDecision`) of one decision, for monitoring."""
        model_reason = next((r for r in decision.reasons if r["kind"] == "model"), None)
        return {
            "declaration_id": context.declaration_id,
            "declaration_version": context.version,
            "declared_on": context.filed_on,
            "decided_at": self.clock(),
            "lane": decision.lane.value,
            "method": decision.method,
            "score": decision.score,
            "model_version": model_reason["model_version"] if model_reason else None,
            "model_lane": model_reason["lane"] if model_reason else None,
            "explored": decision.explored,
            "criteria": decision.criteria,
            "reasons": decision.reasons,
            "records": records,
        }
