"""Training model versions: from the product's own inspection outcomes or from KCS-format files, registered as
candidates (:mod:`clearway.risk.versions` promotes, retires, explains and monitors them); the KCS-pretrained
model built at set-up.

Training data from the product: the selection log (``risk_lane_decision``, which keeps each declaration's risk
records as filed) joined with the core's ``inspection_result`` on (declaration_id, version). A declaration
with any ``irregularity`` finding is a positive; ``critical`` marks critical findings; the outcome becomes
visible to history features the day after it was recorded (``recorded_at``, Korean date).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from clearway.audit.service import Actor
from clearway.clock import KOREA, utcnow
from clearway.config import Settings
from clearway.risk import repository as repo
from clearway.risk.learning.kcs import load_training
from clearway.risk.learning.training import TrainingResult, train, version_name
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
from clearway.risk.versions import outcome_of, register_document

KCS_FILES = ("df_syn_train_eng.csv", "df_syn_valid_eng.csv")
PRETRAINED_FILE = "kcs-pretrained.json.gz"


def bundled_kcs_files() -> list[Path]:
    base = resources.files("clearway.data").joinpath("risk")
    return [Path(str(base.joinpath(name))) for name in KCS_FILES]


# ---- training data from the product ------------------------------------------------------------------------


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


# ---- registration of a trained version ---------------------------------------------------------------------


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


# ---- the demo and setup ------------------------------------------------------------------------------------


def _params_text(model: RiskModel) -> bytes:
    """The model's parameters as one text (a file's lists and the defaults' tuples read the same)."""
    return json.dumps(model.get_params(), sort_keys=True, default=str).encode("utf-8")


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
            if _params_text(RiskModel.from_document(doc)) == _params_text(RiskModel()):
                return doc
            # else built with other parameters (31 leaves before 2026-12-06): rebuild it with today's below
        except ModelFileError:
            pass  # another format version or damaged: rebuild it below
    records, outcomes, sources = load_training(bundled_kcs_files())
    result = train(records, outcomes, sources=sources)
    # named by its training data and its parameters, so that another model is never given the same name
    doc = result.document(
        version=f"kcs-{result.fingerprint[:8]}-{hashlib.sha256(_params_text(result.model)).hexdigest()[:4]}",
        created_at=now,
        trained_by="setup",
    )
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
