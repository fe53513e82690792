"""Risk analysts' endpoints: criteria, condition check, watchlists, policy, model versions, report,
lane reasons.

Reading needs the ``risk:read`` scope (officers, risk analysts, admins); changing needs a risk analyst or an
admin. Every change is versioned with who and when (see :mod:`clearway.risk.service`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query

from clearway.audit.service import Actor
from clearway.clock import korea_date
from clearway.errors import NotFound
from clearway.identity.core import Principal, Role, Scope
from clearway.risk import repository as repo
from clearway.risk import service, versions
from clearway.risk.conditions import validate
from clearway.risk.learning import modelops
from clearway.risk.schemas import (
    CRITERION_EXAMPLE,
    ConditionCheck,
    CriterionRead,
    CriterionVersionRead,
    LaneDecisionRead,
    ModelVersionRead,
    PolicyRead,
    PromoteRequest,
    TrainRequest,
    WatchlistChange,
    WatchlistCreate,
    WatchlistRead,
)
from clearway.web.deps import PrincipalDep, ResourceId, RuntimeDep, SessionDep, require_roles

router = APIRouter(prefix="/risk", tags=["risk"])

Analyst = Annotated[Principal, Depends(require_roles(Role.RISK_ANALYST, Role.ADMIN))]
Json = Annotated[Any, Body(openapi_examples={"criterion": {"value": CRITERION_EXAMPLE}})]
Change = Annotated[
    Any, Body(openapi_examples={"change lane": {"value": {"lane": "red", "note": "repeat finds"}}})
]


def _reader(principal: Principal) -> None:
    principal.require_scope(Scope.RISK_READ)


def _writer(principal: Principal) -> Actor:
    principal.require_scope(Scope.RISK_WRITE)
    return Actor(principal.username, principal.user_id)


# ---- criteria ----------------------------------------------------------------------------------------------


@router.get("/criteria", response_model=list[CriterionRead])
def list_criteria(session: SessionDep, principal: PrincipalDep) -> list[CriterionRead]:
    _reader(principal)
    return [CriterionRead.of(v) for v in service.list_criteria(session)]


@router.post("/criteria", response_model=CriterionRead, status_code=201)
def create_criterion(
    body: Json, session: SessionDep, runtime: RuntimeDep, principal: Analyst
) -> CriterionRead:
    now = runtime.clock()
    view = service.create_criterion(
        session, data=body, actor=_writer(principal), now=now, today=korea_date(now)
    )
    return CriterionRead.of(view)


@router.get("/criteria/{criterion_id}", response_model=CriterionRead)
def get_criterion(criterion_id: ResourceId, session: SessionDep, principal: PrincipalDep) -> CriterionRead:
    _reader(principal)
    return CriterionRead.of(service.get_criterion(session, criterion_id))


@router.get("/criteria/{criterion_id}/versions", response_model=list[CriterionVersionRead])
def criterion_versions(
    criterion_id: ResourceId, session: SessionDep, principal: PrincipalDep
) -> list[CriterionVersionRead]:
    _reader(principal)
    return [CriterionVersionRead.of(v) for v in service.criterion_history(session, criterion_id)]


@router.patch("/criteria/{criterion_id}", response_model=CriterionRead)
def change_criterion(
    criterion_id: ResourceId, body: Change, session: SessionDep, runtime: RuntimeDep, principal: Analyst
) -> CriterionRead:
    """A new version: the fields given replace the current ones. ``note`` says why; ``expected_version``
    refuses the change if someone else changed the criterion meanwhile."""
    data = dict(body) if isinstance(body, dict) else body
    note = data.pop("note", None) if isinstance(data, dict) else None
    expected = data.pop("expected_version", None) if isinstance(data, dict) else None
    now = runtime.clock()
    view = service.update_criterion(
        session,
        criterion_id=criterion_id,
        data=data,
        actor=_writer(principal),
        now=now,
        today=korea_date(now),
        note=note,
        expected_version=expected if isinstance(expected, int) else None,
    )
    return CriterionRead.of(view)


@router.delete("/criteria/{criterion_id}", response_model=CriterionRead)
def deactivate_criterion(
    criterion_id: ResourceId,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: Analyst,
    note: Annotated[str | None, Query(max_length=500)] = None,
) -> CriterionRead:
    """Criteria are not erased: this writes an inactive version, keeping the history and hit rates."""
    now = runtime.clock()
    return CriterionRead.of(
        service.deactivate_criterion(
            session,
            criterion_id=criterion_id,
            actor=_writer(principal),
            now=now,
            today=korea_date(now),
            note=note,
        )
    )


@router.post("/conditions/check")
def check_condition(body: ConditionCheck, session: SessionDep, principal: Analyst) -> dict[str, Any]:
    """Validate a condition without saving it, and count the recent declarations it would match."""
    condition = validate(body.condition, watchlists=repo.watchlist_names(session))
    return {"condition": condition, "recent_matches": service.dry_run(session, condition)}


# ---- watchlists --------------------------------------------------------------------------------------------


def _watchlist_read(session: SessionDep, watchlist_id: int, history: bool = False) -> WatchlistRead:
    row = repo.watchlist(session, watchlist_id)
    if row is None:
        raise NotFound(f"no watchlist {watchlist_id}")
    return WatchlistRead.of(row, repo.entries(session, [row.id], current=not history))


@router.get("/watchlists", response_model=list[WatchlistRead])
def list_watchlists(session: SessionDep, principal: PrincipalDep) -> list[WatchlistRead]:
    _reader(principal)
    return [_watchlist_read(session, w.id) for w in repo.watchlists(session)]


@router.post("/watchlists", response_model=WatchlistRead, status_code=201)
def create_watchlist(
    body: WatchlistCreate, session: SessionDep, runtime: RuntimeDep, principal: Analyst
) -> WatchlistRead:
    row = service.create_watchlist(
        session,
        name=body.name,
        lane=body.lane,
        description=body.description,
        actor=_writer(principal),
        now=runtime.clock(),
    )
    return _watchlist_read(session, row.id)


@router.get("/watchlists/{watchlist_id}", response_model=WatchlistRead)
def get_watchlist(
    watchlist_id: ResourceId, session: SessionDep, principal: PrincipalDep, history: bool = False
) -> WatchlistRead:
    _reader(principal)
    return _watchlist_read(session, watchlist_id, history)


@router.patch("/watchlists/{watchlist_id}", response_model=WatchlistRead)
def change_watchlist(
    watchlist_id: ResourceId,
    body: WatchlistChange,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: Analyst,
) -> WatchlistRead:
    service.set_watchlist_active(
        session, watchlist_id=watchlist_id, active=body.active, actor=_writer(principal), now=runtime.clock()
    )
    return _watchlist_read(session, watchlist_id)


@router.post("/watchlists/{watchlist_id}/entries", response_model=WatchlistRead, status_code=201)
def add_entry(
    watchlist_id: ResourceId,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: Analyst,
    body: Annotated[
        Any,
        Body(
            openapi_examples={
                "importer": {
                    "value": {
                        "field": "importer",
                        "party": "123-45-67890",
                        "reason": "two undervaluation findings",
                    }
                }
            }
        ),
    ],
) -> WatchlistRead:
    service.add_entry(
        session, watchlist_id=watchlist_id, data=body, actor=_writer(principal), now=runtime.clock()
    )
    return _watchlist_read(session, watchlist_id)


@router.delete("/watchlists/{watchlist_id}/entries/{entry_id}", response_model=WatchlistRead)
def remove_entry(
    watchlist_id: ResourceId,
    entry_id: ResourceId,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: Analyst,
    reason: Annotated[str | None, Query(max_length=500)] = None,
) -> WatchlistRead:
    service.remove_entry(
        session,
        watchlist_id=watchlist_id,
        entry_id=entry_id,
        actor=_writer(principal),
        now=runtime.clock(),
        reason=reason,
    )
    return _watchlist_read(session, watchlist_id)


# ---- policy ------------------------------------------------------------------------------------------------


@router.get("/policy", response_model=PolicyRead)
def get_policy(session: SessionDep, principal: PrincipalDep) -> PolicyRead:
    _reader(principal)
    return PolicyRead.of(*service.current_policy(session))


@router.put("/policy", response_model=PolicyRead)
def set_policy(
    session: SessionDep,
    runtime: RuntimeDep,
    principal: Analyst,
    body: Annotated[
        Any,
        Body(
            openapi_examples={
                "budget": {"value": {"red_share": 0.05, "yellow_share": 0.10, "exploration_share": 0.02}}
            }
        ),
    ],
) -> PolicyRead:
    service.set_policy(session, data=body, actor=_writer(principal), now=runtime.clock())
    return PolicyRead.of(*service.current_policy(session))


# ---- model versions ----------------------------------------------------------------------------------------


@router.get("/models", response_model=list[ModelVersionRead])
def list_models(session: SessionDep, principal: PrincipalDep) -> list[ModelVersionRead]:
    _reader(principal)
    return [ModelVersionRead.of(m) for m in repo.model_versions(session)]


@router.post("/models/train", response_model=ModelVersionRead, status_code=201)
def train_model(
    body: TrainRequest, session: SessionDep, runtime: RuntimeDep, principal: Analyst
) -> ModelVersionRead:
    """Train a new version on the inspection results recorded so far (a candidate unless ``promote``)."""
    actor = _writer(principal)
    now = runtime.clock()
    params = {"groups": tuple(body.groups)} if body.groups else None
    row = modelops.train_from_product(
        session, models_dir=runtime.settings.models_dir, actor=actor, now=now, params=params, note=body.note
    )
    if body.promote:
        row = versions.promote(
            session,
            version=row.version,
            models_dir=runtime.settings.models_dir,
            actor=actor,
            now=now,
            note=body.note,
        )
    return ModelVersionRead.of(row)


@router.post("/models/{version}/promote", response_model=ModelVersionRead)
def promote_model(
    version: str,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: Analyst,
    body: PromoteRequest | None = None,
) -> ModelVersionRead:
    row = versions.promote(
        session,
        version=version,
        models_dir=runtime.settings.models_dir,
        actor=_writer(principal),
        now=runtime.clock(),
        note=body.note if body else None,
    )
    return ModelVersionRead.of(row)


# ---- monitoring --------------------------------------------------------------------------------------------


@router.get("/report")
def report(
    session: SessionDep, principal: PrincipalDep, since: date | None = None, until: date | None = None
) -> dict[str, Any]:
    """Hit rate per criterion and model version, precision of the selected, lanes and PSI drift by week."""
    _reader(principal)
    return versions.report(session, since=since, until=until)


@router.get("/declarations/{declaration_id}/decisions", response_model=list[LaneDecisionRead])
def lane_decisions(
    declaration_id: ResourceId, session: SessionDep, principal: PrincipalDep
) -> list[LaneDecisionRead]:
    """Why each version of a declaration got its lane (customs staff only)."""
    _reader(principal)
    rows = repo.decisions_for(session, declaration_id)
    if not rows:
        raise NotFound(f"no lane decision for declaration {declaration_id}")
    return [LaneDecisionRead.of(r) for r in rows]


@router.get("/declarations/{declaration_id}/explanation")
def explanation(
    declaration_id: ResourceId,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: PrincipalDep,
    version: Annotated[int | None, Query(ge=1, le=10_000)] = None,
) -> dict[str, Any]:
    """Each goods item's score and the five features that raised it most, from the model version that scored
    the declaration (computed on request for green-lane declarations)."""
    _reader(principal)
    return versions.explain_decision(
        session, declaration_id=declaration_id, version=version, models_dir=runtime.settings.models_dir
    )
