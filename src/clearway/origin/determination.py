"""Origin determination: is this product originating under that agreement, and why (pure).

:func:`determine` takes an :class:`~clearway.origin.rules.Agreement`, a
:class:`~clearway.origin.bom.BillOfMaterials` and the date, and returns a :class:`Determination` with the
step-by-step reasoning a verifier would write: the materials' status after cumulation, the product-specific
rule found, each alternative with each criterion passed or failed and why, the RVC as computed, the tolerance
used, and the agreement-level checks (insufficient operations, direct transport).

Statuses: ``originating``, ``not_originating``, ``undetermined`` (no rule for the code, a rule split into
product variants that disagree, or a code too short to pick the rule) — never a silent "originating". Bad
input (codes, values above the price) raises :class:`clearway.errors.ValidationFailed` naming each field.

Preferential agreements apply a rule to the product as a whole: one alternative must hold in full. The US
non-preferential rules (19 CFR 102.11(a)(3)) work per material: each foreign material must undergo *an*
applicable change, so each material may satisfy a different alternative.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from clearway.errors import ValidationFailed
from clearway.origin.bom import BillOfMaterials, input_errors
from clearway.origin.criteria import Context, CriterionResult, evaluate, pct, shift_problem, shown
from clearway.origin.hs import TEXTILE_RANGE, membership, printed, ranges_text
from clearway.origin.rules import Agreement, Alternative, ProductRule

ORIGINATING = "originating"
NOT_ORIGINATING = "not_originating"
UNDETERMINED = "undetermined"


@dataclass
class AlternativeOutcome:
    index: int
    text: str
    passed: bool
    criteria: list[CriterionResult]
    tolerance: dict[str, Any] | None = None
    unapplied: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "index": self.index,
            "text": self.text,
            "passed": self.passed,
            "criteria": [r.as_dict() for r in self.criteria],
        }
        if self.tolerance:
            out["tolerance"] = self.tolerance
        if self.unapplied:
            out["relaxations_not_applied"] = list(self.unapplied)
        return out


@dataclass
class RuleOutcome:
    rule: ProductRule
    status: str
    alternatives: list[AlternativeOutcome]
    applied: int | None = None
    per_material: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        r = self.rule
        return {
            "ranges": [str(x) for x in r.ranges],
            "heading": r.heading,
            "variant": r.variant,
            "source": r.source,
            **({"hs_version": r.hs_version} if r.hs_version else {}),
            **({"hs_correlation": r.correlation} if r.correlation else {}),
            "status": self.status,
            "applied_alternative": self.applied,
            "alternatives": [a.as_dict() for a in self.alternatives],
            **({"per_material": self.per_material} if self.per_material else {}),
        }


@dataclass
class Determination:
    status: str
    agreement: str
    product_hs: str
    reasons: list[str]
    steps: list[str]
    rules: list[RuleOutcome] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    materials: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    attestations_needed: list[dict[str, str]] = field(default_factory=list)

    @property
    def originating(self) -> bool:
        return self.status == ORIGINATING

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "originating": self.originating,
            "agreement": self.agreement,
            "product_hs": self.product_hs,
            "reasons": self.reasons,
            "steps": self.steps,
            "materials": self.materials,
            "rules": [r.as_dict() for r in self.rules],
            "checks": self.checks,
            "warnings": self.warnings,
            "attestations_needed": self.attestations_needed,
        }


# ------------------------------------------------------------------------------------------- materials


def material_status(
    agreement: Agreement, bom: BillOfMaterials
) -> tuple[tuple[bool, ...], list[dict[str, Any]], list[str]]:
    """Whether each material counts as originating: stated originating and from a Party or a country the
    agreement lets the producer cumulate with."""
    allowed = agreement.cumulation_countries()
    status, rows, warnings = [], [], []
    for i, m in enumerate(bom.materials):
        ok = m.originating
        why = "stated non-originating"
        if m.originating:
            if m.origin_country is None:
                why = "stated originating (no origin country given)"
                warnings.append(
                    f"material {i + 1} ({printed(m.hs)}) is stated originating without an origin country"
                )
            elif agreement.kind == "preferential" and m.origin_country not in allowed:
                ok = False
                why = (
                    f"stated originating, but {m.origin_country} is neither a Party nor a cumulation country of "
                    f"{agreement.code}: counted as non-originating"
                )
                warnings.append(f"material {i + 1}: {why}")
            else:
                method = next(
                    (
                        k
                        for k, v in agreement.provisions.cumulation.items()
                        if m.origin_country in v and m.origin_country not in agreement.parties
                    ),
                    None,
                )
                why = f"originating in {m.origin_country}" + (f" ({method} cumulation)" if method else "")
        status.append(ok)
        rows.append(
            {
                "index": i + 1,
                "hs": m.hs,
                "description": m.description,
                "value": None if m.value is None else str(m.value),
                "origin_country": m.origin_country,
                "originating": ok,
                "status": why,
            }
        )
    return tuple(status), rows, warnings


# ------------------------------------------------------------------------------------------- tolerance


def _tolerance(
    agreement: Agreement, rule: ProductRule, ctx: Context, offending: set[int]
) -> tuple[bool, dict[str, Any]]:
    tol = agreement.provisions.tolerance
    bom = ctx.bom
    p = bom.product
    materials = [bom.materials[i] for i in sorted(offending)]
    textile_product = TEXTILE_RANGE.contains(p.hs)
    tried: list[str] = []
    if (
        textile_product
        and tol.textile_weight_percent is not None
        and (not tol.textile_weight_only_with_note or "textile_note_5" in rule.notes)
    ):
        textiles = [m for m in bom.materials if membership(m.hs, (TEXTILE_RANGE,)) == "in"]
        if not all(membership(m.hs, (TEXTILE_RANGE,)) == "in" for m in materials):
            tried.append("textile weight tolerance: not every offending material is a textile material")
        elif any(m.weight_kg is None for m in textiles):
            tried.append("textile weight tolerance: material weights not given")
        else:
            total = sum((m.weight_kg for m in textiles if m.weight_kg is not None), Decimal(0))
            # every offending material is a textile material, so none of their weights is missing
            weight = sum((m.weight_kg for m in materials if m.weight_kg is not None), Decimal(0))
            if total > 0:
                share = pct(weight, total)
                if share <= tol.textile_weight_percent:
                    return True, {
                        "method": "textile_weight",
                        "share": str(shown(share)),
                        "limit": str(tol.textile_weight_percent),
                        "reason": f"offending textile materials weigh {weight} kg, {shown(share)}% of the {total} kg "
                        f"of textile materials (tolerance {tol.textile_weight_percent}% by weight)",
                    }
                tried.append(
                    f"textile weight tolerance: {shown(share)}% of the textile materials' weight exceeds "
                    f"{tol.textile_weight_percent}%"
                )
    if textile_product and tol.textile_value_percent is not None and "textile_note_6" in rule.notes:
        ok_kind = all(membership(m.hs, (TEXTILE_RANGE,)) == "in" and m.hs[:4] != p.hs[:4] for m in materials)
        values = [m.value for m in materials if m.value is not None]
        if ok_kind and p.ex_works_price and len(values) == len(materials):
            total_v = sum(values, Decimal(0))
            share = pct(total_v, p.ex_works_price)
            if share <= tol.textile_value_percent:
                return True, {
                    "method": "textile_value",
                    "share": str(shown(share)),
                    "limit": str(tol.textile_value_percent),
                    "reason": f"textile materials of other headings worth {total_v} are {shown(share)}% of the "
                    f"ex-works price (tolerance {tol.textile_value_percent}%)",
                }
            tried.append(f"textile value tolerance: {shown(share)}% exceeds {tol.textile_value_percent}%")
    if tol.value_percent is not None:
        if any(r.contains(p.hs) for r in tol.value_excluded):
            tried.append(f"value tolerance: not available for products of {ranges_text(tol.value_excluded)}")
        else:
            price = p.price(tol.value_basis)
            values = [m.value for m in materials if m.value is not None]
            if price is None:
                tried.append(f"value tolerance: no {tol.value_basis} price given")
            elif len(values) < len(materials):
                tried.append("value tolerance: offending material values not given")
            else:
                total_v = sum(values, Decimal(0))
                share = pct(total_v, price)
                if share <= tol.value_percent:
                    return True, {
                        "method": "value",
                        "share": str(shown(share)),
                        "limit": str(tol.value_percent),
                        "reason": f"offending materials worth {total_v} are {shown(share)}% of the {tol.value_basis} "
                        f"price {price}, within the {tol.value_percent}% tolerance",
                    }
                tried.append(
                    f"value tolerance: {shown(share)}% of the {tol.value_basis} price exceeds {tol.value_percent}%"
                )
    if not tried:
        tried.append("the agreement data give no tolerance for this product")
    return False, {"reason": "; ".join(tried)}


# ------------------------------------------------------------------------------------------- rules


def _alternatives(rule: ProductRule, hs: str, on: date | None) -> list[tuple[int, Alternative]]:
    return [(i, a) for i, a in enumerate(rule.alternatives) if a.valid_on(on) and a.applies_to(hs)]


def _whole_product(agreement: Agreement, rule: ProductRule, ctx: Context, on: date | None) -> RuleOutcome:
    outcomes = []
    applied = None
    for index, alt in _alternatives(rule, ctx.product_hs, on):
        results = [evaluate(c, ctx) for c in alt.criteria]
        passed = bool(results) and all(r.passed for r in results)
        outcome = AlternativeOutcome(index + 1, alt.text, passed, results, unapplied=alt.unapplied)
        failed = [r for r in results if not r.passed]
        if failed and all(r.rescuable for r in failed):
            offending = set().union(*(r.offending for r in failed))
            ok, info = _tolerance(agreement, rule, ctx, offending)
            outcome.tolerance = {"used": ok, **info}
            outcome.passed = ok
        outcomes.append(outcome)
        if outcome.passed and applied is None:
            applied = index + 1
    if not outcomes:
        return RuleOutcome(rule, UNDETERMINED, [], None)
    return RuleOutcome(rule, ORIGINATING if applied else NOT_ORIGINATING, outcomes, applied)


def _per_material(agreement: Agreement, rule: ProductRule, ctx: Context, on: date | None) -> RuleOutcome:
    """US 102.11(a)(3): every foreign material undergoes an applicable change (any alternative's)."""
    alternatives = _alternatives(rule, ctx.product_hs, on)
    if not alternatives:
        return RuleOutcome(rule, UNDETERMINED, [], None)
    outcomes, usable = [], []
    for index, alt in alternatives:
        others = [evaluate(c, ctx) for c in alt.criteria if c.kind != "tariff_shift"]
        shifts = [c for c in alt.criteria if c.kind == "tariff_shift"]
        ok_others = all(r.passed for r in others)
        outcomes.append(AlternativeOutcome(index + 1, alt.text, ok_others and bool(shifts), others))
        if ok_others and shifts:
            usable.append((index + 1, shifts))
    rows, all_ok = [], True
    for i, m in ctx.non_originating():
        met_by, why_not = None, []
        for number, shifts in usable:
            problems = [shift_problem(c, m, ctx.product_hs, ctx.bom) for c in shifts]
            if all(p is None for p in problems):
                met_by = number
                break
            why_not += [f"alternative {number}: {p[0]}" for p in problems if p]
        if not usable:
            why_not.append("no alternative's other conditions hold")
        rows.append(
            {
                "material": i + 1,
                "hs": m.hs,
                "met": met_by is not None,
                "alternative": met_by,
                "reason": f"changes under alternative {met_by}" if met_by else "; ".join(why_not),
            }
        )
        all_ok = all_ok and met_by is not None
    if not ctx.non_originating() and not usable:
        all_ok = False
    status = ORIGINATING if all_ok else NOT_ORIGINATING
    return RuleOutcome(rule, status, outcomes, None, rows)


def _pick_rules(
    agreement: Agreement, hs: str, variant: str | None, on: date | None
) -> tuple[list[ProductRule], str | None]:
    rules = agreement.rules_for(hs, on)
    if not rules:
        longer = agreement.rules_touching(hs)
        if longer:
            return [], (
                f"{agreement.code} splits {printed(hs)} into several rules "
                f"({', '.join(ranges_text(r.ranges) for r in longer[:5])}); give the full code"
            )
        if not agreement.is_loaded(hs):
            known = agreement.loaded or tuple(x for r in agreement.rules for x in r.ranges)
            return [], (
                f"the {agreement.code} product-specific rules for HS {printed(hs)} are not loaded "
                + (f"(only {ranges_text(known[:12])} are)" if known else "(none of its table is)")
                + ": origin cannot be decided from the rules here"
            )
        if agreement.correlation is not None and agreement.hs_version != "2022":
            link = agreement.correlation.link(hs)
            if link.changed:
                return [], (
                    f"{agreement.code} has no single rule for HS {printed(hs)}: {link.describe()}, "
                    "and not every one of those subheadings has a loaded row"
                )
        return [], f"{agreement.code} has no product-specific rule covering HS {printed(hs)}"
    if variant:
        wanted = variant.strip().lower()
        chosen = [
            r
            for n, r in enumerate(rules, start=1)
            if wanted == str(n) or wanted in (r.variant + " " + r.heading).lower()
        ]
        if not chosen:
            return [], f"no rule variant of HS {printed(hs)} matches '{variant}' (variants: " + "; ".join(
                f"{n}: {r.variant or r.heading}" for n, r in enumerate(rules, start=1)
            ) + ")"
        rules = chosen
    return rules, None


# ------------------------------------------------------------------------------------------- provisions


def _insufficient(
    agreement: Agreement, bom: BillOfMaterials, originating: tuple[bool, ...]
) -> dict[str, Any]:
    ops = agreement.provisions.insufficient_operations
    processes = bom.product.processes
    if bom.product.wholly_obtained and all(originating):
        return {
            "check": "insufficient_operations",
            "passed": True,
            "reason": "wholly obtained: origin does not rest on the working carried out",
        }
    if not ops:
        return {
            "check": "insufficient_operations",
            "passed": None,
            "reason": "the agreement data list no insufficient operations",
        }
    if processes is None:
        return {
            "check": "insufficient_operations",
            "passed": None,
            "reason": "not checked: the producer declared no operations (declare product.processes)",
        }
    if not processes:
        return {
            "check": "insufficient_operations",
            "passed": False,
            "reason": "no working or processing was declared",
        }
    minimal = {code for code, _ in ops}
    beyond = [p for p in processes if _op_code(p) not in minimal]
    if beyond:
        return {
            "check": "insufficient_operations",
            "passed": True,
            "reason": f"working goes beyond the insufficient operations ({', '.join(beyond)})",
        }
    texts = dict(ops)
    return {
        "check": "insufficient_operations",
        "passed": False,
        "reason": "only insufficient operations were carried out: "
        # every process is an insufficient operation here, so each has a code
        + "; ".join(f"{p} ({texts[code]})" for p in processes if (code := _op_code(p)) is not None),
    }


INSUFFICIENT_WORDS = {
    "preservation": ("preserv", "refrigerat", "freezing", "chilling", "ventilat"),
    "packaging": (
        "repack",
        "change of packaging",
        "breaking-up",
        "breaking up",
        "packing",
        "packaging",
        "bottling",
        "placing in",
        "boxing",
        "bagging",
    ),
    "cleaning": ("washing", "cleaning", "dust", "removal of oxide", "removal of oil", "removal of paint"),
    "ironing": ("ironing", "pressing of textiles"),
    "painting": ("simple painting", "polishing"),
    "cereals": ("husking", "bleaching of cereals", "glazing of cereals", "glazing of rice"),
    "sugar": ("colouring sugar", "flavouring sugar", "sugar lumps", "milling of crystal sugar"),
    "peeling": ("peeling", "stoning", "shelling"),
    "cutting": ("sharpening", "simple grinding", "simple cutting", "cutting"),
    "sorting": ("sifting", "screening", "sorting", "classifying", "grading", "matching", "making-up of sets"),
    "marking": ("marking", "labelling", "labeling", "logo", "affixing"),
    "mixing": ("simple mixing", "mixing of sugar"),
    "assembly": ("simple assembly", "disassembly"),
    "testing": ("testing", "calibration", "calibrating"),
    "slaughter": ("slaughter",),
    "dilution": ("dilution with water", "dilution"),
}


def _op_code(process: str) -> str | None:
    text = process.strip().lower()
    for code, words in INSUFFICIENT_WORDS.items():
        if any(w in text for w in words):
            return code
    return None


def _direct_transport(agreement: Agreement, bom: BillOfMaterials) -> dict[str, Any]:
    prov = agreement.provisions
    if not prov.direct_transport:
        return {
            "check": "direct_transport",
            "passed": None,
            "reason": "the agreement data set no direct-transport rule",
        }
    if bom.transit is None:
        return {
            "check": "direct_transport",
            "passed": None,
            "reason": "not checked here: no route declared (checked against the declaration at import)",
        }
    if not bom.transit:
        return {"check": "direct_transport", "passed": True, "reason": "shipped directly between the Parties"}
    problems = []
    allowed = set(prov.direct_transport_allowed_operations)
    for leg in bom.transit:
        extra = [o for o in leg.operations if o.strip().lower() not in allowed]
        if leg.released_for_free_circulation:
            problems.append(f"released for free circulation in {leg.country}")
        if extra:
            problems.append(
                f"operations in {leg.country} beyond {', '.join(sorted(allowed))}: {', '.join(extra)}"
            )
    if problems:
        return {"check": "direct_transport", "passed": False, "reason": "; ".join(problems)}
    return {
        "check": "direct_transport",
        "passed": True,
        "reason": "transit through "
        + ", ".join(t.country for t in bom.transit)
        + " with only "
        + ", ".join(sorted(allowed)),
    }


# ------------------------------------------------------------------------------------------- entry point


def determine(
    agreement: Agreement,
    bom: BillOfMaterials,
    *,
    on: date | None = None,
    known_code: Callable[[str], bool] | None = None,
) -> Determination:
    errors = input_errors(bom, known_code)
    if errors:
        raise ValidationFailed(f"{len(errors)} problem(s) in the bill of materials", errors=errors)
    p = bom.product
    steps: list[str] = []
    originating, rows, warnings = material_status(agreement, bom)
    det = Determination(UNDETERMINED, agreement.code, p.hs, [], steps, materials=rows, warnings=warnings)
    if agreement.partial:
        warnings.append(f"{agreement.code} is only partly loaded: only the rules it lists are known")
    steps.append(
        f"Agreement {agreement.code} ({agreement.name}); product HS {printed(p.hs)}"
        + (f", ex-works {p.ex_works_price}" if p.ex_works_price is not None else "")
        + (f", FOB {p.fob_price}" if p.fob_price is not None else "")
        + (f" {p.currency}" if p.currency else "")
    )
    if agreement.kind == "preferential":
        if p.producer_country and p.producer_country not in agreement.parties:
            det.status = NOT_ORIGINATING
            det.reasons.append(
                f"produced in {p.producer_country}, which is not a Party to {agreement.code} "
                f"({', '.join(sorted(agreement.parties))})"
            )
            steps.append(det.reasons[-1])
            return det
        if not p.producer_country:
            warnings.append("the producer's country is not given: production in a Party is assumed")
    for row in rows:
        steps.append(f"Material {row['index']} {printed(row['hs'])}: {row['status']}")
    rules, problem = _pick_rules(agreement, p.hs, bom.variant, on)
    if problem:
        det.reasons.append(problem)
        steps.append(problem)
        return det
    for rule in rules:
        if rule.correlation:
            steps.append(f"The rule is written in HS {rule.hs_version}: {rule.correlation}")
    ctx = Context(bom, originating)
    per_material = agreement.kind == "non_preferential"
    for rule in rules:
        outcome = (_per_material if per_material else _whole_product)(agreement, rule, ctx, on)
        det.rules.append(outcome)
        _explain(outcome, steps, len(rules) > 1)
        for alt in outcome.alternatives:
            for r in alt.criteria:
                if not r.passed and r.criterion.kind in ("attested", "specific_process"):
                    need = {"id": r.criterion.id, "text": r.criterion.text}
                    if need not in det.attestations_needed:
                        det.attestations_needed.append(need)
    statuses = {o.status for o in det.rules}
    if len(statuses) > 1:
        det.status = UNDETERMINED
        det.reasons.append(
            f"HS {printed(p.hs)} has {len(rules)} rule variants that give different answers; choose "
            "one with 'variant': "
            + "; ".join(
                f"{n}: {o.rule.variant or o.rule.heading} -> {o.status}"
                for n, o in enumerate(det.rules, start=1)
            )
        )
        return det
    status = statuses.pop()
    if status == UNDETERMINED:
        det.reasons.append(
            f"no alternative of the {agreement.code} rule applies to HS {printed(p.hs)} on this date"
        )
        return det
    head = det.rules[0]
    if status == ORIGINATING:
        if per_material:
            det.reasons.append(
                "every foreign material undergoes an applicable change in tariff classification"
            )
        else:
            alt = next(a for a in head.alternatives if a.index == head.applied)
            det.reasons.append(
                f"meets alternative {head.applied} of the rule for {ranges_text(head.rule.ranges)}: {alt.text[:200]}"
                + (" (with tolerance)" if alt.tolerance and alt.tolerance.get("used") else "")
            )
    else:
        det.reasons.append(f"no alternative of the rule for {ranges_text(head.rule.ranges)} is met")
    if len(rules) > 1:
        det.reasons.append(f"the same answer under all {len(rules)} rule variants for this code")
    if per_material:
        det.status = status
        return det
    for check in (_insufficient(agreement, bom, originating), _direct_transport(agreement, bom)):
        det.checks.append(check)
        steps.append(
            f"{check['check'].replace('_', ' ').capitalize()}: "
            f"{'passed' if check['passed'] else 'FAILED' if check['passed'] is False else 'not checked'} — {check['reason']}"
        )
        if check["passed"] is False:
            status = NOT_ORIGINATING
            det.reasons.append(check["reason"])
        elif check["passed"] is None and status == ORIGINATING:
            warnings.append(check["reason"])
    det.status = status
    steps.append(f"Result: {status.replace('_', ' ')}")
    return det


def _explain(outcome: RuleOutcome, steps: list[str], several: bool) -> None:
    r = outcome.rule
    name = (
        f"Rule for {ranges_text(r.ranges)}"
        + (f" [{r.variant}]" if r.variant else "")
        + (f" ({r.source})" if r.source else "")
    )
    steps.append(
        f"{name}: {len(outcome.alternatives)} alternative(s)"
        + (" — one of several variants" if several else "")
    )
    for alt in outcome.alternatives:
        steps.append(f"  Alternative {alt.index}: {'MET' if alt.passed else 'not met'} — {alt.text[:160]}")
        for res in alt.criteria:
            steps.append(f"    [{'pass' if res.passed else 'FAIL'}] {res.reason}")
        if alt.tolerance:
            steps.append(
                f"    tolerance {'used' if alt.tolerance.get('used') else 'not available'}: {alt.tolerance.get('reason')}"
            )
        for text in alt.unapplied:
            steps.append(f"    (relaxation not applied: {text[:120]})")
    for row in outcome.per_material:
        steps.append(
            f"  Material {row['material']} {printed(row['hs'])}: {'met' if row['met'] else 'NOT met'} — {row['reason']}"
        )
