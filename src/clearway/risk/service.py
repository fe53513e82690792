"""Risk analysts' work on the configuration: criteria (versioned), watchlists, the selection policy.

Service functions take keyword-only arguments, flush and never commit (the boundary commits). Every change
writes a new version row with who and when, bumps ``risk_generation`` (so lane selectors reload) and records
an audit event. Model training, promotion, reports and the demo hook are in :mod:`clearway.risk.learning.modelops`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from clearway.audit.service import Actor, record
from clearway.declaration.lifecycle import Lane
from clearway.errors import Conflict, FieldError, NotFound, ValidationFailed
from clearway.risk import repository as repo
from clearway.risk.conditions import EvalContext, compile_condition
from clearway.risk.criteria import CriterionSpec, check_criterion, check_watchlist_entry
from clearway.risk.models import (
    RiskCriterion,
    RiskCriterionVersion,
    RiskPolicy,
    RiskWatchlist,
    RiskWatchlistEntry,
)
from clearway.risk.records import RiskRecord
from clearway.risk.selection import Policy, check_policy

DRY_RUN_SAMPLE = 2000


def _changed(
    session: Session,
    actor: Actor,
    subject_type: str,
    subject_id: Any,
    action: str,
    now: datetime,
    data: dict[str, Any],
    reason: str | None = None,
) -> None:
    repo.bump_generation(session, now)
    record(
        session,
        actor=actor,
        subject_type=subject_type,
        subject_id=subject_id,
        action=action,
        at=now,
        reason=reason,
        data=data,
    )


# ---- criteria ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionView:
    criterion: RiskCriterion
    current: RiskCriterionVersion
    recent: dict[str, int] | None = None  # dry run: how many recent declarations it would have matched


def spec_of(code: str, row: RiskCriterionVersion) -> CriterionSpec:
    return CriterionSpec(
        code,
        row.name,
        row.condition,
        Lane(row.lane),
        row.valid_from,
        row.valid_to,
        row.random_rate,
        row.expected_rate,
        row.active,
        row.description,
    )


def _version_row(
    criterion_id: int, version: int, spec: CriterionSpec, actor: Actor, now: datetime, note: str | None
) -> RiskCriterionVersion:
    return RiskCriterionVersion(
        criterion_id=criterion_id,
        version=version,
        name=spec.name,
        description=spec.description,
        condition=spec.condition,
        lane=spec.lane.value,
        valid_from=spec.valid_from,
        valid_to=spec.valid_to,
        random_rate=spec.random_rate,
        expected_rate=spec.expected_rate,
        active=spec.active,
        changed_by=actor.name,
        changed_by_user_id=actor.user_id,
        changed_at=now,
        change_note=note,
    )


def dry_run(session: Session, condition: dict[str, Any], *, sample: int = DRY_RUN_SAMPLE) -> dict[str, int]:
    """How many of the latest ``sample`` filed declarations a (validated) condition would have matched."""
    matcher = compile_condition(condition)
    ctx = EvalContext()
    rows = repo.latest_decisions(session, sample)
    matched = 0
    for row in rows:
        records = [RiskRecord.from_dict(r) for r in row.records]
        if any(matcher(r, ctx) for r in records):
            matched += 1
    return {"declarations": len(rows), "matched": matched}


def create_criterion(
    session: Session, *, data: Any, actor: Actor, now: datetime, today: date
) -> CriterionView:
    spec = check_criterion(data, today=today, watchlists=repo.watchlist_names(session))
    if repo.criterion_by_code(session, spec.code) is not None:
        raise Conflict(
            f"a criterion with code {spec.code} exists; change it with a new version instead",
            errors=[FieldError("/code", "code_in_use", "already used")],
        )
    criterion = RiskCriterion(code=spec.code, current_version=1, created_at=now, created_by=actor.name)
    repo.add(session, criterion)
    version = _version_row(criterion.id, 1, spec, actor, now, "created")
    repo.add(session, version)
    _changed(session, actor, "risk_criterion", criterion.id, "create", now, spec.as_dict())
    return CriterionView(criterion, version, dry_run(session, spec.condition))


def update_criterion(
    session: Session,
    *,
    criterion_id: int,
    data: Any,
    actor: Actor,
    now: datetime,
    today: date,
    note: str | None = None,
    expected_version: int | None = None,
) -> CriterionView:
    """A new version from the current one with ``data``'s fields replaced (the code cannot change)."""
    criterion = repo.criterion(session, criterion_id, for_update=True)
    if criterion is None:
        raise NotFound(f"no risk criterion {criterion_id}")
    if expected_version is not None and expected_version != criterion.current_version:
        raise Conflict(
            f"criterion {criterion.code} is at version {criterion.current_version}, not "
            f"{expected_version}; reload it and apply your change again"
        )
    if not isinstance(data, dict):
        raise ValidationFailed(
            "a change is a JSON object", errors=[FieldError("", "not_an_object", "object")]
        )
    if "code" in data and data["code"] != criterion.code:
        raise ValidationFailed(
            "a criterion keeps its code",
            errors=[FieldError("/code", "must_not_change", f"stays {criterion.code}")],
        )
    current = repo.criterion_version(session, criterion.id, criterion.current_version)
    assert current is not None
    merged = {**spec_of(criterion.code, current).as_dict(), **data, "code": criterion.code}
    spec = check_criterion(merged, today=today, watchlists=repo.watchlist_names(session))
    number = criterion.current_version + 1
    version = _version_row(criterion.id, number, spec, actor, now, note)
    repo.add(session, version)
    criterion.current_version = number
    _changed(
        session,
        actor,
        "risk_criterion",
        criterion.id,
        "change",
        now,
        {"version": number, "changed": sorted(set(data) - {"code"})},
        reason=note,
    )
    return CriterionView(criterion, version, dry_run(session, spec.condition))


