"""The selectivity condition language: small, structured JSON, validated when it is written.

A condition is one of::

    {"all": [condition, ...]}      every one holds          (at least one child)
    {"any": [condition, ...]}      at least one holds       (at least one child)
    {"not": condition}
    {"field": F, "op": OP, "value": V}

Fields are the declaration facts in :data:`FIELDS` (commodity code, origin, parties, office, transport mode,
value per kg, value per kg against the commodity's reference, ...). Text fields take ``eq``, ``ne``, ``in``,
``not_in``, ``prefix`` (a string or a list), ``present``, ``missing``; party fields also ``in_watchlist``;
number fields take ``eq``, ``ne``, ``gt``, ``ge``, ``lt``, ``le``, ``between`` ``[low, high]`` (inclusive),
``outside`` ``[low, high]`` (below low or above high), ``present``, ``missing``.

Every comparison is false on a missing value (test ``missing`` explicitly); ``not`` is plain negation.

:func:`validate` names every problem with a JSON pointer, and refuses a condition that provably matches
every declaration or none (an empty ``all``/``any``, ``between [5, 1]``, ``eq A`` and ``eq B`` together,
``X or not X``...). The proof searches the few representative values the condition's constants divide each
field into, so a refusal is always right; a condition the search cannot decide within its budget is accepted
(the service also reports how many recent declarations it would have matched).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from clearway.errors import FieldError, ValidationFailed
from clearway.risk.matching import (  # re-exported: the language's public names live here
    FIELDS,
    NO_CONTEXT,
    EvalContext,
    FieldSpec,
    Matcher,
    compile_condition,
    describe,
    field_value,
    normalise_party,
)
from clearway.risk.proof import constant_verdict

__all__ = [
    "FIELDS",
    "NO_CONTEXT",
    "EvalContext",
    "FieldSpec",
    "Matcher",
    "compile_condition",
    "constant_verdict",
    "describe",
    "field_value",
    "normalise_party",
    "validate",
]

MAX_DEPTH = 8
MAX_ATOMS = 64
MAX_LIST = 2000


# ---- validation --------------------------------------------------------------------------------------------


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


class _Checker:
    def __init__(
        self, watchlists: set[str] | None, pointer: str, fields: Mapping[str, FieldSpec] = FIELDS
    ) -> None:
        self.fields = fields
        self.watchlists = watchlists
        self.errors: list[FieldError] = []
        self.atoms = 0
        self.root = pointer

    def err(self, pointer: str, code: str, message: str) -> None:
        self.errors.append(FieldError(pointer, code, message))

    def node(self, c: Any, p: str, depth: int) -> dict[str, Any] | None:
        """Check a node; return its normalised form (or None when it is wrong)."""
        if depth > MAX_DEPTH:
            self.err(p, "too_deep", f"conditions nest at most {MAX_DEPTH} levels")
            return None
        if not isinstance(c, dict):
            self.err(p, "not_an_object", "a condition is a JSON object")
            return None
        keys = set(c)
        for combinator in ("all", "any"):
            if combinator in keys:
                if keys != {combinator}:
                    self.err(p, "mixed_condition", f"'{combinator}' stands alone in its object")
                    return None
                children = c[combinator]
                if not isinstance(children, list):
                    self.err(f"{p}/{combinator}", "not_a_list", f"'{combinator}' takes a list of conditions")
                    return None
                if not children:
                    what = "every declaration" if combinator == "all" else "no declaration"
                    self.err(
                        f"{p}/{combinator}",
                        "empty",
                        f"an empty '{combinator}' would match {what}; give at least one condition",
                    )
                    return None
                out = [
                    self.node(child, f"{p}/{combinator}/{i}", depth + 1) for i, child in enumerate(children)
                ]
                return None if any(o is None for o in out) else {combinator: out}
        if "not" in keys:
            if keys != {"not"}:
                self.err(p, "mixed_condition", "'not' stands alone in its object")
                return None
            inner = self.node(c["not"], f"{p}/not", depth + 1)
            return None if inner is None else {"not": inner}
        return self.atom(c, p)

    def atom(self, c: dict[str, Any], p: str) -> dict[str, Any] | None:
        self.atoms += 1
        if self.atoms > MAX_ATOMS:
            if self.atoms == MAX_ATOMS + 1:
                self.err(p, "too_many_conditions", f"at most {MAX_ATOMS} field tests in one criterion")
            return None
        extra = set(c) - {"field", "op", "value"}
        if extra:
            self.err(p, "unknown_key", f"unknown key(s) {sorted(extra)}; use field/op/value, all, any or not")
            return None
        name = c.get("field")
        if not isinstance(name, str) or name not in self.fields:
            known = ", ".join(self.fields)
            self.err(f"{p}/field", "unknown_field", f"unknown field {name!r}; fields: {known}")
            return None
        spec = self.fields[name]
        op = c.get("op")
        if op not in spec.ops:
            self.err(f"{p}/op", "bad_op", f"'{name}' ({spec.kind}) takes op one of {', '.join(spec.ops)}")
            return None
        if op in ("present", "missing"):
            if "value" in c:
                self.err(f"{p}/value", "unexpected_value", f"'{op}' takes no value")
                return None
            return {"field": name, "op": op}
        if "value" not in c:
            self.err(f"{p}/value", "required", f"'{op}' on '{name}' needs a value")
            return None
        value = self.value(spec, op, c["value"], f"{p}/value")
        return None if value is None else {"field": name, "op": op, "value": value}

    def value(self, spec: FieldSpec, op: str, v: Any, p: str) -> Any:
        if spec.kind == "number":
            if op in ("between", "outside"):
                if not (isinstance(v, list) and len(v) == 2 and all(_is_number(x) for x in v)):
                    self.err(p, "bad_range", f"'{op}' takes [low, high], two numbers")
                    return None
                lo, hi = float(v[0]), float(v[1])
                if lo > hi:
                    self.err(p, "empty_range", f"[{v[0]}, {v[1]}]: low is above high")
                    return None
                return [lo, hi]
            if not _is_number(v):
                self.err(p, "not_a_number", f"'{spec.name}' compares with a number")
                return None
            return float(v)
        if op == "in_watchlist":
            if not isinstance(v, str) or not v.strip():
                self.err(p, "bad_watchlist", "name the watchlist")
                return None
            if self.watchlists is not None and v.strip() not in self.watchlists:
                self.err(p, "unknown_watchlist", f"there is no watchlist named {v.strip()!r}")
                return None
            return v.strip()
        many = op in ("in", "not_in") or (op == "prefix" and isinstance(v, list))
        if many:
            if not isinstance(v, list) or not v:
                self.err(
                    p,
                    "empty_list" if isinstance(v, list) else "not_a_list",
                    f"'{op}' takes a non-empty list"
                    + (" (an empty one matches nothing)" if op == "in" else ""),
                )
                return None
            if len(v) > MAX_LIST:
                self.err(p, "too_many", f"at most {MAX_LIST} values")
                return None
            out = []
            for i, x in enumerate(v):
                one = self.text(spec, op, x, f"{p}/{i}")
                if one is None:
                    return None
                out.append(one)
            return sorted(set(out))
        return self.text(spec, op, v, p)

    def text(self, spec: FieldSpec, op: str, v: Any, p: str) -> str | None:
        if not isinstance(v, str) or not v.strip():
            self.err(p, "not_a_string", f"'{spec.name}' compares with a non-empty string")
            return None
        text: str = v.strip()
        if spec.kind == "code":
            text = text.replace(".", "").replace("-", "").replace(" ", "")
            longest = 10 if spec.name == "commodity_code" else 6
            if (
                not text.isdigit()
                or not (2 <= len(text) <= longest)
                or (op != "prefix" and len(text) not in (6, 10))
            ):
                rule = (
                    f"2 to {longest} digits"
                    if op == "prefix"
                    else ("6 or 10 digits" if longest == 10 else "6 digits")
                )
                self.err(p, "bad_code", f"{text!r} is not a commodity code here ({rule})")
                return None
            return text
        if spec.kind == "country":
            if not re.fullmatch(r"[A-Za-z]{2}", text):
                self.err(p, "bad_country", f"{text!r} is not a two-letter country code")
                return None
            return text.upper()
        if spec.kind == "party":
            return normalise_party(text)
        return text


def validate(
    condition: Any,
    *,
    watchlists: set[str] | None = None,
    pointer: str = "/condition",
    fields: Mapping[str, FieldSpec] = FIELDS,
) -> dict[str, Any]:
    """Check a condition; return it normalised, or raise :class:`ValidationFailed` naming every problem.

    ``fields``: the facts the condition may test (the declaration's by default; travellers have their own)."""
    checker = _Checker(watchlists, pointer, fields)
    normalised = checker.node(condition, pointer, 1)
    if checker.errors or normalised is None:
        raise ValidationFailed(f"{len(checker.errors)} problem(s) in the condition", errors=checker.errors)
    verdict = constant_verdict(normalised, fields)
    if verdict is True:
        raise ValidationFailed(
            "the condition matches every declaration",
            errors=[
                FieldError(
                    pointer,
                    "matches_everything",
                    "this condition is true for every declaration; for random checks use the selection "
                    "policy's "
                    "random share instead",
                )
            ],
        )
    if verdict is False:
        raise ValidationFailed(
            "the condition matches no declaration",
            errors=[
                FieldError(
                    pointer,
                    "matches_nothing",
                    "this condition can never be true: its tests contradict each other",
                )
            ],
        )
    return normalised
