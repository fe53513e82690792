"""Traveller risk in the product: the selection list per arriving flight, check results, training.

* The selection list scores a flight's passengers with the newest traveller model file, the rules and the
  watchlist hits, with the risk policy's exploration share and seed (the declarations' policy, read from the
  risk engine, not a copy).
* A check result is stored with the passenger's facts at the time (no names or document numbers), so it stays
  a training example after the passenger row is masked or deleted.
* Training reads every recorded check result — plus, optionally, generated traffic to start from — and writes
  a versioned model file (the risk engine's gzip JSON format) with its metrics under
  ``<models dir>/traveller/``. Flushes, never commits.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway import caches as runtime_caches
from clearway.audit.service import record
from clearway.caches import Caches
from clearway.errors import Conflict, FieldError, ValidationFailed
from clearway.identity.core import Principal, Scope
from clearway.risk.model import read_model_file, write_model_file
from clearway.risk.service import current_policy
from clearway.traveller.models import TravellerCheck, TravellerPassenger, TravellerRule
from clearway.traveller.risk import (
    DEFAULT_RULES,
    Candidate,
    Rule,
    Selected,
    TravellerFacts,
    TravellerModel,
    check_rule,
    facts_of,
)
from clearway.traveller.risk import (
    select as select_travellers,
)
from clearway.traveller.service import PASSENGER, actor_of, flight_passengers, get_passenger
from clearway.traveller.traffic import generate
from clearway.traveller.training import MODEL_SHARE, Example, examples_of, train
from clearway.traveller.watch_service import passenger_hits

SELECTED_BY = ("rule", "model", "exploration", "watchlist", "officer", "none")


def model_dir(models_dir: Path) -> Path:
    return models_dir / "traveller"


def latest_model(
    models_dir: Path, caches: Caches | None = None
) -> tuple[str, TravellerModel, dict[str, Any]] | None:
    """The newest model file's version, model and metrics (None before the first training); read once per
    runtime and file modification (kept in its ``caches``), or for this call only without caches."""
    files = sorted(model_dir(models_dir).glob("traveller-risk-*.json.gz"))
    if not files:
        return None
    path = files[-1]
    mtime = path.stat().st_mtime
    with caches.lock if caches is not None else nullcontext():
        models: dict[Path, tuple[float, TravellerModel, dict[str, Any]]] = (
            caches.slot("traveller.models") if caches is not None else {}
        )
        cached = models.get(path)
        if cached is None or cached[0] != mtime:
            doc = read_model_file(path)
            cached = (mtime, TravellerModel.from_document(doc), doc.get("metrics", {}))
            models[path] = cached
    return path.name.removesuffix(".json.gz"), cached[1], cached[2]


def facts_of_row(row: TravellerPassenger) -> TravellerFacts:
    return facts_of(
        row.api,
        row.pnr,
        carrier=row.carrier,
        departure_port=row.departure_port,
        arrival_port=row.arrival_port,
        arrival_date=row.arrival_date,
    )


@dataclass(frozen=True, slots=True)
class SelectionList:
    flight_number: str
    arrival_date: date
    model_version: str | None
    exploration_share: float
    rows: list[tuple[TravellerPassenger, Selected]]


def selection_list(
    session: Session,
    principal: Principal,
    flight_number: str,
    arrival_date: date,
    *,
    models_dir: Path,
    now: datetime,
) -> SelectionList:
    """Every passenger of the flight with whether to check them and why (selected first)."""
    rows = [
        r
        for r in flight_passengers(session, principal, flight_number, arrival_date, now=now)
        if r.masked_at is None
    ]
    candidates = []
    for row in rows:
        hits = tuple(
            f"{h.watchlist}/{h.entry_id} score {h.score:g} ({h.status})"
            for h in passenger_hits(session, row.id)
            if h.status in ("open", "confirmed")
        )
        candidates.append(Candidate(row.id, facts_of_row(row), hits))
    latest = latest_model(models_dir, runtime_caches.of(session))
    policy, _ = current_policy(session)
    chosen = select_travellers(
        candidates,
        rules=active_rules(session),
        model=latest[1] if latest else None,
        policy=policy,
        model_share=MODEL_SHARE,
        flight_key=f"{flight_number.upper()}/{arrival_date.isoformat()}",
    )
    by_id = {r.id: r for r in rows}
    return SelectionList(
        flight_number.upper(),
        arrival_date,
        latest[0] if latest else None,
        policy.exploration_share,
        [(by_id[s.passenger_id], s) for s in chosen],
    )


def record_check(
    session: Session,
    principal: Principal,
    passenger_id: int,
    *,
    found: bool,
    finding: str,
    selected_by: str,
    now: datetime,
) -> TravellerCheck:
    """The result of checking a passenger at the gate (a training example for the next model)."""
    principal.require_scope(Scope.TRAVELLERS_WRITE)
    errors = []
    if selected_by not in SELECTED_BY:
        errors.append(FieldError("/selected_by", "bad_choice", f"one of {', '.join(SELECTED_BY)}"))
    if found and not finding.strip():
        errors.append(FieldError("/finding", "missing", "say what the check found"))
    if len(finding) > 500:
        errors.append(FieldError("/finding", "too_long", "at most 500 characters"))
    if errors:
        raise ValidationFailed("the check result has invalid fields", errors=errors)
    row = get_passenger(session, principal, passenger_id, now=now)
    if row.masked_at is not None:
        raise ValidationFailed(
            "the passenger's data was masked; a check result can no longer be recorded",
            errors=[FieldError("/passenger_id", "masked", "masked after the masking period")],
        )
    check = TravellerCheck(
        passenger_id=row.id,
        flight_number=row.flight_number,
        arrival_date=row.arrival_date,
        found=found,
        finding=finding.strip(),
        features=facts_of_row(row).as_dict(),
        selected_by=selected_by,
        checked_at=now,
        checked_by=principal.username,
    )
    session.add(check)
    session.flush()
    record(
        session,
        actor=actor_of(principal),
        subject_type=PASSENGER,
        subject_id=row.id,
        action="checked",
        at=now,
        data={"check_id": check.id, "found": found, "selected_by": selected_by},
    )
    return check


def passenger_checks(session: Session, passenger_id: int) -> list[TravellerCheck]:
    return list(
        session.scalars(
            select(TravellerCheck)
            .where(TravellerCheck.passenger_id == passenger_id)
            .order_by(TravellerCheck.checked_at.desc(), TravellerCheck.id.desc())
        )
    )


@dataclass(frozen=True, slots=True)
class Trained:
    version: str
    path: Path
    sha256: str
    metrics: dict[str, Any]


def train_model(
    session: Session,
    principal: Principal,
    *,
    models_dir: Path,
    generated_days: int,
    now: datetime,
) -> Trained:
    """Train on every recorded check result (and ``generated_days`` of generated traffic before them)."""
    principal.require_scope(Scope.TRAVELLERS_WRITE)
    if not 0 <= generated_days <= 120:
        raise ValidationFailed(
            "generated_days is 0-120",
            errors=[FieldError("/generated_days", "out_of_range", "0 to 120 days of generated traffic")],
        )
    checks = list(session.scalars(select(TravellerCheck).order_by(TravellerCheck.arrival_date)))
    recorded = [Example(c.arrival_date, TravellerFacts.from_dict(c.features), c.found) for c in checks]
    examples: list[Example] = []
    if generated_days:
        first = min([c.arrival_date for c in checks] + [now.date()])
        examples = examples_of(generate(first - timedelta(days=generated_days), generated_days))
    model, metrics = train([*examples, *recorded])
    metrics = {**metrics, "recorded_checks": len(recorded), "generated_examples": len(examples)}
    version = f"traveller-risk-{now.strftime('%Y%m%d%H%M%S')}"
    path = model_dir(models_dir) / f"{version}.json.gz"
    document = {
        **model.to_document(metrics),
        "version": version,
        "trained_at": now.isoformat(),
        "trained_by": principal.username,
    }
    sha = write_model_file(path, document)
    record(
        session,
        actor=actor_of(principal),
        subject_type="traveller_model",
        subject_id=version,
        action="trained",
        at=now,
        data={"sha256": sha, "examples": metrics["examples"], "recorded_checks": len(recorded)},
    )
    return Trained(version, path, sha, metrics)


def add_rule(
    session: Session, principal: Principal, code: str, description: str, condition: Any, *, now: datetime
) -> TravellerRule:
    """Add an analyst's rule (validated over the traveller fields; a code already in use is refused)."""
    principal.require_scope(Scope.TRAVELLERS_WRITE)
    code = code.strip().upper()
    errors = []
    if not code or len(code) > 40 or not all(c.isalnum() or c in "-_" for c in code):
        errors.append(FieldError("/code", "bad_code", "1-40 letters, digits, '-' or '_'"))
    if not description.strip() or len(description) > 300:
        errors.append(FieldError("/description", "missing", "say what the rule looks for (1-300 characters)"))
    try:
        rule = check_rule(code, description.strip(), condition)
    except ValidationFailed as exc:
        errors += exc.errors
    if errors:
        raise ValidationFailed("the rule has invalid fields", errors=errors)
    taken = {r.code for r in DEFAULT_RULES} | set(session.scalars(select(TravellerRule.code)))
    if code in taken:
        raise Conflict(f"a rule {code} already exists")
    row = TravellerRule(
        code=code,
        description=rule.description,
        condition=rule.condition,
        active=True,
        created_at=now,
        created_by=principal.username,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor=actor_of(principal),
        subject_type="traveller_rule",
        subject_id=row.id,
        action="created",
        at=now,
        data={"code": code, "condition": rule.condition},
    )
    return row


def active_rules(session: Session) -> list[Rule]:
    stored = session.scalars(select(TravellerRule).where(TravellerRule.active).order_by(TravellerRule.code))
    return [*DEFAULT_RULES, *(check_rule(r.code, r.description, r.condition) for r in stored)]
