"""Model versions in the product: registering a model file as a candidate, promotion (a risk analyst's act),
retirement, the explanation of a lane decision's score, and the monitoring report. Training them is
:mod:`clearway.risk.learning.modelops`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from clearway import caches
from clearway.audit.service import Actor, record
from clearway.clock import korea_date
from clearway.declaration.models import InspectionResult
from clearway.errors import NotFound
from clearway.risk import repository as repo
from clearway.risk.models import RiskModelVersion
from clearway.risk.records import Outcome, RiskRecord
from clearway.risk.registry import registry_for
from clearway.risk.report import DecisionRow, ModelReference, build_report


def outcome_of(results: Sequence[InspectionResult]) -> Outcome:
    irregular = [r for r in results if r.finding == "irregularity"]
    return Outcome(
        fraud=bool(irregular),
        critical=any(r.critical for r in irregular),
        additional_duty_krw=sum((Decimal(r.additional_duty_krw or 0) for r in irregular), Decimal(0)),
        known_on=korea_date(max(r.recorded_at for r in results)),
    )


def register_document(
    session: Session,
    doc: dict[str, Any],
    *,
    models_dir: Path,
    actor: Actor,
    now: datetime,
    train_seconds: float | None = None,
    note: str | None = None,
) -> RiskModelVersion:
    """Save a model document as a version file and record it as a candidate (idempotent per version)."""
    version = str(doc["version"])
    existing = repo.model_version(session, version)
    if existing is not None:
        return existing
    file_name, sha = registry_for(models_dir).save(doc)
    reference = doc.get("score_reference") or {}
    metrics = {
        **(doc.get("metrics") or {}),
        "train_seconds": train_seconds,
        "sources": doc.get("sources") or [],
        "score_reference": {
            "source": reference.get("source"),
            "psi_edges": reference.get("psi_edges"),
            "psi_counts": reference.get("psi_counts"),
        },
    }
    row = RiskModelVersion(
        version=version,
        file_name=file_name,
        file_sha256=sha,
        fingerprint=doc["fingerprint"],
        params=doc["params"],
        metrics=metrics,
        status="candidate",
        trained_by=actor.name,
        created_at=now,
        note=note,
    )
    repo.add(session, row)
    record(
        session,
        actor=actor,
        subject_type="risk_model",
        subject_id=version,
        action="register",
        at=now,
        reason=note,
        data={
            "fingerprint": doc["fingerprint"],
            "n_train": metrics.get("n_train"),
            "holdout": metrics.get("holdout"),
        },
    )
    return row


def promote(
    session: Session, *, version: str, models_dir: Path, actor: Actor, now: datetime, note: str | None = None
) -> RiskModelVersion:
    """Make ``version`` the model that scores new declarations (the previous one is retired).

    Refused with :class:`ModelFileError` when the version's file cannot serve (missing, changed, other
    format).
    """
    row = repo.model_version(session, version, for_update=True)
    if row is None:
        raise NotFound(f"no risk model version {version}")
    registry_for(models_dir, caches.of(session)).load(row.version, row.file_name, row.file_sha256)
    previous = repo.promoted_model(session)
    if previous is not None and previous.id != row.id:
        previous.status = "retired"
    row.status = "promoted"
    row.promoted_by, row.promoted_at = actor.name, now  # the reason goes to the audit trail below
    repo.bump_generation(session, now)
    record(
        session,
        actor=actor,
        subject_type="risk_model",
        subject_id=version,
        action="promote",
        at=now,
        reason=note,
        data={"previous": previous.version if previous and previous.id != row.id else None},
    )
    session.flush()
    return row


def retire(session: Session, *, version: str, actor: Actor, now: datetime) -> RiskModelVersion:
    row = repo.model_version(session, version, for_update=True)
    if row is None:
        raise NotFound(f"no risk model version {version}")
    row.status = "retired"
    repo.bump_generation(session, now)
    record(session, actor=actor, subject_type="risk_model", subject_id=version, action="retire", at=now)
    session.flush()
    return row


def explain_decision(
    session: Session, *, declaration_id: int, models_dir: Path, version: int | None = None
) -> dict[str, Any]:
    """Explain, item by item, the score a declaration version got — with the model version that scored it."""
    rows = repo.decisions_for(session, declaration_id)
    row = next((r for r in reversed(rows) if version is None or r.declaration_version == version), None)
    if row is None:
        raise NotFound(
            f"no lane decision for declaration {declaration_id}"
            + (f" version {version}" if version is not None else "")
        )
    if row.model_version is None:
        raise NotFound(
            f"no model scored declaration {declaration_id} v{row.declaration_version} "
            "(there was no promoted model, or it could not score)"
        )
    model_row = repo.model_version(session, row.model_version)
    if model_row is None:
        raise NotFound(f"risk model {row.model_version} is no longer registered")
    loaded = registry_for(models_dir, caches.of(session)).load(
        model_row.version, model_row.file_name, model_row.file_sha256
    )
    records = [RiskRecord.from_dict(r) for r in row.records]
    explanations = loaded.model.explain(records, top=5)
    return {
        "declaration_id": declaration_id,
        "version": row.declaration_version,
        "model_version": loaded.version,
        "lane": row.lane,
        "score": row.score,
        "items": [{"where": r.ref, **e.as_dict()} for r, e in zip(records, explanations, strict=True)],
    }


# ---- monitoring --------------------------------------------------------------------------------------------


def report(session: Session, *, since: date | None = None, until: date | None = None) -> dict[str, Any]:
    results = repo.inspection_results(session)
    rows = []
    for d in repo.decisions(session, since=since, until=until):
        found = results.get((d.declaration_id, d.declaration_version))
        rows.append(
            DecisionRow(
                d.declared_on,
                d.lane,
                d.method,
                d.score,
                d.model_version,
                d.model_lane,
                d.explored,
                list(d.criteria or []),
                outcome_of(found) if found else None,
            )
        )
    references = {}
    for m in repo.model_versions(session):
        ref = (m.metrics or {}).get("score_reference") or {}
        if ref.get("psi_counts"):
            references[m.version] = ModelReference(list(ref["psi_edges"]), list(ref["psi_counts"]))
    expected = {c.code: v.expected_rate for c, v in repo.current_criteria(session)}
    out = build_report(rows, references=references, expected=expected)
    out["period"] = {
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
    }
    promoted = repo.promoted_model(session)
    out["promoted_model"] = promoted.version if promoted else None
    return out
