"""The selector's cached view of the risk configuration: criteria, watchlists, policy, promoted model.

Loading it costs a few queries and (once per version) reading a model file, so :class:`SnapshotCache` keeps
it and reloads only when ``risk_generation`` changed (any analyst change bumps it) or the snapshot is older
than ``max_age`` seconds (so score thresholds follow recent traffic).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from clearway import caches
from clearway.declaration.lifecycle import Lane
from clearway.errors import ClearwayError
from clearway.risk import repository as repo
from clearway.risk.conditions import EvalContext
from clearway.risk.criteria import Criterion, CriterionSpec, Watchlist
from clearway.risk.metrics import quantile_table
from clearway.risk.models import RiskCriterionVersion
from clearway.risk.registry import LoadedModel, registry_for
from clearway.risk.selection import Policy, Thresholds

MIN_RECENT_SCORES = 500


@dataclass
class Snapshot:
    generation: int
    criteria: list[Criterion]
    watchlists: list[Watchlist]
    policy: Policy
    policy_version: int | None
    model: LoadedModel | None
    model_problem: str | None
    thresholds: Thresholds | None
    loaded_at: float = field(default_factory=time.monotonic)
    model_file_sha256: str | None = None  # the registered file's digest (named in decision receipts)


class SnapshotContext(EvalContext):
    def __init__(self, snapshot: Snapshot) -> None:
        self._lists = {w.name: w for w in snapshot.watchlists}
        self._model = snapshot.model

    def in_watchlist(self, watchlist: str, field: str, party: str) -> bool:
        w = self._lists.get(watchlist)
        return w is not None and w.active and party in w.entries.get(field, frozenset())

    def reference_value_per_kg(self, hs6: str | None) -> float | None:
        return None if self._model is None else self._model.model.state_.reference_value_per_kg(hs6)


def criterion_of(code: str, criterion_id: int, row: RiskCriterionVersion) -> Criterion:
    spec = CriterionSpec(
        code=code,
        name=row.name,
        condition=row.condition,
        lane=Lane(row.lane),
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        random_rate=row.random_rate,
        expected_rate=row.expected_rate,
        active=row.active,
        description=row.description,
    )
    return Criterion.of(criterion_id, row.version, spec)


def policy_of(session: Session) -> tuple[Policy, int | None]:
    row = repo.current_policy(session)
    if row is None:
        return Policy(), None
    return Policy(
        row.red_share, row.yellow_share, row.exploration_share, row.exploration_red_share, row.seed
    ), row.version


def load_snapshot(session: Session, models_dir: Path) -> Snapshot:
    gen = repo.generation(session)
    criteria = [criterion_of(c.code, c.id, v) for c, v in repo.current_criteria(session)]
    lists = repo.watchlists(session)
    by_list: dict[int, dict[str, set[str]]] = {w.id: {} for w in lists}
    for e in repo.entries(session, [w.id for w in lists]):
        by_list[e.watchlist_id].setdefault(e.field, set()).add(e.party)
    watchlists = [
        Watchlist(w.id, w.name, Lane(w.lane), {f: frozenset(p) for f, p in by_list[w.id].items()}, w.active)
        for w in lists
    ]
    policy, policy_version = policy_of(session)
    model, problem, thresholds = None, None, None
    row = repo.promoted_model(session)
    if row is None:
        problem = "no promoted risk model: lanes come from criteria, watchlists and random exploration only"
    else:
        try:
            model = registry_for(models_dir, caches.of(session)).load(
                row.version, row.file_name, row.file_sha256
            )
        except ClearwayError as exc:
            problem = (
                f"risk model {row.version} unavailable ({exc.detail}): lanes come from criteria, "
                "watchlists and random exploration only"
            )
    if model is not None:
        recent = repo.recent_scores(session, model.version)
        if len(recent) >= MIN_RECENT_SCORES:
            thresholds = Thresholds.from_quantiles(
                quantile_table(recent), policy, f"scores of the last {len(recent)} declarations"
            )
        else:
            thresholds = Thresholds.from_quantiles(
                model.reference.quantiles, policy, f"model {model.version} {model.reference.source} scores"
            )
    return Snapshot(
        gen,
        criteria,
        watchlists,
        policy,
        policy_version,
        model,
        problem,
        thresholds,
        model_file_sha256=row.file_sha256 if model is not None and row is not None else None,
    )


class SnapshotCache:
    def __init__(self, models_dir: Path, max_age: float = 300.0) -> None:
        self.models_dir = models_dir
        self.max_age = max_age
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()

    def get(self, session: Session) -> Snapshot:
        current = self._snapshot
        gen = repo.generation(session)
        if (
            current is not None
            and current.generation == gen
            and time.monotonic() - current.loaded_at < self.max_age
        ):
            return current
        with self._lock:
            snap = load_snapshot(session, self.models_dir)
            self._snapshot = snap
            return snap

    def invalidate(self) -> None:
        self._snapshot = None
