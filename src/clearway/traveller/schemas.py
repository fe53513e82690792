"""What the traveller endpoints answer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from clearway.traveller.models import TravellerPassenger

MESSAGE_EXAMPLE: dict[str, Any] = {
    "message_id": "KE082-20261121-001",
    "carrier": "KE",
    "flight": {
        "number": "KE082",
        "departure_port": "JFK",
        "arrival_port": "ICN",
        "scheduled_arrival": "2026-11-21T17:30:00+09:00",
    },
    "passengers": [
        {
            "family_name": "KIM",
            "given_names": "MIN SU",
            "date_of_birth": "1985-03-14",
            "sex": "M",
            "nationality": "KOR",
            "seat": "32A",
            "document": {"type": "P", "number": "M12345678", "issuer": "KOR", "expiry": "2031-01-01"},
            "pnr": {
                "record_locator": "ABC123",
                "booking_date": "2026-11-19",
                "channel": "agency",
                "travel_agency": "Hana Tour",
                "payment": "cash",
                "bags": 2,
                "contact": "+82 10 0000 0000",
                "co_travellers": ["LEE SOYEON"],
                "itinerary": [{"from": "JFK", "to": "ICN", "flight": "KE082", "date": "2026-11-20"}],
            },
        }
    ],
}


class PassengerRead(BaseModel):
    id: int
    flight_number: str
    arrival_date: date
    carrier: str
    departure_port: str
    arrival_port: str
    scheduled_arrival: datetime
    api: dict[str, Any]
    pnr: dict[str, Any] | None
    version: int
    masked: bool

    @classmethod
    def of(cls, row: TravellerPassenger) -> PassengerRead:
        return cls(
            id=row.id,
            flight_number=row.flight_number,
            arrival_date=row.arrival_date,
            carrier=row.carrier,
            departure_port=row.departure_port,
            arrival_port=row.arrival_port,
            scheduled_arrival=row.scheduled_arrival,
            api=row.api,
            pnr=row.pnr,
            version=row.version,
            masked=row.masked_at is not None,
        )


class WatchlistRead(BaseModel):
    id: int
    name: str
    version: int
    entry_count: int
    loaded_at: datetime
    loaded_by: str


class HitRead(BaseModel):
    id: int
    passenger_id: int
    watchlist: str
    list_version: int
    entry_id: str
    score: float
    name_score: float
    reasons: list[str]
    status: str
    decided_by: str | None
    decided_at: datetime | None
    note: str | None


class ScreeningRead(BaseModel):
    passengers: int
    lists: list[dict[str, Any]]
    suppressed: int
    hits: list[HitRead]


class HitDecision(BaseModel):
    decision: str
    note: str = ""


class SelectionRow(BaseModel):
    passenger_id: int
    name: str
    seat: str | None
    nationality: str
    selected: bool
    selected_by: str
    score: float | None
    reasons: list[dict[str, Any]]


class SelectionRead(BaseModel):
    flight_number: str
    arrival_date: date
    model_version: str | None
    exploration_share: float
    rows: list[SelectionRow]


class CheckIn(BaseModel):
    found: bool
    finding: str = ""
    selected_by: str = "officer"


class CheckRead(BaseModel):
    id: int
    passenger_id: int | None
    flight_number: str
    arrival_date: date
    found: bool
    finding: str
    selected_by: str
    checked_at: datetime
    checked_by: str


class TrainIn(BaseModel):
    generated_days: int = 20


class TrainRead(BaseModel):
    version: str
    sha256: str
    metrics: dict[str, Any]


class RuleIn(BaseModel):
    code: str
    description: str
    condition: Any


class RuleRead(BaseModel):
    code: str
    description: str
    condition: dict[str, Any]
    built_in: bool
