"""Selectivity criteria and watchlists as data (after ASYCUDA's selectivity module). Pure.

A criterion is a validated condition (:mod:`clearway.risk.conditions`) with a lane, a validity period, a
*random rate* — the share of matching declarations it actually sends to its lane (1 = all of them, 0.2 = one
in five, drawn reproducibly per declaration) — and an *expected rate*, the share of its checks the analyst
expects to end with a finding (the report compares it with the observed hit rate).

A watchlist names parties (importer, declarant or seller keys) and sends their declarations to its lane.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from clearway.declaration.lifecycle import Lane
from clearway.errors import FieldError, ValidationFailed
from clearway.risk.conditions import (
    EvalContext,
    Matcher,
    compile_condition,
    describe,
    normalise_party,
    validate,
)
from clearway.risk.records import RiskRecord

CRITERION_LANES = (Lane.YELLOW, Lane.RED, Lane.BLUE)
PARTY_FIELDS = ("importer", "declarant", "seller")
SEVERITY = {Lane.GREEN: 0, Lane.BLUE: 1, Lane.YELLOW: 2, Lane.RED: 3}


@dataclass(frozen=True, slots=True)
class CriterionSpec:
    """What an analyst writes; validated by :func:`check_criterion`."""

    code: str
    name: str
    condition: dict[str, Any]
    lane: Lane
    valid_from: date
    valid_to: date | None = None
    random_rate: float = 1.0
    expected_rate: float | None = None
    active: bool = True
    description: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "condition": self.condition,
            "lane": self.lane.value,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "random_rate": self.random_rate,
            "expected_rate": self.expected_rate,
            "active": self.active,
            "description": self.description,
        }


@dataclass(frozen=True)
class Criterion:
    """A stored version of a criterion, ready to match."""

    id: int
    version: int
    spec: CriterionSpec
    matcher: Matcher = field(repr=False, compare=False)

    @classmethod
    def of(cls, id: int, version: int, spec: CriterionSpec) -> Criterion:
        return cls(id, version, spec, compile_condition(spec.condition))

    def in_force(self, on: date) -> bool:
        s = self.spec
        return s.active and s.valid_from <= on and (s.valid_to is None or on <= s.valid_to)

    def matches(self, record: RiskRecord, ctx: EvalContext) -> bool:
        return self.matcher(record, ctx)


def _text(
    data: dict[str, Any], key: str, errors: list[FieldError], *, required: bool, longest: int
) -> str | None:
    v = data.get(key)
    if v is None or (isinstance(v, str) and not v.strip()):
        if required:
            errors.append(FieldError(f"/{key}", "required", f"'{key}' is required"))
        return None
    if not isinstance(v, str):
        errors.append(FieldError(f"/{key}", "not_a_string", f"'{key}' is text"))
        return None
    if len(v.strip()) > longest:
        errors.append(FieldError(f"/{key}", "too_long", f"at most {longest} characters"))
        return None
    return v.strip()


def _date(data: dict[str, Any], key: str, errors: list[FieldError]) -> date | None:
    v = data.get(key)
    if v is None:
        return None
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v))
    except ValueError:
        errors.append(FieldError(f"/{key}", "bad_date", f"'{key}' is a date YYYY-MM-DD"))
        return None


def _rate(data: dict[str, Any], key: str, errors: list[FieldError], *, zero_ok: bool) -> float | None:
    v = data.get(key)
    if v is None:
        return None
    if not isinstance(v, int | float) or isinstance(v, bool) or not (0 <= v <= 1) or (v == 0 and not zero_ok):
        low = "0" if zero_ok else "above 0"
        errors.append(FieldError(f"/{key}", "bad_rate", f"'{key}' is a share from {low} to 1"))
        return None
    return float(v)


def check_criterion(data: Any, *, today: date, watchlists: set[str] | None = None) -> CriterionSpec:
    """Validate an analyst's criterion; raise :class:`ValidationFailed` naming every wrong field."""
    if not isinstance(data, dict):
        raise ValidationFailed(
            "a criterion is a JSON object", errors=[FieldError("", "not_an_object", "object")]
        )
    errors: list[FieldError] = []
    known = {
        "code",
        "name",
        "condition",
        "lane",
        "valid_from",
        "valid_to",
        "random_rate",
        "expected_rate",
        "active",
        "description",
    }
    for extra in sorted(set(data) - known):
        errors.append(FieldError(f"/{extra}", "unknown_field", f"unknown field '{extra}'"))
    code = _text(data, "code", errors, required=True, longest=40)
    name = _text(data, "name", errors, required=True, longest=200)
    description = _text(data, "description", errors, required=False, longest=2000)
    lane = None
    raw_lane = data.get("lane")
    try:
        if not isinstance(raw_lane, str):
            raise ValueError
        lane = Lane(raw_lane)
        if lane not in CRITERION_LANES:
            raise ValueError
    except ValueError:
        errors.append(FieldError("/lane", "bad_lane", "a criterion sends to 'yellow', 'red' or 'blue'"))
        lane = None
    valid_from = _date(data, "valid_from", errors) or today
    valid_to = _date(data, "valid_to", errors)
    if valid_to is not None and valid_to < valid_from:
        errors.append(
            FieldError(
                "/valid_to",
                "before_valid_from",
                "the validity ends before it starts, so the criterion would match nothing",
            )
        )
    random_rate = _rate(data, "random_rate", errors, zero_ok=False)
    expected_rate = _rate(data, "expected_rate", errors, zero_ok=True)
    active = data.get("active", True)
    if not isinstance(active, bool):
        errors.append(FieldError("/active", "not_a_boolean", "'active' is true or false"))
    condition = None
    if "condition" not in data:
        errors.append(FieldError("/condition", "required", "a criterion needs a condition"))
    else:
        try:
            condition = validate(data["condition"], watchlists=watchlists)
        except ValidationFailed as exc:
            errors += exc.errors
    if errors:
        raise ValidationFailed(f"{len(errors)} problem(s) in the criterion", errors=errors)
    assert code and name and lane and condition is not None
    return CriterionSpec(
        code,
        name,
        condition,
        lane,
        valid_from,
        valid_to,
        1.0 if random_rate is None else random_rate,
        expected_rate,
        bool(active),
        description,
    )


