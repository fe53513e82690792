"""The simulator's origin check, pure: a trader's bill of materials run through the origin determination
(:mod:`clearway.origin.determination`) against each candidate agreement's product-specific rule, summarised as
rule met or not, why (the component that fails a tariff shift, the value share against its threshold), and what
to ask the supplier for.

A component whose originating status the trader does not state is *assumed* originating when it comes from a
Party (or a cumulation country) of the agreement, and the supplier's declaration that would prove it is put on
the list of things to ask for; a component from elsewhere is non-originating.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from clearway.errors import FieldError, ValidationFailed
from clearway.origin.bom import BillOfMaterials, Material, Product
from clearway.origin.determination import ORIGINATING, Determination, determine
from clearway.origin.hs import printed
from clearway.origin.rules import Agreement

MAX_COMPONENTS = 100


@dataclass(frozen=True, slots=True)
class Component:
    hs: str
    origin_country: str
    value: Decimal
    originating: bool | None = None  # None: not stated by the trader
    description: str = ""

    @property
    def label(self) -> str:
        return (
            f"{printed(self.hs)}{' ' + self.description if self.description else ''} ({self.origin_country})"
        )


@dataclass(frozen=True, slots=True)
class PlannedBom:
    price: Decimal  # the product's ex-works price, in ``currency``
    currency: str
    components: tuple[Component, ...]


def _decimal(text: Any) -> Decimal | None:
    try:
        value = Decimal(str(text).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def parse_bom(raw: Any, *, default_price: Any = None, default_currency: str = "") -> PlannedBom | None:
    """The plan's ``bom`` (``{"ex_works_price", "currency", "components": [{hs, origin_country, value,
    originating?, description?}]}``) as values; None when no component is given. Every problem is named with
    its pointer under ``/bom``."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise ValidationFailed(
            "the bill of materials is an object", errors=[FieldError("/bom", "not_an_object", "an object")]
        )
    rows = raw.get("components") or []
    if not isinstance(rows, list):
        raise ValidationFailed(
            "the components are a list", errors=[FieldError("/bom/components", "not_a_list", "a list")]
        )
    errors: list[FieldError] = []
    if len(rows) > MAX_COMPONENTS:
        errors.append(FieldError("/bom/components", "too_many", f"at most {MAX_COMPONENTS} components"))
        rows = rows[:MAX_COMPONENTS]
    components = []
    for i, row in enumerate(rows):
        at = f"/bom/components/{i}"
        if not isinstance(row, Mapping):
            errors.append(FieldError(at, "not_an_object", "a component is an object"))
            continue
        hs = "".join(ch for ch in str(row.get("hs") or "") if ch.isdigit())
        country = str(row.get("origin_country") or "").strip().upper()
        value = _decimal(row.get("value"))
        if not 2 <= len(hs) <= 10:
            errors.append(FieldError(f"{at}/hs", "bad_hs", "the component's HS code: 2 to 10 digits"))
        if not (len(country) == 2 and country.isalpha()):
            errors.append(
                FieldError(f"{at}/origin_country", "bad_country", "the component's origin: ISO 3166 alpha-2")
            )
        if value is None or value < 0:
            errors.append(FieldError(f"{at}/value", "bad_value", "the component's value: a number ≥ 0"))
        originating = row.get("originating")
        if originating not in (None, True, False):
            errors.append(FieldError(f"{at}/originating", "bad_flag", "true, false or left out"))
            originating = None
        description = str(row.get("description") or "").strip()[:200]
        if value is not None and value >= 0:
            components.append(Component(hs, country, value, originating, description))
    price = _decimal(
        raw.get("ex_works_price") if raw.get("ex_works_price") not in (None, "") else default_price
    )
    if price is None or price <= 0:
        errors.append(
            FieldError(
                "/bom/ex_works_price",
                "bad_price",
                "the product's ex-works price (or the invoice amount): > 0",
            )
        )
    if errors:
        raise ValidationFailed(f"{len(errors)} problem(s) in the bill of materials", errors=errors)
    if not components:
        return None
    assert price is not None
    currency = str(raw.get("currency") or default_currency or "").strip().upper()[:3]
    return PlannedBom(price, currency, tuple(components))


def _materials(bom: PlannedBom, agreement: Agreement) -> tuple[tuple[Material, ...], list[int]]:
    allowed = agreement.cumulation_countries()
    assumed: list[int] = []
    materials = []
    for i, c in enumerate(bom.components):
        originating = c.originating
        if originating is None:
            originating = c.origin_country in allowed
            if originating:
                assumed.append(i)
        materials.append(Material(c.hs, c.value, c.origin_country, originating, description=c.description))
    return tuple(materials), assumed


