"""Screening of direct-purchase parcels: every parcel passes the risk engine and IP screening, in batches.

Pure: the risk configuration (:class:`~clearway.risk.snapshot.Snapshot`), the recorded rights and the week's
exchange rates come in as values; a :class:`Screening` per parcel comes out.

* **Risk engine** — each item is a :class:`~clearway.risk.records.RiskRecord` (kind ``parcel``, the carrier as
  courier, the dispatch country as departure, the buyer as importer ``PCC:<code id>``) checked against the
  analysts' criteria and watchlists; items with a 10-digit HS code are scored by the promoted model in one
  call for the whole batch (the features fit only where the code is known); the exploration share draws
  parcels at random so the model keeps learning. The lane comes from :func:`clearway.risk.selection.decide`.
* **IP screening** — every item's description against the recorded marks in force
  (:func:`clearway.ipr.core.screen_line`); a private buyer is never an authorised importer.
* **Parcel signals** — split-shipment evasion and the combined-arrival rule found by routing; a
  description–price mismatch: the declared value per kg far below the model's reference for the HS6
  (:data:`FAR_BELOW_REFERENCE`), or the classifier finding the declared code unlikely for the description.

The outcome: ``red`` → physical inspection, ``yellow`` → X-ray, ``green`` → released on its route. A parcel
with a suspected IP infringement is inspected whatever its lane; a split-shipment suspicion is at least an
X-ray.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np

from clearway.declaration.lifecycle import Lane
from clearway.ipr.core import RecordedRight, ScreenLine, screen_line
from clearway.risk.criteria import SEVERITY, criterion_hits, watch_hits
from clearway.risk.records import RiskRecord
from clearway.risk.selection import ModelView, decide
from clearway.risk.snapshot import Snapshot, SnapshotContext

FAR_BELOW_REFERENCE = 0.1  # declared value per kg below a tenth of the HS6 reference: a mismatch
CHECK_OF_LANE = {Lane.RED: "inspection", Lane.YELLOW: "xray"}
SIGNAL_TEXT = {
    "split_shipment_suspected": "one buyer's parcels from one shop split to stay under the de minimis",
    "combined_arrival": "the buyer's parcels of the same day from the same country are over the de minimis",
    "ipr_suspected": "an item may infringe a recorded intellectual property right",
    "price_below_reference": "the declared value per kg is far below the reference for the goods",
    "code_unlikely": "the classifier finds the declared code unlikely for the description",
}
RESULTS = ("clear", "found")  # an officer's finding on an X-ray or inspection


@dataclass(frozen=True, slots=True)
class ScreenItem:
    description: str
    hs_code: str | None
    quantity: Decimal
    unit_price: Decimal
    currency: str
    value_krw: Decimal


@dataclass(frozen=True, slots=True)
class ScreenParcel:
    key: str  # the house bill: the draws are reproducible per parcel
    arrival_date: date
    dispatch_country: str
    carrier: str
    holder: int  # the personal code's id
    weight_kg: Decimal | None
    items: tuple[ScreenItem, ...]
    signals: tuple[str, ...] = ()  # found by routing (split shipment, combined arrival)


@dataclass
class Screening:
    lane: Lane
    method: str
    score: float | None
    check: str | None  # inspection | xray | None
    signals: list[str]
    reasons: list[dict[str, Any]]
    explored: bool = False
    ipr: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "lane": self.lane.value,
            "method": self.method,
            "score": self.score,
            "check": self.check,
            "explored": self.explored,
            "reasons": self.reasons,
            "ipr": self.ipr,
        }


def floor_of(signals: Sequence[str]) -> Lane | None:
    """The least check a parcel's signals call for: an IP suspicion is inspected, the others X-rayed."""
    if "ipr_suspected" in signals:
        return Lane.RED
    if set(signals) & {"split_shipment_suspected", "price_below_reference", "code_unlikely"}:
        return Lane.YELLOW
    return None


def records_of(parcel: ScreenParcel) -> list[RiskRecord]:
    """The risk engine's view of a parcel: one record per item."""
    total = sum((i.value_krw for i in parcel.items), Decimal(0))
    out = []
    for n, item in enumerate(parcel.items, start=1):
        share = float(item.value_krw / total) if total else 1.0 / len(parcel.items)
        hs = item.hs_code if item.hs_code and len(item.hs_code) == 10 else None
        out.append(
            RiskRecord(
                declared_on=parcel.arrival_date,
                hs6=item.hs_code[:6] if item.hs_code else None,
                commodity_code=hs,
                origin_country=parcel.dispatch_country,
                departure_country=parcel.dispatch_country,
                transport_mode="express",
                process_type="parcel",
                import_use="personal",
                courier=parcel.carrier,
                importer=f"PCC:{parcel.holder}",
                seller=None,
                net_mass_kg=None if parcel.weight_kg is None else float(parcel.weight_kg) * share,
                value_krw=float(item.value_krw),
                value_key=f"{item.currency}:{item.quantity * item.unit_price}",
                kind="parcel",
                ref=f"parcel {parcel.key} item {n}",
            )
        )
    return out


