"""API shapes of the risk domain (…Read / request bodies)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from clearway.risk.models import (
    RiskCriterionVersion,
    RiskLaneDecision,
    RiskModelVersion,
    RiskPolicy,
    RiskWatchlist,
    RiskWatchlistEntry,
)
from clearway.risk.service import CriterionView

CRITERION_EXAMPLE = {
    "code": "LAPTOP-UNDERVALUE",
    "name": "Notebooks far below the reference value per kg",
    "lane": "yellow",
    "condition": {
        "all": [
            {"field": "commodity_code", "op": "prefix", "value": "847130"},
            {"field": "value_per_kg_ratio", "op": "lt", "value": 0.3},
        ]
    },
    "valid_from": "2026-01-01",
    "random_rate": 1.0,
    "expected_rate": 0.4,
}


class CriterionVersionRead(BaseModel):
    version: int
    name: str
    description: str | None
    condition: dict[str, Any]
    lane: str
    valid_from: date
    valid_to: date | None
    random_rate: float
    expected_rate: float | None
    active: bool
    changed_by: str
    changed_at: datetime
    change_note: str | None

    @classmethod
    def of(cls, row: RiskCriterionVersion) -> CriterionVersionRead:
        return cls(
            version=row.version,
            name=row.name,
            description=row.description,
            condition=row.condition,
            lane=row.lane,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            random_rate=row.random_rate,
            expected_rate=row.expected_rate,
            active=row.active,
            changed_by=row.changed_by,
            changed_at=row.changed_at,
            change_note=row.change_note,
        )


class CriterionRead(BaseModel):
    id: int
    code: str
    created_by: str
    created_at: datetime
    current: CriterionVersionRead
    recent_matches: dict[str, int] | None = None

    @classmethod
    def of(cls, view: CriterionView) -> CriterionRead:
        c = view.criterion
        return cls(
            id=c.id,
            code=c.code,
            created_by=c.created_by,
            created_at=c.created_at,
            current=CriterionVersionRead.of(view.current),
            recent_matches=view.recent,
        )


class ConditionCheck(BaseModel):
    model_config = ConfigDict(extra="forbid")
    condition: Any


class EntryRead(BaseModel):
    id: int
    field: str
    party: str
    reason: str | None
    added_by: str
    added_at: datetime
    removed_by: str | None
    removed_at: datetime | None

    @classmethod
    def of(cls, e: RiskWatchlistEntry) -> EntryRead:
        return cls(
            id=e.id,
            field=e.field,
            party=e.party,
            reason=e.reason,
            added_by=e.added_by,
            added_at=e.added_at,
            removed_by=e.removed_by,
            removed_at=e.removed_at,
        )


class WatchlistRead(BaseModel):
    id: int
    name: str
    lane: str
    description: str | None
    active: bool
    changed_by: str
    changed_at: datetime
    entries: list[EntryRead]

    @classmethod
    def of(cls, w: RiskWatchlist, entries: list[RiskWatchlistEntry]) -> WatchlistRead:
        return cls(
            id=w.id,
            name=w.name,
            lane=w.lane,
            description=w.description,
            active=w.active,
            changed_by=w.changed_by,
            changed_at=w.changed_at,
            entries=[EntryRead.of(e) for e in entries],
        )


class WatchlistCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Any = None
    lane: Any = None
    description: str | None = None


class WatchlistChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    active: bool


class PolicyRead(BaseModel):
    version: int | None
    red_share: float
    yellow_share: float
    exploration_share: float
    exploration_red_share: float
    changed_by: str | None
    changed_at: datetime | None

    @classmethod
    def of(cls, policy: Any, row: RiskPolicy | None) -> PolicyRead:
        return cls(
            version=row.version if row else None,
            red_share=policy.red_share,
            yellow_share=policy.yellow_share,
            exploration_share=policy.exploration_share,
            exploration_red_share=policy.exploration_red_share,
            changed_by=row.changed_by if row else None,
            changed_at=row.changed_at if row else None,
        )


class ModelVersionRead(BaseModel):
    version: str
    status: str
    file_name: str
    fingerprint: str
    params: dict[str, Any]
    metrics: dict[str, Any]
    trained_by: str
    created_at: datetime
    promoted_by: str | None
    promoted_at: datetime | None
    note: str | None

    @classmethod
    def of(cls, m: RiskModelVersion) -> ModelVersionRead:
        metrics = {k: v for k, v in (m.metrics or {}).items() if k != "score_reference"}
        return cls(
            version=m.version,
            status=m.status,
            file_name=m.file_name,
            fingerprint=m.fingerprint,
            params=m.params,
            metrics=metrics,
            trained_by=m.trained_by,
            created_at=m.created_at,
            promoted_by=m.promoted_by,
            promoted_at=m.promoted_at,
            note=m.note,
        )


class TrainRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    groups: list[str] | None = None
    promote: bool = False
    note: str | None = None


class PromoteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str | None = None


class LaneDecisionRead(BaseModel):
    declaration_id: int
    declaration_version: int
    declared_on: date
    decided_at: datetime
    lane: str
    method: str
    score: float | None
    model_version: str | None
    explored: bool
    reasons: list[dict[str, Any]]
    criteria: list[dict[str, Any]]

    @classmethod
    def of(cls, d: RiskLaneDecision) -> LaneDecisionRead:
        return cls(
            declaration_id=d.declaration_id,
            declaration_version=d.declaration_version,
            declared_on=d.declared_on,
            decided_at=d.decided_at,
            lane=d.lane,
            method=d.method,
            score=d.score,
            model_version=d.model_version,
            explored=d.explored,
            reasons=d.reasons,
            criteria=d.criteria,
        )
