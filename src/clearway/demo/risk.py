"""The demo's risk story: a cold start with criteria and a wide exploration share, then a model trained on
the demo's own inspection results (or, with too few of them, the KCS-pretrained model), then steady state.

What the demo calls, in order (each inside its unit of work)::

    seed_demo_configuration(session, now=..., today=...)        # before filing the history declarations
    ... file the history declarations, officers record inspection results on the checked ones ...
    bootstrap_demo_model(session, models_dir=settings.models_dir, now=...)   # then file the rest
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from clearway.audit.service import Actor
from clearway.risk import repository as repo
from clearway.risk import service, versions
from clearway.risk.learning import modelops
from clearway.risk.model import NotEnoughOutcomes
from clearway.risk.models import RiskModelVersion

DEMO = Actor("demo")
COLD_START_EXPLORATION = 0.3
STEADY_EXPLORATION = 0.02

DEMO_CRITERIA: tuple[dict[str, Any], ...] = (
    {
        "code": "DEMO-FOOTWEAR-LOW-VALUE",
        "name": "Sandals far below the reference value per kg",
        "lane": "yellow",
        "condition": {
            "all": [
                {"field": "commodity_code", "op": "prefix", "value": "6402"},
                {"field": "value_per_kg_ratio", "op": "lt", "value": 0.6},
            ]
        },
        "random_rate": 1.0,
        "expected_rate": 0.35,
        "description": "Undervaluation of footwear: value per kg under 60% of the commodity's reference.",
    },
    {
        "code": "DEMO-LIQUOR-DOCS",
        "name": "Beer and wine: liquor-tax document check, one in three",
        "lane": "yellow",
        "condition": {"field": "commodity_code", "op": "prefix", "value": ["2203", "2204"]},
        "random_rate": 0.3,
        "expected_rate": 0.1,
    },
    {
        "code": "DEMO-BEEF-ORIGIN",
        "name": "Beef from an origin other than the usual suppliers",
        "lane": "red",
        "condition": {
            "all": [
                {"field": "commodity_code", "op": "prefix", "value": "0201"},
                {"field": "origin_country", "op": "not_in", "value": ["AU", "NZ", "US"]},
            ]
        },
        "random_rate": 1.0,
        "expected_rate": 0.5,
    },
)
DEMO_WATCHLIST = (
    "demo-repeat-findings",
    "yellow",
    {
        "field": "seller",
        "party": "PT Sepatu Nusantara|ID",
        "reason": "demo: two earlier undervaluation findings",
    },
)


def seed_demo_configuration(
    session: Session,
    *,
    now: datetime,
    today: date,
    actor: Actor = DEMO,
    exploration_share: float = COLD_START_EXPLORATION,
) -> None:
    """Demo criteria, a watchlist and a cold-start policy (wide exploration, so the history has checks to
    learn from). Idempotent: what exists is left alone."""
    for data in DEMO_CRITERIA:
        if repo.criterion_by_code(session, data["code"]) is None:
            service.create_criterion(
                session, data={**data, "valid_from": today.isoformat()}, actor=actor, now=now, today=today
            )
    name, lane, entry = DEMO_WATCHLIST
    if repo.watchlist_by_name(session, name) is None:
        w = service.create_watchlist(
            session, name=name, lane=lane, description="demo watchlist", actor=actor, now=now
        )
        service.add_entry(session, watchlist_id=w.id, data=entry, actor=actor, now=now)
    service.set_policy(session, data={"exploration_share": exploration_share}, actor=actor, now=now)


def bootstrap_demo_model(
    session: Session,
    *,
    models_dir: Path,
    now: datetime,
    actor: Actor = DEMO,
    params: dict[str, Any] | None = None,
    exploration_share: float = STEADY_EXPLORATION,
) -> RiskModelVersion:
    """Train on the demo's inspection results and promote the model; with fewer than 10 checked declarations
    (or only one kind of finding) promote the KCS-pretrained model instead. Then set the steady-state policy.
    Returns the promoted version."""
    try:
        row = modelops.train_from_product(
            session,
            models_dir=models_dir,
            actor=actor,
            now=now,
            params=params,
            note="demo: trained on the demo's inspection results",
        )
    except NotEnoughOutcomes as exc:
        doc = modelops.pretrained_document(models_dir, now)
        row = versions.register_document(
            session,
            doc,
            models_dir=models_dir,
            actor=actor,
            now=now,
            note=f"demo: pretrained on KCS synthetic data ({exc.detail})",
        )
    promoted = versions.promote(
        session, version=row.version, models_dir=models_dir, actor=actor, now=now, note="demo bootstrap"
    )
    service.set_policy(session, data={"exploration_share": exploration_share}, actor=actor, now=now)
    return promoted
