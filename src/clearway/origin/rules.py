"""Rules of origin as data (pure values): criteria, product-specific rules, agreement provisions.

A product-specific rule (품목별 원산지결정기준, PSR) covers an HS range and is an OR of *alternatives*; each
alternative is an AND of *criteria*. Agreement-level provisions (tolerance / de minimis, cumulation,
insufficient operations, direct transport, accepted proofs and their validity) sit on the :class:`Agreement`.

Criterion kinds (``kind``):

- ``wholly_obtained`` — the product is wholly obtained in a Party (완전생산기준).
- ``materials_wholly_obtained`` — every material in ``scope`` that is used is wholly obtained.
- ``materials_originating`` — every material in ``scope`` (all, when no scope) is originating.
- ``tariff_shift`` — every non-originating material changes classification at ``level`` (2 CC, 4 CTH,
  6 CTSH; 0 = "materials of any heading"), never from the ``exceptions`` ranges, only from ``from_ranges`` when
  given, from outside ``outside_group`` when given; ``allowance`` lets same-heading materials in up to a share of
  the price (세번변경기준).
- ``max_non_originating`` — value of non-originating materials (in ``scope``) at most a share of the ex-works or
  FOB price; several ``limits`` mean "any of" (MaxNOM, 부가가치기준 공제법의 역).
- ``max_non_originating_weight`` — weight of non-originating materials (in ``scope``) at most a share of the
  product's weight.
- ``value_content`` — regional value content at least a share under ``method`` (build_down, build_up,
  net_cost, focused); several ``limits`` mean "any of" (역내부가가치, RVC).
- ``specific_process`` — the producer performed the named processes (가공공정기준); ``groups`` is an AND of
  OR-groups of process keywords; passes on the declared processes or on an attestation.
- ``attested`` — a condition that cannot be decided from a bill of materials (a proviso, a "manufacture
  from" stage rule, text the loader could not read); passes only on the producer's explicit attestation.

Every criterion carries the text it came from, and a stable ``id`` (used to attest it).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from clearway.origin.correlation import Correlation
from clearway.origin.hs import HsRange, digits, ranges_text

CRITERION_KINDS = (
    "wholly_obtained",
    "materials_wholly_obtained",
    "materials_originating",
    "tariff_shift",
    "max_non_originating",
    "max_non_originating_weight",
    "value_content",
    "specific_process",
    "attested",
)
BASES = ("EXW", "FOB", "NET_COST")
RVC_METHODS = ("build_down", "build_up", "net_cost", "focused")


def stable_id(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True, slots=True)
class Limit:
    """A threshold in percent on a price basis, with the RVC method where it is a value-content limit."""

    percent: Decimal
    basis: str = "EXW"
    method: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"percent": str(self.percent), "basis": self.basis}
        if self.method:
            out["method"] = self.method
        return out


@dataclass(frozen=True, slots=True)
class Criterion:
    kind: str
    text: str = ""
    level: int = 0
    exceptions: tuple[HsRange, ...] = ()
    conditional_exceptions: tuple[tuple[tuple[HsRange, ...], str], ...] = ()  # (ranges, "when ..." text)
    from_ranges: tuple[HsRange, ...] = ()
    outside_group: tuple[HsRange, ...] = ()
    exclude_same_code: bool = False
    allowance: Limit | None = None
    scope: tuple[HsRange, ...] = ()
    limits: tuple[Limit, ...] = ()
    groups: tuple[tuple[str, ...], ...] = ()
    tolerance_allowed: bool = True
    id: str = ""

    def __post_init__(self) -> None:
        if self.kind not in CRITERION_KINDS:
            raise ValueError(f"unknown criterion kind {self.kind!r}")
        if not self.id:
            object.__setattr__(
                self, "id", stable_id(self.kind, self.text, str(self.level), ranges_text(self.scope))
            )

    def describe(self) -> str:
        """A short formal description, e.g. 'CTH except 8501', 'MaxNOM 50% EXW'."""
        if self.kind == "tariff_shift":
            name = {0: "materials of any heading", 2: "CC", 4: "CTH", 6: "CTSH", 8: "change of tariff item"}
            out = name.get(self.level, f"change at {self.level} digits")
            if self.from_ranges:
                out += f" from {ranges_text(self.from_ranges)}"
            if self.outside_group:
                out += f" from outside {ranges_text(self.outside_group)}"
            if self.exceptions:
                out += f" except from {ranges_text(self.exceptions)}"
            if self.exclude_same_code:
                out += " (not from materials of the product's own description)"
            if self.allowance:
                out += f"; same-heading materials up to {self.allowance.percent}% {self.allowance.basis}"
            return out
        if self.kind in ("max_non_originating", "max_non_originating_weight", "value_content"):
            unit = {"max_non_originating": "MaxNOM", "max_non_originating_weight": "MaxNOM by weight"}
            label = unit.get(self.kind, "RVC")
            parts = [
                f"{limit.percent}% {limit.method.replace('_', '-') if limit.method else ''} {limit.basis}".replace(
                    "  ", " "
                )
                for limit in self.limits
            ]
            scope = f" (materials of {ranges_text(self.scope)})" if self.scope else ""
            return f"{label} {' or '.join(parts)}{scope}"
        if self.kind == "wholly_obtained":
            return "wholly obtained"
        if self.kind == "materials_wholly_obtained":
            return f"materials of {ranges_text(self.scope)} wholly obtained"
        if self.kind == "materials_originating":
            return (
                f"materials of {ranges_text(self.scope)} originating"
                if self.scope
                else "all materials originating"
            )
        if self.kind == "specific_process":
            return (
                "process: " + " + ".join("/".join(g) for g in self.groups)
                if self.groups
                else "specific process"
            )
        return "attested condition"


@dataclass(frozen=True, slots=True)
class Alternative:
    criteria: tuple[Criterion, ...]
    text: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    tags: tuple[str, ...] = ()  # the source's own class tags (CTH, MAXNOM...), kept for comparison
    target: tuple[HsRange, ...] = ()  # applies only to goods in these ranges (US rules), all when empty
    unapplied: tuple[str, ...] = ()  # relaxations in the text not applied ("However, X may be used")

    def valid_on(self, on: date | None) -> bool:
        if on is None:
            return True
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )

    def applies_to(self, code: str) -> bool:
        return not self.target or any(r.contains(code) for r in self.target)

    @property
    def complete(self) -> bool:
        """True when every criterion can be decided from a bill of materials (no attestation needed)."""
        return all(c.kind != "attested" for c in self.criteria)


@dataclass(frozen=True, slots=True)
class ProductRule:
    """One PSR row. ``variant`` names the part of the range it covers when the range has several rows for
    different products ("ex" headings); ``applies_if`` is a condition on the good (US rules)."""

    ranges: tuple[HsRange, ...]
    alternatives: tuple[Alternative, ...]
    heading: str = ""
    variant: str = ""
    applies_if: str = ""
    notes: tuple[str, ...] = ()  # "textile_note_5", "textile_note_6", "quota", ...
    source: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    hs_version: str = ""  # the HS edition the row is written in ("2012"); "" = the agreement's
    correlation: str = ""  # set on a looked-up copy: how today's code was correlated to this row

    def covers(self, code: str) -> bool:
        return any(r.contains(code) for r in self.ranges)

    def touches(self, code: str) -> bool:
        return any(r.overlaps(code) for r in self.ranges)

    def width(self) -> int:
        return min(r.width() for r in self.ranges)

    def valid_on(self, on: date | None) -> bool:
        if on is None:
            return True
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )


@dataclass(frozen=True, slots=True)
class Tolerance:
    """De minimis: non-originating materials that fail a change-of-classification or wholly-obtained criterion
    may still be used up to ``value_percent`` of the price (not for ``value_excluded`` products), and for
    textile products up to ``textile_weight_percent`` of the weight of the textile materials."""

    value_percent: Decimal | None = None
    value_basis: str = "EXW"
    value_excluded: tuple[HsRange, ...] = ()
    textile_weight_percent: Decimal | None = None
    textile_weight_only_with_note: bool = False  # EU-style: only where the rule refers to the textile note
    textile_value_percent: Decimal | None = None  # EU-style Note 6 (made-up textiles), value share
    text: str = ""


@dataclass(frozen=True, slots=True)
class Proof:
    kind: str  # origin_declaration, certificate, certification, importers_knowledge
    name: str
    validity_months: int | None = None
    issued_by: str = ""
    data_elements: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True, slots=True)
class Provisions:
    tolerance: Tolerance = field(default_factory=Tolerance)
    cumulation: dict[str, tuple[str, ...]] = field(default_factory=dict)  # method -> countries
    insufficient_operations: tuple[tuple[str, str], ...] = ()  # (code, text)
    direct_transport: bool = True
    direct_transport_allowed_operations: tuple[str, ...] = ("unloading", "reloading", "preservation")
    direct_transport_text: str = ""
    proofs: tuple[Proof, ...] = ()
    sets_percent: Decimal | None = None
    rvc_basis: str = "FOB"
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Agreement:
    code: str
    name: str
    parties: frozenset[str]
    rules: tuple[ProductRule, ...]
    provisions: Provisions = field(default_factory=Provisions)
    in_force_from: date | None = None
    partial: bool = False
    kind: str = "preferential"  # or "non_preferential" (US 19 CFR 102)
    source: str = ""
    notes: tuple[str, ...] = ()
    hs_version: str = "2022"  # the HS edition the annex is written in
    correlation: Correlation | None = None  # HS 2022 -> hs_version, when the annex is older
    rate_codes: tuple[str, ...] = ()  # KCS 관세율구분 prefixes of the agreement's rates (FCN, FRCJP...)
    loaded: tuple[HsRange, ...] = ()  # partial annexes: the ranges whose rows are loaded (empty = all)

    def cumulation_countries(self) -> frozenset[str]:
        out = set(self.parties)
        for countries in self.provisions.cumulation.values():
            out.update(countries)
        return frozenset(out)

    def proof(self, kind: str | None = None) -> Proof | None:
        for proof in self.provisions.proofs:
            if kind is None or proof.kind == kind:
                return proof
        return None

    def _rows_for(self, code: str, on: date | None) -> list[ProductRule]:
        covering = [r for r in self.rules if r.covers(code) and r.valid_on(on)]
        if not covering:
            return []
        narrowest = min(r.width() for r in covering)
        return [r for r in covering if r.width() == narrowest]

    def rules_for(self, code: str, on: date | None = None) -> list[ProductRule]:
        """The narrowest rows covering ``code`` (several when the range is split into variants).

        ``code`` is a HS 2022 (HSK) code. When the annex is written in an older edition, the code's six digits
        are correlated first: an unchanged subheading is looked up as it is; a changed one that existed in the
        older edition through its own older row; a new one through every older subheading its goods came from
        (each found row is returned, so rows that differ show as variants).
        Each returned row records the correlation used (``ProductRule.correlation``)."""
        code = digits(code)
        if self.hs_version == "2022" or self.correlation is None or len(code) < 6:
            return self._rows_for(code, on)
        link = self.correlation.link(code)
        if not link.changed:
            found = self._rows_for(code, on)
        else:
            found = []
            for source in link.primary:
                rows = self._rows_for(source, on)
                if not rows:  # part of the goods came from a subheading with no known row: do not guess
                    return []
                for row in rows:
                    if row not in found:
                        found.append(row)
        note = link.describe()
        return [replace(r, correlation=note, hs_version=r.hs_version or self.hs_version) for r in found]

    def is_loaded(self, code: str) -> bool:
        """False when the annex is only partly loaded and ``code`` lies outside what is (the ``loaded`` ranges,
        or, when none are given, the rows themselves)."""
        code = digits(code)
        if not self.partial:
            return True
        if self.loaded:
            return any(r.overlaps(code) for r in self.loaded)
        return any(r.touches(code) for r in self.rules)

    def rules_touching(self, code: str) -> list[ProductRule]:
        """Rows covering part of ``code`` (to explain that a longer code is needed)."""
        code = digits(code)
        return [r for r in self.rules if r.touches(code) and not r.covers(code)]
