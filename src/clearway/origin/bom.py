"""The facts an origin determination is made from: a product, its bill of materials, how it travelled (pure).

Money is :class:`~decimal.Decimal` in one currency (the product's); weights in kilograms. ``originating`` is
the producer's statement about each material (backed in practice by a supplier's declaration); the
determination re-checks it against the agreement's cumulation countries. Prices and values may be missing
only where no criterion needs them (a pure change-of-classification rule); a value criterion without the
figures it needs fails and says which figure is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from clearway.errors import FieldError
from clearway.origin.hs import digits, well_formed


@dataclass(frozen=True, slots=True)
class Material:
    hs: str
    value: Decimal | None = None
    origin_country: str | None = None
    originating: bool = False
    weight_kg: Decimal | None = None
    description: str = ""
    wholly_obtained: bool | None = None

    @property
    def label(self) -> str:
        name = f" {self.description}" if self.description else ""
        return f"{self.hs}{name}"


@dataclass(frozen=True, slots=True)
class Product:
    hs: str
    ex_works_price: Decimal | None = None
    fob_price: Decimal | None = None
    net_cost: Decimal | None = None
    weight_kg: Decimal | None = None
    description: str = ""
    wholly_obtained: bool = False
    processes: tuple[str, ...] | None = None  # None: not declared
    producer_country: str | None = None
    currency: str = ""

    def price(self, basis: str) -> Decimal | None:
        return {"EXW": self.ex_works_price, "FOB": self.fob_price, "NET_COST": self.net_cost}.get(basis)


@dataclass(frozen=True, slots=True)
class Transit:
    country: str
    operations: tuple[str, ...] = ()
    released_for_free_circulation: bool = False


@dataclass(frozen=True, slots=True)
class BillOfMaterials:
    product: Product
    materials: tuple[Material, ...] = ()
    transit: tuple[Transit, ...] | None = None  # None: route not declared; () : shipped directly
    attestations: Mapping[str, bool] = field(default_factory=lambda: MappingProxyType({}))
    variant: str | None = None

    def attested(self, *keys: str) -> bool | None:
        """The producer's attestation for a criterion (by id or by its text), None when not given."""
        lowered = {k.strip().lower(): v for k, v in self.attestations.items()}
        for key in keys:
            if key and key.strip().lower() in lowered:
                return lowered[key.strip().lower()]
        return None


def input_errors(bom: BillOfMaterials, known_code: Callable[[str], bool] | None = None) -> list[FieldError]:
    """Problems that make a determination meaningless: bad codes, negative or impossible values.

    ``known_code`` says whether a code exists in the nomenclature the rules are written in (HS 2022 by
    default, see :func:`clearway.origin.loader.hs_code_known`); None skips that check (historic rulings)."""
    errors: list[FieldError] = []
    p = bom.product

    def check_code(code: str, pointer: str, minimum: int) -> None:
        if not well_formed(code):
            errors.append(
                FieldError(pointer, "malformed_hs_code", f"'{code}' is not an HS code (2 to 10 digits)")
            )
        elif len(code) < minimum:
            errors.append(
                FieldError(
                    pointer, "hs_code_too_short", f"'{code}' has {len(code)} digits; give at least {minimum}"
                )
            )
        elif known_code is not None and not known_code(code):
            errors.append(
                FieldError(pointer, "unknown_hs_code", f"{code} is not in the HS 2022 nomenclature")
            )

    check_code(p.hs, "/product/hs", 4)
    for name, value in (
        ("ex_works_price", p.ex_works_price),
        ("fob_price", p.fob_price),
        ("net_cost", p.net_cost),
        ("weight_kg", p.weight_kg),
    ):
        if value is not None and value <= 0:
            errors.append(
                FieldError(f"/product/{name}", "must_be_positive", f"{name} must be greater than zero")
            )
    total = Decimal(0)
    for i, m in enumerate(bom.materials):
        check_code(m.hs, f"/materials/{i}/hs", 2)
        if m.value is not None:
            if m.value < 0:
                errors.append(
                    FieldError(f"/materials/{i}/value", "must_not_be_negative", "a value cannot be negative")
                )
            total += m.value
        if m.weight_kg is not None and m.weight_kg < 0:
            errors.append(
                FieldError(f"/materials/{i}/weight_kg", "must_not_be_negative", "a weight cannot be negative")
            )
    for basis, price in (("ex-works price", p.ex_works_price), ("FOB price", p.fob_price)):
        if price is not None and price > 0 and total > price:
            errors.append(
                FieldError(
                    "/materials",
                    "materials_exceed_price",
                    f"the materials are worth {total} in total, more than the {basis} of {price}: a bill of materials "
                    "cannot cost more than the product sells for",
                )
            )
            break
    return errors


def normalised_code(code: str) -> str:
    return digits(code)