def score_all(snapshot: Snapshot, records: Sequence[RiskRecord]) -> list[float | None]:
    """The promoted model's score of every record it has the features for (a 10-digit code), in one call."""
    out: list[float | None] = [None] * len(records)
    if snapshot.model is None or snapshot.thresholds is None:
        return out
    fit = [i for i, r in enumerate(records) if r.commodity_code is not None]
    if not fit:
        return out
    try:
        scores = np.asarray(snapshot.model.model.score([records[i] for i in fit]), dtype=float)
    except Exception:  # a failing model must never stop a list: criteria, watchlists and exploration remain
        return out
    for i, s in zip(fit, scores, strict=True):
        out[i] = float(s)
    return out


def price_mismatch(record: RiskRecord, ctx: SnapshotContext) -> dict[str, Any] | None:
    """The declared value per kg far below the HS6 reference (a description that does not fit the price)."""
    per_kg = record.value_per_kg
    if per_kg is None or record.hs6 is None:
        return None
    reference = ctx.reference_value_per_kg(record.hs6)
    if not reference or per_kg >= reference * FAR_BELOW_REFERENCE:
        return None
    return {
        "kind": "signal",
        "code": "price_below_reference",
        "where": record.ref,
        "message": f"{record.ref}: {per_kg:,.0f} KRW/kg, under {FAR_BELOW_REFERENCE:.0%} of the "
        f"reference {reference:,.0f} KRW/kg for HS {record.hs6}",
    }


def screen(
    parcels: Sequence[ScreenParcel],
    snapshot: Snapshot,
    rights: Sequence[RecordedRight] = (),
    rates: Mapping[str, Decimal] | None = None,
    unlikely: Mapping[tuple[int, int], dict[str, Any]] | None = None,
) -> list[Screening]:
    """Screen a batch. ``unlikely`` maps (parcel position, item position) to the classifier's finding."""
    ctx = SnapshotContext(snapshot)
    records = [records_of(p) for p in parcels]
    flat = [r for rs in records for r in rs]
    scores = score_all(snapshot, flat)
    out: list[Screening] = []
    at = 0
    for position, (parcel, recs) in enumerate(zip(parcels, records, strict=True)):
        mine = scores[at : at + len(recs)]
        at += len(recs)
        signals = list(parcel.signals)
        notes: list[dict[str, Any]] = [
            {"kind": "signal", "code": s, "message": SIGNAL_TEXT.get(s, s)} for s in parcel.signals
        ]
        for rec in recs:
            mismatch = price_mismatch(rec, ctx)
            if mismatch is not None:
                notes.append(mismatch)
                if "price_below_reference" not in signals:
                    signals.append("price_below_reference")
        for j, _ in enumerate(parcel.items):
            finding = (unlikely or {}).get((position, j))
            if finding is not None:
                notes.append({"kind": "signal", "code": "code_unlikely", **finding})
                if "code_unlikely" not in signals:
                    signals.append("code_unlikely")
        ipr: list[dict[str, Any]] = []
        if rights:
            for n, item in enumerate(parcel.items, start=1):
                line = ScreenLine(
                    n,
                    item.description,
                    item.hs_code,
                    parcel.dispatch_country,
                    item.quantity,
                    item.quantity * item.unit_price,
                    item.currency,
                    None,
                )
                ipr += [s.as_dict() for s in screen_line(line, rights, on=parcel.arrival_date, rates=rates)]
        if any(s["suspected"] for s in ipr):
            signals.append("ipr_suspected")
            notes.append({"kind": "signal", "code": "ipr_suspected", "message": SIGNAL_TEXT["ipr_suspected"]})
        view = None
        scored = [(s, r) for s, r in zip(mine, recs, strict=True) if s is not None]
        if scored and snapshot.model is not None and snapshot.thresholds is not None:
            best, rec = max(scored, key=lambda pair: pair[0])
            view = ModelView(snapshot.model.version, best, None, snapshot.thresholds, rec.ref)
        decision = decide(
            key=("parcel", parcel.key),
            policy=snapshot.policy,
            criteria=criterion_hits(snapshot.criteria, recs, ctx, parcel.arrival_date),
            watches=watch_hits(snapshot.watchlists, recs),
            model=view,
            notes=notes,
        )
        lane, method, reasons = decision.lane, decision.method, decision.reasons
        floor = floor_of(signals)
        if floor is not None and SEVERITY[floor] > SEVERITY[lane]:
            lane, method = floor, "ipr" if floor is Lane.RED else "signal"
            reasons = [r for r in reasons if r.get("kind") != "green"]
        out.append(
            Screening(
                lane,
                method,
                decision.score,
                CHECK_OF_LANE.get(lane),
                signals,
                reasons,
                decision.explored,
                ipr,
            )
        )
    return out