def deactivate_criterion(
    session: Session, *, criterion_id: int, actor: Actor, now: datetime, today: date, note: str | None = None
) -> CriterionView:
    """Criteria are never deleted (their hit history stays readable): a new, inactive version."""
    return update_criterion(
        session,
        criterion_id=criterion_id,
        data={"active": False},
        actor=actor,
        now=now,
        today=today,
        note=note or "deactivated",
    )


def get_criterion(session: Session, criterion_id: int) -> CriterionView:
    criterion = repo.criterion(session, criterion_id)
    if criterion is None:
        raise NotFound(f"no risk criterion {criterion_id}")
    current = repo.criterion_version(session, criterion.id, criterion.current_version)
    assert current is not None
    return CriterionView(criterion, current)


def list_criteria(session: Session) -> list[CriterionView]:
    return [CriterionView(c, v) for c, v in repo.current_criteria(session)]


def criterion_history(session: Session, criterion_id: int) -> list[RiskCriterionVersion]:
    if repo.criterion(session, criterion_id) is None:
        raise NotFound(f"no risk criterion {criterion_id}")
    return repo.criterion_versions(session, criterion_id)


# ---- watchlists --------------------------------------------------------------------------------------------


def create_watchlist(
    session: Session, *, name: Any, lane: Any, description: str | None, actor: Actor, now: datetime
) -> RiskWatchlist:
    errors = []
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 80:
        errors.append(FieldError("/name", "required", "a name of 1 to 80 characters"))
    try:
        lane_value = Lane(lane)
        if lane_value is Lane.GREEN:
            raise ValueError
    except ValueError:
        errors.append(FieldError("/lane", "bad_lane", "a watchlist sends to 'yellow', 'red' or 'blue'"))
    if errors:
        raise ValidationFailed(f"{len(errors)} problem(s) in the watchlist", errors=errors)
    if repo.watchlist_by_name(session, name.strip()) is not None:
        raise Conflict(
            f"a watchlist named {name.strip()} exists",
            errors=[FieldError("/name", "name_in_use", "already used")],
        )
    row = RiskWatchlist(
        name=name.strip(),
        lane=lane_value.value,
        description=description,
        active=True,
        created_by=actor.name,
        created_at=now,
        changed_by=actor.name,
        changed_at=now,
    )
    repo.add(session, row)
    _changed(session, actor, "risk_watchlist", row.id, "create", now, {"name": row.name, "lane": row.lane})
    return row


