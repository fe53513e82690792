"""Every risk query. Flushes, never commits.

Reads the core's ``inspection_result`` table (declaration_id, version, finding, critical, additional_duty_krw,
recorded_at) and joins it to the selection log on (declaration_id, version).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clearway.db import MEMO_PREFIX
from clearway.declaration.models import InspectionResult
from clearway.risk.models import (
    RiskCriterion,
    RiskCriterionVersion,
    RiskGeneration,
    RiskLaneDecision,
    RiskModelVersion,
    RiskPolicy,
    RiskWatchlist,
    RiskWatchlistEntry,
)

# ---- the change counter ------------------------------------------------------------------------------------


_GENERATION = MEMO_PREFIX + "risk.generation"


def generation(session: Session) -> int:
    """The configuration's change counter, read once per transaction (a batch files many declarations)."""
    if _GENERATION not in session.info:
        session.info[_GENERATION] = (
            session.scalar(select(RiskGeneration.generation).where(RiskGeneration.id == 1)) or 0
        )
    return session.info[_GENERATION]


def bump_generation(session: Session, now: datetime) -> int:
    session.info.pop(_GENERATION, None)
    row = session.get(RiskGeneration, 1, with_for_update=True)
    if row is None:
        row = RiskGeneration(id=1, generation=0, changed_at=now)
        session.add(row)
    row.generation += 1
    row.changed_at = now
    session.flush()
    return row.generation


# ---- criteria ----------------------------------------------------------------------------------------------


def criterion(session: Session, criterion_id: int, *, for_update: bool = False) -> RiskCriterion | None:
    return session.get(RiskCriterion, criterion_id, with_for_update=for_update)


def criterion_by_code(session: Session, code: str) -> RiskCriterion | None:
    return session.scalar(select(RiskCriterion).where(RiskCriterion.code == code))


def criterion_version(session: Session, criterion_id: int, version: int) -> RiskCriterionVersion | None:
    return session.scalar(
        select(RiskCriterionVersion).where(
            RiskCriterionVersion.criterion_id == criterion_id, RiskCriterionVersion.version == version
        )
    )


def criterion_versions(session: Session, criterion_id: int) -> list[RiskCriterionVersion]:
    return list(
        session.scalars(
            select(RiskCriterionVersion)
            .where(RiskCriterionVersion.criterion_id == criterion_id)
            .order_by(RiskCriterionVersion.version)
        )
    )


def current_criteria(session: Session) -> list[tuple[RiskCriterion, RiskCriterionVersion]]:
    rows = session.execute(
        select(RiskCriterion, RiskCriterionVersion)
        .join(
            RiskCriterionVersion,
            (RiskCriterionVersion.criterion_id == RiskCriterion.id)
            & (RiskCriterionVersion.version == RiskCriterion.current_version),
        )
        .order_by(RiskCriterion.code)
    )
    return [(c, v) for c, v in rows]


def add(session: Session, row: object) -> None:
    session.add(row)
    session.flush()


# ---- watchlists --------------------------------------------------------------------------------------------


def watchlist(session: Session, watchlist_id: int, *, for_update: bool = False) -> RiskWatchlist | None:
    return session.get(RiskWatchlist, watchlist_id, with_for_update=for_update)


def watchlist_by_name(session: Session, name: str) -> RiskWatchlist | None:
    return session.scalar(select(RiskWatchlist).where(RiskWatchlist.name == name))


def watchlists(session: Session) -> list[RiskWatchlist]:
    return list(session.scalars(select(RiskWatchlist).order_by(RiskWatchlist.name)))


def watchlist_names(session: Session) -> set[str]:
    return set(session.scalars(select(RiskWatchlist.name)))


