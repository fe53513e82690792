"""Training the pre-arrival model (shell): the generated history plus the product's own examination results.

Outcomes from the product: each closed X-ray or physical examination order (``cargo_hold`` with a result) of
a house bill is an outcome of that bill — ``irregularity`` is a finding, known on the Korean date the order was
closed. Every other stored house bill counts for the history (shipper, consignee, route, weights) only.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.cargo import history, learning
from clearway.cargo.models import CargoHold, CargoHouseBill, CargoManifest
from clearway.clock import korea_date

EXAMINATIONS = ("xray", "physical")


def product_history(
    session: Session,
) -> tuple[list[learning.CargoRecord], list[learning.CargoOutcome | None]]:
    """Every stored house bill as a record, with the outcome of its examinations (None: never examined)."""
    found: dict[int, learning.CargoOutcome] = {}
    holds = session.scalars(
        select(CargoHold).where(CargoHold.kind.in_(EXAMINATIONS), CargoHold.result.is_not(None))
    )
    for h in holds:
        assert h.closed_at is not None
        known = korea_date(h.closed_at)
        before = found.get(h.house_bill_id)
        hit = h.result == "irregularity" or bool(before and before.found)
        found[h.house_bill_id] = learning.CargoOutcome(hit, max(known, before.known_on) if before else known)
    records: list[learning.CargoRecord] = []
    outcomes: list[learning.CargoOutcome | None] = []
    rows = session.execute(
        select(CargoHouseBill, CargoManifest).join(
            CargoManifest, CargoManifest.id == CargoHouseBill.manifest_id
        )
    )
    for bill, manifest in rows:
        records.append(
            learning.CargoRecord(
                bill=bill.house_bill,
                arrival_date=manifest.arrived_on or manifest.arrival_date,
                mode=manifest.mode,
                carrier_code=manifest.carrier_code,
                port_of_loading=manifest.port_of_loading,
                port_of_discharge=manifest.port_of_discharge,
                transshipment_ports=tuple(bill.transshipment_ports or ()),
                shipper_key=bill.shipper_key,
                consignee_key=bill.consignee_key,
                description=bill.description,
                hs6=bill.hs6,
                packages=bill.packages,
                gross_weight_kg=float(bill.gross_weight_kg),
                has_value=bill.value is not None,
            )
        )
        outcomes.append(found.get(bill.id))
    return records, outcomes


def train_and_save(
    session: Session | None,
    *,
    models_dir: Path,
    now: datetime,
    trained_by: str,
    weeks: int = 20,
    seed: int = 12,
) -> learning.Trained:
    """Train on ``weeks`` of generated history (and, with a session, the product's examinations) and make
    the new version the one screening uses."""
    generated = history.generate(weeks=weeks, seed=seed)
    records = [b.record for b in generated.bills]
    outcomes: list[learning.CargoOutcome | None] = [b.outcome for b in generated.bills]
    sources: list[dict[str, Any]] = [
        {
            "source": "generated history (clearway.cargo.history)",
            "weeks": weeks,
            "seed": seed,
            "bills": len(records),
            "examined": sum(o is not None for o in outcomes),
        }
    ]
    if session is not None:
        own_records, own_outcomes = product_history(session)
        records += own_records
        outcomes += own_outcomes
        sources.append(
            {
                "source": "clearway cargo examinations",
                "bills": len(own_records),
                "examined": sum(o is not None for o in own_outcomes),
            }
        )
    trained = learning.train(records, outcomes, now=now, trained_by=trained_by, sources=sources)
    learning.save(models_dir, trained.document)
    return trained
