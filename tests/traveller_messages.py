"""Carriers' passenger messages for the traveller tests."""

from __future__ import annotations

import copy
from typing import Any


def passenger(
    family: str = "KIM", given: str = "MIN SU", number: str = "M12345678", **over: Any
) -> dict[str, Any]:
    p: dict[str, Any] = {
        "family_name": family,
        "given_names": given,
        "date_of_birth": "1985-03-14",
        "sex": "M",
        "nationality": "KOR",
        "seat": "32A",
        "document": {"type": "P", "number": number, "issuer": "KOR", "expiry": "2031-01-01"},
        "pnr": {
            "record_locator": "ABC123",
            "booking_date": "2026-11-19",
            "channel": "agency",
            "travel_agency": "Hana Tour",
            "payment": "cash",
            "bags": 2,
            "contact": "+82 10 5555 0101",
            "co_travellers": ["LEE SOYEON"],
            "itinerary": [{"from": "JFK", "to": "ICN", "flight": "KE082", "date": "2026-11-20"}],
        },
    }
    p.update(over)
    return p


def message(
    message_id: str = "KE082-20261121-001",
    passengers: list[dict[str, Any]] | None = None,
    arrival: str = "2026-11-21T17:30:00+09:00",
) -> dict[str, Any]:
    return copy.deepcopy(
        {
            "message_id": message_id,
            "carrier": "KE",
            "flight": {
                "number": "KE082",
                "departure_port": "JFK",
                "arrival_port": "ICN",
                "scheduled_arrival": arrival,
            },
            "passengers": passengers if passengers is not None else [passenger()],
        }
    )