def _watchlist(session: Session, watchlist_id: int) -> RiskWatchlist:
    row = repo.watchlist(session, watchlist_id, for_update=True)
    if row is None:
        raise NotFound(f"no watchlist {watchlist_id}")
    return row


def set_watchlist_active(
    session: Session, *, watchlist_id: int, active: bool, actor: Actor, now: datetime
) -> RiskWatchlist:
    row = _watchlist(session, watchlist_id)
    row.active = active
    row.changed_by, row.changed_at = actor.name, now
    _changed(session, actor, "risk_watchlist", row.id, "activate" if active else "deactivate", now, {})
    return row


def add_entry(
    session: Session, *, watchlist_id: int, data: Any, actor: Actor, now: datetime
) -> RiskWatchlistEntry:
    row = _watchlist(session, watchlist_id)
    field, party, reason = check_watchlist_entry(data)
    for e in repo.entries(session, [row.id]):
        if e.field == field and e.party == party:
            raise Conflict(f"{field} {party} is already on watchlist {row.name}")
    entry = RiskWatchlistEntry(
        watchlist_id=row.id, field=field, party=party, reason=reason, added_by=actor.name, added_at=now
    )
    repo.add(session, entry)
    row.changed_by, row.changed_at = actor.name, now
    _changed(
        session,
        actor,
        "risk_watchlist",
        row.id,
        "add_entry",
        now,
        {"field": field, "party": party},
        reason=reason,
    )
    return entry


def remove_entry(
    session: Session,
    *,
    watchlist_id: int,
    entry_id: int,
    actor: Actor,
    now: datetime,
    reason: str | None = None,
) -> RiskWatchlistEntry:
    row = _watchlist(session, watchlist_id)
    entry = repo.entry(session, entry_id)
    if entry is None or entry.watchlist_id != row.id or entry.removed_at is not None:
        raise NotFound(f"no current entry {entry_id} on watchlist {row.name}")
    entry.removed_by, entry.removed_at = actor.name, now
    row.changed_by, row.changed_at = actor.name, now
    _changed(
        session,
        actor,
        "risk_watchlist",
        row.id,
        "remove_entry",
        now,
        {"field": entry.field, "party": entry.party},
        reason=reason,
    )
    return entry


# ---- policy ------------------------------------------------------------------------------------------------


def current_policy(session: Session) -> tuple[Policy, RiskPolicy | None]:
    row = repo.current_policy(session)
    if row is None:
        return Policy(), None
    return Policy(
        row.red_share, row.yellow_share, row.exploration_share, row.exploration_red_share, row.seed
    ), row


def set_policy(session: Session, *, data: Any, actor: Actor, now: datetime) -> RiskPolicy:
    """A new policy version; fields left out keep their current values."""
    current, _ = current_policy(session)
    merged = {**current.as_dict(), **(data if isinstance(data, dict) else {})}
    if not isinstance(data, dict):
        raise ValidationFailed(
            "a policy is a JSON object", errors=[FieldError("", "not_an_object", "object")]
        )
    policy = check_policy(merged)
    latest = repo.current_policy(session)
    row = RiskPolicy(
        version=(latest.version + 1) if latest else 1,
        red_share=policy.red_share,
        yellow_share=policy.yellow_share,
        exploration_share=policy.exploration_share,
        exploration_red_share=policy.exploration_red_share,
        seed=policy.seed,
        changed_by=actor.name,
        changed_at=now,
    )
    repo.add(session, row)
    _changed(session, actor, "risk_policy", row.version, "set", now, policy.as_dict())
    return row
