"""Internal taxes on imports (내국세), by commodity code, as dated data.

Customs collects them with the duty (관세법 제4조). Each rule names the codes it covers by prefix (2 to 10
digits, with exclusions), its rate, and the surtaxes levied on it:

* 개별소비세 (individual consumption tax, 개별소비세법 제1조): ad valorem on customs value + duty
  (개별소비세법 제8조); luxury items only on the part of the price per item above a threshold (기준가격);
* 주세 (liquor tax, 주세법): ad valorem on customs value + duty, or specific per litre (beer, takju);
* 교통·에너지·환경세 (transport-energy-environment tax): specific per litre of petrol and diesel;
* 교육세 (education tax, 교육세법 제5조) and 농어촌특별세 (rural development tax, 농어촌특별세법 제5조) as a
  percentage of one of the above;
* 부가가치세 면세 (VAT exemption, 부가가치세법 제27조) for the codes it names.

The rates are recalled from the statutes unless the rule's ``status`` says otherwise; an administrator
corrects them in the database (they are listed in docs/notes/assessment.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from clearway.tariff.measures import DutyExpression


class InternalTax(StrEnum):
    INDIVIDUAL_CONSUMPTION = "individual_consumption_tax"  # 개별소비세
    LIQUOR = "liquor_tax"  # 주세
    TRANSPORT_ENERGY_ENVIRONMENT = "transport_energy_environment_tax"  # 교통·에너지·환경세
    VAT_EXEMPTION = "vat_exemption"  # 부가가치세 면세 (수입재화, 부가가치세법 제27조)


@dataclass(frozen=True, slots=True)
class InternalTaxRule:
    rule_id: str
    tax: InternalTax
    prefixes: tuple[str, ...]
    description: str
    valid_from: date
    legal_basis: str
    status: str  # sourced | sourced_secondary | statute_recalled
    expression: DutyExpression | None = None  # None for a VAT exemption
    exclude_prefixes: tuple[str, ...] = ()
    threshold_krw: Decimal | None = None  # 기준가격 per item: only the part of the price above it is taxed
    education_pct: Decimal | None = None  # 교육세: % of this tax
    rural_pct: Decimal | None = None  # 농어촌특별세: % of this tax
    valid_to: date | None = None
    note: str = ""
    country: str = "KR"

    def valid_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def covers(self, code: str) -> int:
        """Length of the longest prefix of ``code`` this rule covers, 0 if none (or excluded)."""
        if any(code.startswith(x) for x in self.exclude_prefixes):
            return 0
        return max((len(p) for p in self.prefixes if code.startswith(p)), default=0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "tax": self.tax.value,
            "prefixes": list(self.prefixes),
            "exclude_prefixes": list(self.exclude_prefixes),
            "description": self.description,
            "expression": self.expression.as_dict() if self.expression else None,
            "threshold_krw": None if self.threshold_krw is None else str(self.threshold_krw),
            "education_pct": None if self.education_pct is None else str(self.education_pct),
            "rural_pct": None if self.rural_pct is None else str(self.rural_pct),
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "legal_basis": self.legal_basis,
            "status": self.status,
            "note": self.note,
            "country": self.country,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> InternalTaxRule:
        def dec(key: str) -> Decimal | None:
            value = d.get(key)
            return None if value is None else Decimal(str(value))

        return cls(
            rule_id=d["rule_id"],
            tax=InternalTax(d["tax"]),
            prefixes=tuple(d["prefixes"]),
            description=d["description"],
            valid_from=date.fromisoformat(d["valid_from"]),
            legal_basis=d["legal_basis"],
            status=d["status"],
            expression=DutyExpression.from_dict(d["expression"]) if d.get("expression") else None,
            exclude_prefixes=tuple(d.get("exclude_prefixes") or ()),
            threshold_krw=dec("threshold_krw"),
            education_pct=dec("education_pct"),
            rural_pct=dec("rural_pct"),
            valid_to=date.fromisoformat(d["valid_to"]) if d.get("valid_to") else None,
            note=d.get("note", ""),
            country=d.get("country", "KR"),
        )


@dataclass
class InternalTaxIndex:
    """Rules by prefix; ``for_code`` gives, per tax, the most specific rule in force on a date."""

    _by_prefix: dict[str, list[InternalTaxRule]] = field(default_factory=dict)
    _lengths: tuple[int, ...] = ()
    _memo: dict[tuple[str, date], dict[InternalTax, InternalTaxRule]] = field(default_factory=dict)

    @classmethod
    def of(cls, rules: Iterable[InternalTaxRule]) -> InternalTaxIndex:
        index = cls()
        for rule in rules:
            for p in rule.prefixes:
                index._by_prefix.setdefault(p, []).append(rule)
        index._lengths = tuple(sorted({len(p) for p in index._by_prefix}))
        return index

    def rules(self) -> list[InternalTaxRule]:
        seen: dict[str, InternalTaxRule] = {}
        for rules in self._by_prefix.values():
            for r in rules:
                seen.setdefault(r.rule_id + r.valid_from.isoformat(), r)
        return list(seen.values())

    def for_code(self, code: str, on: date) -> dict[InternalTax, InternalTaxRule]:
        key = (code, on)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._for_code(code, on)
        return found

    def _for_code(self, code: str, on: date) -> dict[InternalTax, InternalTaxRule]:
        best: dict[InternalTax, tuple[int, InternalTaxRule]] = {}
        for n in self._lengths:
            for rule in self._by_prefix.get(code[:n], ()):
                if not rule.valid_on(on):
                    continue
                depth = rule.covers(code)
                if not depth:
                    continue
                held = best.get(rule.tax)
                # the most specific rule wins; between versions of equal depth, the later start (a correction)
                if (
                    held is None
                    or depth > held[0]
                    or (depth == held[0] and rule.valid_from > held[1].valid_from)
                ):
                    best[rule.tax] = (depth, rule)
        return {tax: rule for tax, (_, rule) in best.items()}


def parse_rules_json(text: str) -> list[InternalTaxRule]:
    return [InternalTaxRule.from_dict(r) for r in json.loads(text)["rules"]]
