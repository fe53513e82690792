"""Matching validated conditions against risk records: the fields, the ops, the evaluation context. Pure.

See :mod:`clearway.risk.conditions` for the language and its validation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from clearway.risk.records import RiskRecord

TEXT_OPS = ("eq", "ne", "in", "not_in", "prefix", "present", "missing")
PARTY_OPS = (*TEXT_OPS, "in_watchlist")
NUMBER_OPS = ("eq", "ne", "gt", "ge", "lt", "le", "between", "outside", "present", "missing")


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    kind: str  # "code" (digits), "country", "party", "text", "number"
    label: str

    @property
    def ops(self) -> tuple[str, ...]:
        if self.kind == "number":
            return NUMBER_OPS
        if self.kind == "party":
            return PARTY_OPS
        return TEXT_OPS


FIELDS: dict[str, FieldSpec] = {
    f.name: f
    for f in (
        FieldSpec(
            "commodity_code", "code", "commodity code (HSK 10 digits, or HS6 when that is all there is)"
        ),
        FieldSpec("hs6", "code", "HS subheading (6 digits)"),
        FieldSpec("origin_country", "country", "country of origin"),
        FieldSpec("departure_country", "country", "country of departure (the seller's country)"),
        FieldSpec("importer", "party", "importer"),
        FieldSpec("declarant", "party", "declarant / broker"),
        FieldSpec("seller", "party", "seller"),
        FieldSpec("office", "text", "customs office"),
        FieldSpec("transport_mode", "text", "transport mode"),
        FieldSpec("tax_type", "text", "rate code applied (A, C, FCN1, ...)"),
        FieldSpec("courier", "text", "express courier"),
        FieldSpec("kind", "text", "declaration kind (import / export)"),
        FieldSpec("process_type", "text", "process type"),
        FieldSpec("import_type", "text", "import type"),
        FieldSpec("import_use", "text", "import use"),
        FieldSpec("payment_type", "text", "payment type"),
        FieldSpec("origin_indicator", "text", "country-of-origin marking"),
        FieldSpec("tax_rate", "number", "duty rate in percent"),
        FieldSpec("net_mass_kg", "number", "net mass in kg"),
        FieldSpec("value_krw", "number", "customs value in KRW"),
        FieldSpec("value_per_kg", "number", "customs value per kg in KRW"),
        FieldSpec(
            "value_per_kg_ratio", "number", "value per kg divided by the commodity's reference value per kg"
        ),
        FieldSpec("risk_signal", "number", "strongest classification-advice risk signal (0..1)"),
    )
}


class EvalContext:
    """What evaluation may consult besides the record: watchlists and the commodity reference values."""

    def in_watchlist(self, watchlist: str, field: str, party: str) -> bool:  # pragma: no cover - interface
        return False

    def reference_value_per_kg(self, hs6: str | None) -> float | None:  # pragma: no cover - interface
        return None


NO_CONTEXT = EvalContext()


def normalise_party(value: str) -> str:
    """Party keys as records hold them: 10-digit business registration numbers → ``BRN:digits``."""
    text = value.strip()
    if text.upper().startswith("BRN:"):
        return "BRN:" + "".join(c for c in text[4:] if c.isdigit())
    digits = text.replace("-", "")
    if len(digits) == 10 and digits.isdigit():
        return f"BRN:{digits}"
    return text.upper()


def field_value(record: RiskRecord, name: str, ctx: EvalContext) -> Any:
    if name == "commodity_code":
        return record.commodity_code or record.hs6
    if name == "value_per_kg":
        return record.value_per_kg
    if name == "value_per_kg_ratio":
        uv = record.value_per_kg
        ref = ctx.reference_value_per_kg(record.hs6)
        return None if uv is None or not ref else uv / ref
    return getattr(record, name)


# ---- evaluation --------------------------------------------------------------------------------------------

Matcher = Callable[[RiskRecord, EvalContext], bool]


def compile_condition(c: dict[str, Any]) -> Matcher:
    """A fast matcher for a *validated* condition."""
    if "all" in c:
        parts = [compile_condition(x) for x in c["all"]]
        return lambda r, ctx: all(p(r, ctx) for p in parts)
    if "any" in c:
        parts = [compile_condition(x) for x in c["any"]]
        return lambda r, ctx: any(p(r, ctx) for p in parts)
    if "not" in c:
        inner = compile_condition(c["not"])
        return lambda r, ctx: not inner(r, ctx)
    name, op, value = c["field"], c["op"], c.get("value")
    test = atom_test(name, op, value)
    return lambda r, ctx: test(field_value(r, name, ctx), ctx)


def atom_test(name: str, op: str, value: Any) -> Callable[[Any, EvalContext], bool]:
    if op == "present":
        return lambda v, ctx: v is not None
    if op == "missing":
        return lambda v, ctx: v is None
    if op == "in_watchlist":
        return lambda v, ctx: v is not None and ctx.in_watchlist(value, name, v)
    if op == "eq":
        return lambda v, ctx: v is not None and v == value
    if op == "ne":
        return lambda v, ctx: v is not None and v != value
    if op == "in":
        members = frozenset(value)
        return lambda v, ctx: v is not None and v in members
    if op == "not_in":
        members = frozenset(value)
        return lambda v, ctx: v is not None and v not in members
    if op == "prefix":
        prefixes = tuple(value) if isinstance(value, list) else (value,)
        return lambda v, ctx: v is not None and str(v).startswith(prefixes)
    if op == "gt":
        return lambda v, ctx: v is not None and v > value
    if op == "ge":
        return lambda v, ctx: v is not None and v >= value
    if op == "lt":
        return lambda v, ctx: v is not None and v < value
    if op == "le":
        return lambda v, ctx: v is not None and v <= value
    if op == "between":
        lo, hi = value
        return lambda v, ctx: v is not None and lo <= v <= hi
    if op == "outside":
        lo, hi = value
        return lambda v, ctx: v is not None and (v < lo or v > hi)
    raise ValueError(f"unknown op {op}")


def describe(c: dict[str, Any]) -> str:
    """A one-line reading of a validated condition, for reasons and lists."""
    if "all" in c:
        return " and ".join(_paren(x) for x in c["all"])
    if "any" in c:
        return " or ".join(_paren(x) for x in c["any"])
    if "not" in c:
        return f"not {_paren(c['not'])}"
    field, op, value = c["field"], c["op"], c.get("value")
    if op in ("present", "missing"):
        return f"{field} {op}"
    if isinstance(value, list):
        value = "[" + ", ".join(str(x) for x in value) + "]"
    return f"{field} {op.replace('_', ' ')} {value}"


def _paren(c: dict[str, Any]) -> str:
    text = describe(c)
    return f"({text})" if ("all" in c or "any" in c) and len(next(iter(c.values()))) > 1 else text
