"""API shapes of the cargo endpoints (requests are small; a manifest itself is checked by ``manifest.py``)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from clearway.cargo.models import CargoHouseBill, CargoManifest


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ArrivalIn(_In):
    on: date


class CarryInIn(_In):
    shed: str = Field(min_length=1, max_length=20, description="Bonded area code (8 letters or digits)")
    area_kind: Literal["designated", "warehouse"] = "designated"
    on: date


class CarryOutIn(_In):
    reason: Literal["release", "transit", "return"] = "release"
    reason_text: str | None = Field(None, max_length=500)
    on: date


class HoldIn(_In):
    kind: Literal["hold", "xray", "physical"]
    reason: str = Field(min_length=1, max_length=500)


class HoldResultIn(_In):
    result: Literal["no_irregularity", "irregularity"]
    note: str | None = Field(None, max_length=1000)


def manifest_summary(
    row: CargoManifest, counts: dict[str, int] | None = None, *, customs: bool = False
) -> dict[str, Any]:
    """A manifest's header; with ``counts`` its number of bills, and for customs their risk levels."""
    out: dict[str, Any] = {
        "id": row.id,
        "mrn": row.mrn,
        "reference": row.reference,
        "version": row.version,
        "status": row.status,
        "mode": row.mode,
        "carrier_code": row.carrier_code,
        "voyage": row.voyage_number,
        "vessel": row.vessel_name,
        "port_of_loading": row.port_of_loading,
        "port_of_discharge": row.port_of_discharge,
        "departure_date": row.departure_date.isoformat(),
        "arrival_date": row.arrival_date.isoformat(),
        "arrived_on": row.arrived_on.isoformat() if row.arrived_on else None,
    }
    if counts is not None:
        out["bills"] = sum(counts.values())
        if customs:  # the screening is confidential to customs
            out["risk_counts"] = counts
    return out


def bill_summary(row: CargoHouseBill, *, customs: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ccn": row.ccn,
        "house_bill": row.house_bill,
        "master_bill": row.master_bill,
        "consignee": row.consignee_name,
        "description": row.description,
        "hs6": row.hs6,
        "packages": row.packages,
        "gross_weight_kg": str(row.gross_weight_kg),
    }
    if customs:
        out["risk"] = {
            "level": row.risk_level,
            "score": row.risk_score,
            "action": row.risk_action,
            "reasons": row.risk_reasons,
        }
    return out
