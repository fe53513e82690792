"""The shell of parcel screening: loads what :mod:`clearway.parcel.screening` needs once per batch.

The risk configuration comes from a :class:`~clearway.risk.snapshot.SnapshotCache` (the filing lane
selector's when the runtime has one, so both see the same criteria and model, reloaded when an analyst
changes them); recorded rights and exchange rates are read once per arrival date of the batch; the
classifier's cheap code check runs once for the batch's (description, code) pairs when a model is served.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from clearway.classification.step import ClassificationAdvisor
from clearway.ipr import repository as ipr_repo
from clearway.parcel import screening
from clearway.risk.snapshot import SnapshotCache
from clearway.risk.step import RiskLaneSelector


@dataclass
class Screener:
    cache: SnapshotCache
    advisor: ClassificationAdvisor | None = None

    def screen(
        self, session: Session, parcels: Sequence[screening.ScreenParcel]
    ) -> list[screening.Screening]:
        if not parcels:
            return []
        snapshot = self.cache.get(session)
        days = sorted({p.arrival_date for p in parcels})
        rights = {on: ipr_repo.rights_in_force(session, on) for on in days}
        rates = {on: ipr_repo.rates_krw(session, on) for on in days}
        unlikely = self._unlikely(parcels)
        out: list[screening.Screening] = [None] * len(parcels)  # type: ignore[list-item]
        for on in days:
            at = [i for i, p in enumerate(parcels) if p.arrival_date == on]
            pos = {i: k for k, i in enumerate(at)}
            local = {(pos[i], j): v for (i, j), v in unlikely.items() if i in pos}
            found = screening.screen([parcels[i] for i in at], snapshot, rights[on], rates[on], local)
            for i, s in zip(at, found, strict=True):
                out[i] = s
        return out

    def _unlikely(self, parcels: Sequence[screening.ScreenParcel]) -> dict[tuple[int, int], dict[str, Any]]:
        """The classifier's cheap check of every coded item of the batch, in one call (none without a model)."""
        if self.advisor is None:
            return {}
        model = self.advisor._model()
        if model is None:
            return {}
        where = [(i, j) for i, p in enumerate(parcels) for j, item in enumerate(p.items) if item.hs_code]
        pairs = [(parcels[i].items[j].description, str(parcels[i].items[j].hs_code)) for i, j in where]
        try:
            checks = self.advisor.checks(model, pairs)
        except Exception:  # advice never stops a list
            return {}
        out = {}
        for (i, j), check in zip(where, checks, strict=True):
            if check.unlikely:
                out[(i, j)] = {
                    "where": f"parcel {parcels[i].key} item {j + 1}",
                    "suggested_hs6": check.suggestions[:3],
                    "message": f"{check.code} is unlikely for '{parcels[i].items[j].description[:60]}'; "
                    f"the description fits {', '.join(check.suggestions[:3]) or 'another code'} better",
                }
        return out


def screener_for(runtime: Any) -> Screener:
    """The runtime's screener: the lane selector's snapshot cache when the runtime has one, else one kept in
    the runtime's caches."""
    selector = getattr(getattr(runtime.declarations, "steps", None), "lane_selector", None)
    advisors = getattr(getattr(runtime.declarations, "steps", None), "advisors", ())
    advisor = next((a for a in advisors if isinstance(a, ClassificationAdvisor)), None)
    if isinstance(selector, RiskLaneSelector):
        return Screener(selector.cache, advisor)
    models_dir = Path(runtime.settings.models_dir)
    with runtime.caches.lock:
        screeners: dict[Path, Screener] = runtime.caches.slot("parcel.screeners")
        if models_dir not in screeners:
            screeners[models_dir] = Screener(SnapshotCache(models_dir), advisor)
        return screeners[models_dir]
