"""Valid manifest documents for the cargo tests, with overrides."""

from __future__ import annotations

import copy
from typing import Any

from tests.documents import HANBIT


def house(bill: str, **overrides: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "house_bill": bill,
        "shipper": {"name": "Shenzhen Everbright Trading Co.", "country": "CN"},
        "consignee": {"name": HANBIT.name, "brn": HANBIT.brn, "country": "KR"},
        "description": "Notebook computer, 14-inch",
        "hs6": "847130",
        "packages": 10,
        "package_type": "CT",
        "gross_weight_kg": "200",
        "value": "85000",
        "currency": "USD",
        "containers": ["CSQU3054383"],
    }
    document.update(overrides)
    return document


def manifest(
    reference: str = "M-1", houses: list[dict[str, Any]] | None = None, **voyage: Any
) -> dict[str, Any]:
    document = {
        "reference": reference,
        "voyage": {
            "mode": "sea",
            "carrier_code": "HDMU",
            "number": "0042E",
            "imo": "9074729",
            "vessel_name": "HYUNDAI PRIDE",
            "port_of_loading": "CNSHA",
            "port_of_discharge": "KRPUS",
            "departure_date": "2026-11-15",
            "arrival_date": "2026-11-19",
            **voyage,
        },
        "containers": [{"number": "CSQU3054383", "size_type": "22G1", "seals": ["SL778812"]}],
        "masters": [{"master_bill": "HDMUSHA0001", "houses": houses or [house("HDMU12345678")]}],
    }
    return copy.deepcopy(document)
