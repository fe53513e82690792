"""Dated assessment parameters: VAT rate, rounding units, minimum collection, de minimis, traveller allowance.

Each parameter carries its legal basis, its sources and a ``status``:

* ``sourced`` — seen in a public source (KCS page, statute text quoted by a secondary page);
* ``sourced_secondary`` — stated by brokers or the press, not by the statute itself;
* ``statute_recalled`` — the rule or its date is recalled, not sourced: verify against law.go.kr.

The bundled set (``data/tariff/korea/kr_parameters.json``) is derived from
``kr_import_tax_parameters.json``; it is loaded into the database, where an administrator corrects a value
by adding a newer version (``clearway tariff set-parameter``). Nothing here touches the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

# Keys the Korean engine reads.
VAT_RATE_PCT = "vat.rate_pct"
TAX_AMOUNT_UNIT = "rounding.tax_amount_unit_krw"
TAX_BASE_UNIT = "rounding.tax_base_unit_krw"
MIN_COLLECTION = "minimum_collection.amount_krw"
MIN_COLLECTION_APPLIES_TO = "minimum_collection.applies_to"
DE_MINIMIS_USD = "de_minimis.small_parcel_usd"
DE_MINIMIS_US_USD = "de_minimis.small_parcel_usd_from_us"
DE_MINIMIS_EXCLUDED = "de_minimis.excluded_prefixes"
TRAVELLER_ALLOWANCE_USD = "traveller.allowance_usd"
TRAVELLER_REDUCTION_PCT = "traveller.self_declaration_reduction_pct"
TRAVELLER_REDUCTION_CAP = "traveller.self_declaration_cap_krw"
TRAVELLER_ALLOCATION = "traveller.allowance_allocation"

STATUSES = ("sourced", "sourced_secondary", "statute_recalled")


@dataclass(frozen=True, slots=True)
class Parameter:
    key: str
    value: Any  # Decimal for numbers, str, or list of str
    valid_from: date
    status: str
    legal_basis: str
    sources: tuple[str, ...] = ()
    note: str = ""
    valid_to: date | None = None
    country: str = "KR"

    def valid_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    @property
    def recalled(self) -> bool:
        return self.status == "statute_recalled"

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "value": encode_value(self.value),
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "status": self.status,
            "legal_basis": self.legal_basis,
            "sources": list(self.sources),
            "note": self.note,
            "country": self.country,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Parameter:
        return cls(
            key=d["key"],
            value=decode_value(d["value"]),
            valid_from=date.fromisoformat(d["valid_from"]),
            valid_to=date.fromisoformat(d["valid_to"]) if d.get("valid_to") else None,
            status=d["status"],
            legal_basis=d.get("legal_basis", ""),
            sources=tuple(d.get("sources") or ()),
            note=d.get("note", ""),
            country=d.get("country", "KR"),
        )


def encode_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    return value


def decode_value(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"decimal"}:
        return Decimal(str(value["decimal"]))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


class MissingParameter(LookupError):
    pass


@dataclass(frozen=True)
class ParameterSet:
    """The parameters in force on one date."""

    on: date
    by_key: dict[str, Parameter]

    def get(self, key: str) -> Parameter:
        try:
            return self.by_key[key]
        except KeyError:
            raise MissingParameter(
                f"no value of parameter {key} is in force on {self.on.isoformat()}"
            ) from None

    def decimal(self, key: str) -> Decimal:
        value = self.get(key).value
        if not isinstance(value, Decimal):
            raise MissingParameter(f"parameter {key} is not a number")
        return value

    def list(self, key: str) -> list[str]:
        value = self.get(key).value
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    def text(self, key: str) -> str:
        return str(self.get(key).value)

    def has(self, key: str) -> bool:
        return key in self.by_key


@dataclass
class ParameterTable:
    """All versions of all parameters; ``on(date)`` picks, per key, the version in force (latest start)."""

    _by_key: dict[str, list[Parameter]] = field(default_factory=dict)
    _sets: dict[date, ParameterSet] = field(default_factory=dict)

    @classmethod
    def of(cls, parameters: Iterable[Parameter]) -> ParameterTable:
        table = cls()
        for p in parameters:
            table._by_key.setdefault(p.key, []).append(p)
        for versions in table._by_key.values():
            versions.sort(key=lambda p: p.valid_from, reverse=True)
        return table

    def all(self) -> list[Parameter]:
        return [p for versions in self._by_key.values() for p in versions]

    def on(self, on: date) -> ParameterSet:
        found = self._sets.get(on)
        if found is None:
            chosen: dict[str, Parameter] = {}
            for key, versions in self._by_key.items():
                for p in versions:
                    if p.valid_on(on):
                        chosen[key] = p
                        break
            found = self._sets[on] = ParameterSet(on, chosen)
        return found


def parse_parameters_json(text: str) -> list[Parameter]:
    return [Parameter.from_dict(p) for p in json.loads(text)["parameters"]]
