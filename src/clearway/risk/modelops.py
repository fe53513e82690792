"""Model versions: training (from the product's own inspection outcomes or from KCS-format files),
registration, promotion (a risk analyst's act), monitoring reports, and the demo's bootstrap.

Training data from the product: the selection log (``risk_lane_decision``, which keeps each declaration's risk
records as filed) joined with the core's ``inspection_result`` on (declaration_id, version). A declaration
with any ``irregularity`` finding is a positive; ``critical`` marks critical findings; the outcome becomes
visible to history features the day after it was recorded (``recorded_at``, Korean date).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from clearway.audit.service import Actor, record
from clearway.clock import KOREA, korea_date, utcnow
from clearway.config import Settings
from clearway.declaration.models import InspectionResult
from clearway.errors import NotFound
from clearway.risk import repository as repo
from clearway.risk.benchmark import load_training
from clearway.risk.model import (
    ModelFileError,
    NotEnoughOutcomes,
    RiskModel,
    read_model_file,
    write_model_file,
)
from clearway.risk.models import RiskModelVersion
from clearway.risk.records import Outcome, RiskRecord
from clearway.risk.registry import registry_for
from clearway.risk.report import DecisionRow, ModelReference, build_report
from clearway.risk.training import TrainingResult, train, version_name

DEMO = Actor("demo")
KCS_FILES = ("df_syn_train_eng.csv", "df_syn_valid_eng.csv")
PRETRAINED_FILE = "kcs-pretrained.json.gz"


def bundled_kcs_files() -> list[Path]:
    base = resources.files("clearway.data").joinpath("risk")
    return [Path(str(base.joinpath(name))) for name in KCS_FILES]


# ---- training data from the product ------------------------------------------------------------------------


def outcome_of(results: Sequence[InspectionResult]) -> Outcome:
    irregular = [r for r in results if r.finding == "irregularity"]
    return Outcome(
        fraud=bool(irregular),
        critical=any(r.critical for r in irregular),
        additional_duty_krw=sum((Decimal(r.additional_duty_krw or 0) for r in irregular), Decimal(0)),
        known_on=korea_date(max(r.recorded_at for r in results)),
    )


def product_training_data(
    session: Session, *, recorded_until: datetime | None = None
) -> tuple[list[RiskRecord], list[Outcome], int]:
    """Records of every checked declaration version with its outcome; and how many declarations that is."""
    results = repo.inspection_results(session, recorded_until=recorded_until)
    records: list[RiskRecord] = []
    outcomes: list[Outcome] = []
    declarations = 0
    for d in repo.decisions(session):
        found = results.get((d.declaration_id, d.declaration_version))
        if not found or not d.records:
            continue
        outcome = outcome_of(found)
        declarations += 1
        for r in d.records:
            records.append(RiskRecord.from_dict(r))
            outcomes.append(outcome)
    return records, outcomes, declarations


# ---- registration and promotion ----------------------------------------------------------------------------


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


def register(
    session: Session,
    result: TrainingResult,
    *,
    models_dir: Path,
    actor: Actor,
    now: datetime,
    version: str | None = None,
    note: str | None = None,
) -> RiskModelVersion:
    doc = result.document(
        version=version or version_name(now, result.fingerprint), created_at=now, trained_by=actor.name
    )
    return register_document(
        session,
        doc,
        models_dir=models_dir,
        actor=actor,
        now=now,
        train_seconds=round(result.train_seconds, 3),
        note=note,
    )


def train_from_product(
    session: Session,
    *,
    models_dir: Path,
    actor: Actor,
    now: datetime,
    params: dict[str, Any] | None = None,
    note: str | None = None,
) -> RiskModelVersion:
    records, outcomes, declarations = product_training_data(session, recorded_until=now)
    if declarations < 10:
        raise NotEnoughOutcomes(
            f"only {declarations} checked declaration(s) with an officer's finding; "
            "a model needs at least 10, with and without findings",
            checked=declarations,
        )
    result = train(
        records,
        outcomes,
        params=params,
        sources=[
            {"source": "clearway inspection results", "declarations": declarations, "records": len(records)}
        ],
    )
    return register(session, result, models_dir=models_dir, actor=actor, now=now, note=note)


def train_from_files(
    session: Session | None,
    paths: Sequence[Path],
    *,
    models_dir: Path,
    actor: Actor,
    now: datetime,
    params: dict[str, Any] | None = None,
    note: str | None = None,
) -> tuple[TrainingResult, RiskModelVersion | None, str]:
    """Train on KCS-format CSV files; register the version when a session is given. Returns the version
    too."""
    records, outcomes, sources = load_training(paths)
    result = train(records, outcomes, params=params, sources=sources)
    version = version_name(now, result.fingerprint)
    if session is None:
        registry_for(models_dir).save(result.document(version=version, created_at=now, trained_by=actor.name))
        return result, None, version
    return (
        result,
        register(session, result, models_dir=models_dir, actor=actor, now=now, version=version, note=note),
        version,
    )


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
    registry_for(models_dir).load(row.version, row.file_name, row.file_sha256)
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
    loaded = registry_for(models_dir).load(model_row.version, model_row.file_name, model_row.file_sha256)
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


# ---- the demo and setup ------------------------------------------------------------------------------------


def pretrained_document(models_dir: Path, now: datetime) -> dict[str, Any]:
    """The model pretrained on the bundled KCS data (2020 + 2021 Q1), built once into ``models_dir/risk``.

    KCS rows map onto the product's records by HS6 code, origin and departure countries, rate code, duty rate,
    net mass and customs value in won (the dataset's office and transport codes differ from the product's and
    are simply unseen categories), so it is a usable prior until the deployment has its own outcomes.
    """
    path = registry_for(models_dir).directory / PRETRAINED_FILE
    if path.exists():
        try:
            doc = read_model_file(path)
            RiskModel.from_document(doc)
            return doc
        except ModelFileError:
            pass  # another format version or damaged: rebuild it below
    records, outcomes, sources = load_training(bundled_kcs_files())
    result = train(records, outcomes, sources=sources)
    doc = result.document(version=f"kcs-{result.fingerprint[:8]}", created_at=now, trained_by="setup")
    write_model_file(path, doc)
    return doc


def build_models(settings: Settings) -> str:
    """For ``clearway setup-models``: make sure the KCS-pretrained risk model exists."""
    doc = pretrained_document(settings.models_dir, utcnow().astimezone(KOREA))
    holdout = (doc.get("metrics") or {}).get("holdout") or {}
    return (
        f"risk model {doc['version']} pretrained on the bundled KCS data "
        f"(holdout precision@5% {holdout.get('precision@5')}, AUC {holdout.get('auc')})"
    )
