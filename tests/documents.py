"""Valid declaration documents for tests, with overrides."""

from __future__ import annotations

import copy
from typing import Any

from clearway.demo.parties import COMPANIES

HANBIT = next(c for c in COMPANIES if c.key == "hanbit")
BROKER = next(c for c in COMPANIES if c.key == "seoul-broker")
DAEHAN = next(c for c in COMPANIES if c.key == "daehan")


def party(company: Any) -> dict[str, Any]:
    return {"name": company.name, "brn": company.brn, "address": company.address, "country": "KR"}


def broker_declaration(reference: str = "REF-0001", **overrides: Any) -> dict[str, Any]:
    """Filed by the demo broker for its client Hanbit (under the demo mandate); the broker declares."""
    return import_declaration(reference, **{"declarant": party(BROKER), **overrides})


def daehan_declaration(reference: str = "REF-0001", **overrides: Any) -> dict[str, Any]:
    """Filed by Daehan Food (trader2) for itself."""
    return import_declaration(
        reference,
        **{"declarant": party(DAEHAN), "importer": party(DAEHAN), "buyer": party(DAEHAN), **overrides},
    )


def import_declaration(reference: str = "REF-0001", **overrides: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "kind": "import",
        "declarant_reference": reference,
        "declarant": {"name": HANBIT.name, "brn": HANBIT.brn, "address": HANBIT.address, "country": "KR"},
        "importer": {"name": HANBIT.name, "brn": HANBIT.brn, "address": HANBIT.address, "country": "KR"},
        "seller": {"name": "Shenzhen Everbright Trading Co.", "address": "Shenzhen", "country": "CN"},
        "buyer": {"name": HANBIT.name, "brn": HANBIT.brn, "country": "KR"},
        "consignment": {
            "transport_mode": "sea",
            "transport_document": "HDMU12345678",
            "arrival_date": "2026-11-19",
            "customs_office": "030",
            "port": "KRPUS",
        },
        "items": [
            {
                "line_number": 1,
                "commodity_code": "8471300000",
                "description": "Notebook computer, 14-inch",
                "origin_country": "CN",
                "quantity": "100",
                "quantity_unit": "U",
                "net_mass_kg": "160",
                "invoice_amount": "85000.00",
                "currency": "USD",
                "incoterm": "FOB",
                "freight": "1200.00",
                "insurance": "150.00",
            }
        ],
        "documents": [{"kind": "invoice", "reference": "INV-1", "issue_date": "2026-11-05"}],
    }
    document = copy.deepcopy(document)
    for path, value in overrides.items():
        target = document
        keys = path.split("__")
        for key in keys[:-1]:
            target = target[int(key)] if isinstance(target, list) else target[key]
        last = keys[-1]
        if isinstance(target, list):
            target[int(last)] = value
        elif value is ...:
            target.pop(last, None)
        else:
            target[last] = value
    return document