def entries(
    session: Session, watchlist_ids: Sequence[int] | None = None, *, current: bool = True
) -> list[RiskWatchlistEntry]:
    q = select(RiskWatchlistEntry).order_by(RiskWatchlistEntry.id)
    if watchlist_ids is not None:
        q = q.where(RiskWatchlistEntry.watchlist_id.in_(list(watchlist_ids)))
    if current:
        q = q.where(RiskWatchlistEntry.removed_at.is_(None))
    return list(session.scalars(q))


def entry(session: Session, entry_id: int) -> RiskWatchlistEntry | None:
    return session.get(RiskWatchlistEntry, entry_id)


# ---- policy ------------------------------------------------------------------------------------------------


def current_policy(session: Session) -> RiskPolicy | None:
    return session.scalar(select(RiskPolicy).order_by(RiskPolicy.version.desc()).limit(1))


def policies(session: Session) -> list[RiskPolicy]:
    return list(session.scalars(select(RiskPolicy).order_by(RiskPolicy.version)))


# ---- model versions ----------------------------------------------------------------------------------------


def model_version(session: Session, version: str, *, for_update: bool = False) -> RiskModelVersion | None:
    q = select(RiskModelVersion).where(RiskModelVersion.version == version)
    if for_update:
        q = q.with_for_update()
    return session.scalar(q)


def model_versions(session: Session) -> list[RiskModelVersion]:
    return list(
        session.scalars(
            select(RiskModelVersion).order_by(RiskModelVersion.created_at.desc(), RiskModelVersion.id.desc())
        )
    )


def promoted_model(session: Session) -> RiskModelVersion | None:
    return session.scalar(select(RiskModelVersion).where(RiskModelVersion.status == "promoted").limit(1))


# ---- the selection log and outcomes ------------------------------------------------------------------------


def decision(session: Session, declaration_id: int, version: int) -> RiskLaneDecision | None:
    return session.scalar(
        select(RiskLaneDecision).where(
            RiskLaneDecision.declaration_id == declaration_id, RiskLaneDecision.declaration_version == version
        )
    )


def decisions(
    session: Session, *, since: date | None = None, until: date | None = None
) -> list[RiskLaneDecision]:
    q = select(RiskLaneDecision).order_by(RiskLaneDecision.declared_on, RiskLaneDecision.id)
    if since is not None:
        q = q.where(RiskLaneDecision.declared_on >= since)
    if until is not None:
        q = q.where(RiskLaneDecision.declared_on <= until)
    return list(session.scalars(q))


def decisions_for(session: Session, declaration_id: int) -> list[RiskLaneDecision]:
    return list(
        session.scalars(
            select(RiskLaneDecision)
            .where(RiskLaneDecision.declaration_id == declaration_id)
            .order_by(RiskLaneDecision.declaration_version)
        )
    )


def latest_decisions(session: Session, limit: int) -> list[RiskLaneDecision]:
    return list(session.scalars(select(RiskLaneDecision).order_by(RiskLaneDecision.id.desc()).limit(limit)))


def recent_scores(session: Session, model_version: str, limit: int = 5000) -> list[float]:
    """The scores of the latest ``limit`` declarations this model version scored."""
    q = (
        select(RiskLaneDecision.score)
        .where(RiskLaneDecision.model_version == model_version, RiskLaneDecision.score.is_not(None))
        .order_by(RiskLaneDecision.id.desc())
        .limit(limit)
    )
    return [float(s) for s in session.scalars(q) if s is not None]


def inspection_results(
    session: Session, *, recorded_until: datetime | None = None
) -> dict[tuple[int, int], list[InspectionResult]]:
    """Every officer finding, grouped by (declaration_id, version)."""
    q = select(InspectionResult).order_by(InspectionResult.recorded_at, InspectionResult.id)
    if recorded_until is not None:
        q = q.where(InspectionResult.recorded_at <= recorded_until)
    out: dict[tuple[int, int], list[InspectionResult]] = {}
    for r in session.scalars(q):
        out.setdefault((r.declaration_id, r.version), []).append(r)
    return out


def count_decisions(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(RiskLaneDecision)) or 0