# ---- watchlists --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Watchlist:
    id: int
    name: str
    lane: Lane
    entries: dict[str, frozenset[str]]  # field → party keys
    active: bool = True

    def hits(self, record: RiskRecord) -> list[str]:
        if not self.active:
            return []
        return [
            f
            for f in PARTY_FIELDS
            if getattr(record, f) is not None and getattr(record, f) in self.entries.get(f, frozenset())
        ]


def check_watchlist_entry(data: Any) -> tuple[str, str, str | None]:
    """(field, party key, reason) for a watchlist entry, or :class:`ValidationFailed`."""
    errors: list[FieldError] = []
    if not isinstance(data, dict):
        raise ValidationFailed(
            "an entry is a JSON object", errors=[FieldError("", "not_an_object", "object")]
        )
    f = data.get("field")
    if not isinstance(f, str) or f not in PARTY_FIELDS:
        errors.append(FieldError("/field", "bad_field", f"'field' is one of {', '.join(PARTY_FIELDS)}"))
    party = data.get("party")
    if not isinstance(party, str) or not party.strip():
        errors.append(
            FieldError(
                "/party", "required", "the party: a 10-digit business registration number, or NAME|COUNTRY"
            )
        )
    reason = data.get("reason")
    if reason is not None and not isinstance(reason, str):
        errors.append(FieldError("/reason", "not_a_string", "text"))
    if errors or not isinstance(f, str) or not isinstance(party, str):
        raise ValidationFailed(f"{len(errors)} problem(s) in the watchlist entry", errors=errors)
    return f, normalise_party(party), reason


# ---- evaluating everything for one declaration -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CriterionHit:
    criterion: Criterion
    line: str  # the record's ref

    def reason(self, applied: bool) -> dict[str, Any]:
        s = self.criterion.spec
        return {
            "kind": "criterion",
            "criterion_id": self.criterion.id,
            "code": s.code,
            "version": self.criterion.version,
            "lane": s.lane.value,
            "applied": applied,
            "random_rate": s.random_rate,
            "message": f"criterion {s.code} v{self.criterion.version} ({s.name}): {describe(s.condition)}"
            + ("" if applied else f" — matched, not drawn (random rate {s.random_rate:g})"),
            "where": self.line,
        }


@dataclass(frozen=True, slots=True)
class WatchHit:
    watchlist: Watchlist
    field: str
    party: str

    def reason(self) -> dict[str, Any]:
        return {
            "kind": "watchlist",
            "watchlist_id": self.watchlist.id,
            "watchlist": self.watchlist.name,
            "lane": self.watchlist.lane.value,
            "field": self.field,
            "party": self.party,
            "message": f"{self.field} {self.party} is on watchlist {self.watchlist.name}",
        }


def criterion_hits(
    criteria: Sequence[Criterion], records: Sequence[RiskRecord], ctx: EvalContext, on: date
) -> list[CriterionHit]:
    """Each criterion in force on ``on`` that matches at least one goods item (the first such item)."""
    hits = []
    for c in criteria:
        if not c.in_force(on):
            continue
        for r in records:
            if c.matches(r, ctx):
                hits.append(CriterionHit(c, r.ref))
                break
    return hits


def watch_hits(watchlists: Sequence[Watchlist], records: Sequence[RiskRecord]) -> list[WatchHit]:
    seen = set()
    out = []
    for w in watchlists:
        for r in records:
            for f in w.hits(r):
                key = (w.id, f, getattr(r, f))
                if key not in seen:
                    seen.add(key)
                    out.append(WatchHit(w, f, getattr(r, f)))
    return out