@dataclass(frozen=True, slots=True)
class OriginCheck:
    agreement: str
    agreement_name: str
    status: str  # originating | not_originating | undetermined
    met_alternative: int | None
    alternatives: list[dict[str, Any]]
    reasons: list[str]
    ask_supplier: list[str]
    assumed_originating: list[str]
    source: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "agreement": self.agreement,
            "agreement_name": self.agreement_name,
            "status": self.status,
            "rule_met": self.status == ORIGINATING,
            "met_alternative": self.met_alternative,
            "rule_source": self.source,
            "alternatives": self.alternatives,
            "reasons": self.reasons,
            "ask_supplier": self.ask_supplier,
            "assumed_originating": self.assumed_originating,
        }


def _asks(det: Determination, bom: PlannedBom, agreement: Agreement, assumed: list[int]) -> list[str]:
    asks: list[str] = []

    def add(text: str) -> None:
        if text not in asks:
            asks.append(text)

    for i in assumed:
        add(
            f"a supplier's declaration that component {i + 1} ({bom.components[i].label}) is originating under "
            f"{agreement.code}: it is counted as originating only on that proof"
        )
    if det.status != ORIGINATING:
        for rule in det.rules:
            for alt in rule.alternatives:
                for r in alt.criteria:
                    if r.passed:
                        continue
                    if r.criterion.kind == "tariff_shift":
                        for i in r.offending:
                            c = bom.components[i]
                            add(
                                f"component {i + 1} ({c.label}) does not make the required change of "
                                f"classification ({r.criterion.describe()}): ask its supplier whether it is "
                                f"originating in a Party of {agreement.code} (supplier's declaration), or source "
                                "it from a Party"
                            )
                    elif r.criterion.kind in ("max_non_originating", "value_content"):
                        largest = sorted(
                            (
                                i
                                for i, m in enumerate(bom.components)
                                if i not in assumed and not m.originating
                            ),
                            key=lambda i: bom.components[i].value,
                            reverse=True,
                        )[:2]
                        if largest:
                            add(
                                f"{r.reason}: ask the suppliers of the largest non-originating components ("
                                + ", ".join(f"{i + 1}: {bom.components[i].label}" for i in largest)
                                + ") for an originating declaration, or lower their share"
                            )
        for need in det.attestations_needed:
            add(f"the producer's statement that this condition holds: {need['text'][:200]}")
    return asks


def check(
    agreement: Agreement,
    product_hs: str,
    producer_country: str,
    bom: PlannedBom,
    *,
    on: date,
    known_code: Any = None,
) -> OriginCheck:
    """Run the determination of ``agreement`` for the product made from ``bom`` in ``producer_country``."""
    materials, assumed = _materials(bom, agreement)
    core_bom = BillOfMaterials(
        Product(
            product_hs,
            ex_works_price=bom.price,
            producer_country=producer_country or None,
            currency=bom.currency,
        ),
        materials,
    )
    det = determine(agreement, core_bom, on=on, known_code=known_code)
    head = det.rules[0] if det.rules else None
    alternatives = [
        {
            "index": a.index,
            "text": a.text,
            "passed": a.passed,
            "criteria": [
                {"rule": r.criterion.describe(), "passed": r.passed, "reason": r.reason} for r in a.criteria
            ],
            **({"tolerance": a.tolerance.get("reason")} if a.tolerance else {}),
        }
        for a in (head.alternatives if head else [])
    ]
    return OriginCheck(
        agreement.code,
        agreement.name,
        det.status,
        head.applied if head else None,
        alternatives,
        det.reasons,
        _asks(det, bom, agreement, assumed),
        [bom.components[i].label for i in assumed],
        head.rule.source if head else None,
    )


def rule_texts(agreement: Agreement, product_hs: str, on: date) -> dict[str, Any]:
    """The product-specific rule of ``agreement`` for the code, as its alternatives' texts (no BOM needed)."""
    rules = agreement.rules_for(product_hs, on)
    if not rules:
        return {"agreement": agreement.code, "found": False, "alternatives": [], "source": None}
    return {
        "agreement": agreement.code,
        "found": True,
        "heading": rules[0].heading,
        "source": rules[0].source,
        "alternatives": [a.text for r in rules for a in r.alternatives if a.valid_on(on)],
    }
