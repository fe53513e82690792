"""Proving that a condition is constant: true for every declaration, or for none. Pure.

Each field's values fall into the few regions the condition's constants cut it into (for a number: each
constant, between two constants, beyond the ends, missing; for text: each value, each prefix, anything else,
missing; for a party, also each combination of the watchlists named). A depth-first search over one
representative per region, evaluating the condition in three-valued logic as fields get values, finds an
assignment that makes it true (or false) if one exists. Fields are treated as independent, which can only
miss a proof (value and mass are related to value per kg), never give a wrong one; the search has a budget
and answers "undecided" when it runs out.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from clearway.risk.matching import FIELDS, NO_CONTEXT, FieldSpec, atom_test

SEARCH_BUDGET = 200_000

MISSING = object()


@dataclass(frozen=True, slots=True)
class _Party:
    key: str
    lists: frozenset[str]


def _atoms(c: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for combinator in ("all", "any"):
        if combinator in c:
            for x in c[combinator]:
                yield from _atoms(x)
            return
    if "not" in c:
        yield from _atoms(c["not"])
        return
    yield c


def _representatives(
    name: str, atoms: list[dict[str, Any]], fields: Mapping[str, FieldSpec] = FIELDS
) -> list[Any]:
    """Values of one field that together take every combination of truth values the atoms can."""
    spec = fields[name]
    reps: list[Any] = [MISSING]
    if spec.kind == "number":
        consts = sorted(
            {
                float(x)
                for a in atoms
                if "value" in a
                for x in (a["value"] if isinstance(a["value"], list) else [a["value"]])
            }
        )
        if not consts:
            return [MISSING, 0.0]
        points = [consts[0] - 1.0, *consts, consts[-1] + 1.0]
        points += [(a + b) / 2 for a, b in itertools.pairwise(consts)]
        return reps + sorted(set(points))
    texts: set[str] = set()
    prefixes: set[str] = set()
    lists: set[str] = set()
    for a in atoms:
        v = a.get("value")
        if a["op"] == "prefix":  # a checked condition: prefix and in_watchlist always have a value
            prefixes.update(a["value"] if isinstance(v, list) else [a["value"]])
        elif a["op"] == "in_watchlist":
            lists.add(a["value"])
        elif v is not None:
            texts.update(v if isinstance(v, list) else [v])
    base = sorted(texts) + [p + "\uffff" for p in sorted(prefixes)] + ["\uffff\uffff"]
    if spec.kind != "party" or not lists:
        return reps + base
    subsets = [frozenset(s) for s in _subsets(sorted(lists))]
    return reps + [_Party(b, s) for b in base for s in subsets]


def _subsets(items: list[str]) -> Iterator[tuple[str, ...]]:
    for mask in range(1 << len(items)):
        yield tuple(x for i, x in enumerate(items) if mask >> i & 1)


def _truth(c: dict[str, Any], assignment: dict[str, Any]) -> bool | None:
    """Kleene three-valued truth of ``c`` under a partial assignment of field values (None = unknown)."""
    if "all" in c:
        result: bool | None = True
        for x in c["all"]:
            t = _truth(x, assignment)
            if t is False:
                return False
            if t is None:
                result = None
        return result
    if "any" in c:
        result = False
        for x in c["any"]:
            t = _truth(x, assignment)
            if t is True:
                return True
            if t is None:
                result = None
        return result
    if "not" in c:
        t = _truth(c["not"], assignment)
        return None if t is None else not t
    name = c["field"]
    if name not in assignment:
        return None
    v = assignment[name]
    if c["op"] == "in_watchlist":
        return isinstance(v, _Party) and c["value"] in v.lists
    if isinstance(v, _Party):
        v = v.key
    return atom_test(name, c["op"], c.get("value"))(None if v is MISSING else v, NO_CONTEXT)


class _Budget(Exception):
    pass


def _search(c: dict[str, Any], fields: list[str], reps: dict[str, list[Any]], want: bool) -> bool | None:
    """Is there an assignment making ``c`` equal ``want``? None when the budget runs out."""
    steps = [0]

    def go(i: int, assignment: dict[str, Any]) -> bool:
        steps[0] += 1
        if steps[0] > SEARCH_BUDGET:
            raise _Budget
        t = _truth(c, assignment)
        if t is not None:
            return t is want
        if i == len(fields):
            return False
        name = fields[i]
        for v in reps[name]:
            assignment[name] = v
            if go(i + 1, assignment):
                return True
        del assignment[name]
        return False

    try:
        return go(0, {})
    except _Budget:
        return None


def constant_verdict(c: dict[str, Any], spec_of: Mapping[str, FieldSpec] = FIELDS) -> bool | None:
    """True if ``c`` holds for every declaration, False if for none, None if neither (or undecided)."""
    atoms = list(_atoms(c))
    by_field: dict[str, list[dict[str, Any]]] = {}
    for a in atoms:
        by_field.setdefault(a["field"], []).append(a)
    names = sorted(by_field, key=lambda f: len(by_field[f]), reverse=True)
    reps = {f: _representatives(f, by_field[f], spec_of) for f in names}
    can_be_true = _search(c, names, reps, True)
    if can_be_true is False:
        return False
    can_be_false = _search(c, names, reps, False)
    if can_be_false is False:
        return True
    return None
