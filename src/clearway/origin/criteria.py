"""Decide one criterion of a product-specific rule against a bill of materials (pure).

Each function returns a :class:`CriterionResult`: passed or not, the reason in words a verifier would write,
the materials that made it fail (so a tolerance can be tried on them), and the figures computed (shares,
RVC). Conservative by design: a material whose code is too short to show it is outside an excepted range, a
value that is missing, a condition nobody attested — each is a failure with its reason, never a pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from clearway.origin.bom import BillOfMaterials, Material
from clearway.origin.hs import HsRange, level_name, membership, printed, ranges_text
from clearway.origin.processes import declared_processes
from clearway.origin.rules import Criterion

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def pct(part: Decimal, whole: Decimal) -> Decimal:
    """A share in percent, exact (compare thresholds with this; show it with :func:`shown`)."""
    return part * HUNDRED / whole


def shown(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Context:
    bom: BillOfMaterials
    originating: tuple[bool, ...]  # per material, after cumulation
    rule_ranges: tuple[HsRange, ...] = ()

    @property
    def product_hs(self) -> str:
        return self.bom.product.hs

    def non_originating(self) -> list[tuple[int, Material]]:
        return [(i, m) for i, m in enumerate(self.bom.materials) if not self.originating[i]]

    def originating_materials(self) -> list[tuple[int, Material]]:
        return [(i, m) for i, m in enumerate(self.bom.materials) if self.originating[i]]


@dataclass(frozen=True, slots=True)
class CriterionResult:
    criterion: Criterion
    passed: bool
    reason: str
    offending: tuple[int, ...] = ()
    rescuable: bool = False
    figures: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.criterion.id,
            "kind": self.criterion.kind,
            "rule": self.criterion.describe(),
            "text": self.criterion.text,
            "passed": self.passed,
            "reason": self.reason,
        }
        if self.offending:
            out["offending_materials"] = list(self.offending)
        if self.figures:
            out["figures"] = {k: str(v) if isinstance(v, Decimal) else v for k, v in self.figures.items()}
        return out


def _label(i: int, m: Material) -> str:
    return f"material {i + 1} ({printed(m.hs)}{' ' + m.description if m.description else ''})"


def shift_problem(
    c: Criterion, m: Material, product_hs: str, bom: BillOfMaterials
) -> tuple[str, bool] | None:
    """Why material ``m`` does not satisfy the tariff-shift criterion ``c`` (None if it does). The flag says
    whether the failure is only "same heading/subheading as the product" (what a same-heading allowance forgives)."""
    code = m.hs
    where = membership(code, c.exceptions)
    if where == "in":
        return f"{printed(code)} is within the excepted {ranges_text(c.exceptions)}", False
    if where == "maybe":
        return (
            f"{printed(code)} is too short to show it is outside the excepted {ranges_text(c.exceptions)}",
            False,
        )
    for ranges, when in c.conditional_exceptions:
        if membership(code, ranges) == "out":
            continue
        holds = bom.attested(when, stable_when_id(when))
        if holds is True:
            return f"{printed(code)} is excepted ({ranges_text(ranges)} {when})", False
        if holds is None:
            return (
                f"{printed(code)} falls under the exception for {ranges_text(ranges)} {when}; attest "
                f"'{when}' as false to show it does not apply"
            ), False
    if c.from_ranges and membership(code, c.from_ranges) != "in":
        return (
            f"{printed(code)} is not among the materials the rule allows ({ranges_text(c.from_ranges)})",
            False,
        )
    if c.outside_group:
        where = membership(code, c.outside_group)
        if where != "out":
            return (
                f"{printed(code)} is inside the group {ranges_text(c.outside_group)}; the change must come from outside it",
                False,
            )
    level = c.level
    if level:
        if len(product_hs) < level:
            return (
                f"the product code {printed(product_hs)} is too short to compare at {level_name(level)} level",
                False,
            )
        if len(code) >= level:
            if code[:level] == product_hs[:level]:
                return (
                    f"{printed(code)} is in the same {level_name(level)} as the product ({printed(product_hs[:level])})",
                    True,
                )
        elif product_hs.startswith(code):
            return (
                f"{printed(code)} is too short to show a change of {level_name(level)} "
                f"(the product is {printed(product_hs)})"
            ), False
    if c.exclude_same_code:
        if len(code) >= 6 and code[:6] == product_hs[:6]:
            return (
                f"{printed(code)} is of the product's own subheading; materials of its description may not be used",
                False,
            )
        if len(code) < 6 and product_hs.startswith(code):
            return f"{printed(code)} is too short to show it is not of the product's own description", False
    return None


def stable_when_id(when: str) -> str:
    return when.strip().lower()


def _tariff_shift(c: Criterion, ctx: Context) -> CriterionResult:
    problems: list[tuple[int, Material, str, bool]] = []
    checked = ctx.non_originating()
    for i, m in checked:
        problem = shift_problem(c, m, ctx.product_hs, ctx.bom)
        if problem:
            problems.append((i, m, problem[0], problem[1]))
    if not problems:
        if not checked:
            return CriterionResult(c, True, f"{c.describe()}: there are no non-originating materials")
        return CriterionResult(
            c,
            True,
            f"{c.describe()}: every non-originating material qualifies ("
            + "; ".join(f"{printed(m.hs)}" for _, m in checked)
            + ")",
        )
    if c.allowance and all(same for *_, same in problems):
        price = ctx.bom.product.price(c.allowance.basis)
        values = [m.value for _, m, _, _ in problems if m.value is not None]
        if price and len(values) == len(problems):
            total = sum(values, Decimal(0))
            share = pct(total, price)
            if share <= c.allowance.percent:
                return CriterionResult(
                    c,
                    True,
                    (
                        f"{c.describe()}: same-heading materials worth {total} ({shown(share)}% of the {c.allowance.basis} "
                        f"price) are within the {c.allowance.percent}% allowance"
                    ),
                    figures={"same_heading_share": shown(share)},
                )
    reasons = "; ".join(f"{_label(i, m)}: {why}" for i, m, why, _ in problems)
    return CriterionResult(
        c,
        False,
        f"{c.describe()} not met: {reasons}",
        offending=tuple(i for i, *_ in problems),
        rescuable=c.tolerance_allowed,
    )


def _in_scope(c: Criterion, m: Material) -> bool:
    return not c.scope or membership(m.hs, c.scope) != "out"


def _materials_wholly_obtained(c: Criterion, ctx: Context) -> CriterionResult:
    used = [(i, m) for i, m in enumerate(ctx.bom.materials) if _in_scope(c, m)]
    bad = []
    for i, m in used:
        if not ctx.originating[i]:
            bad.append((i, m, "non-originating"))
        elif m.wholly_obtained is not True:
            bad.append((i, m, "originating but not declared wholly obtained"))
    if not used:
        return CriterionResult(c, True, f"no materials of {ranges_text(c.scope)} are used")
    if not bad:
        return CriterionResult(c, True, f"all materials of {ranges_text(c.scope)} used are wholly obtained")
    return CriterionResult(
        c,
        False,
        f"{c.describe()} not met: " + "; ".join(f"{_label(i, m)} is {w}" for i, m, w in bad),
        offending=tuple(i for i, *_ in bad),
        rescuable=c.tolerance_allowed,
    )


def _materials_originating(c: Criterion, ctx: Context) -> CriterionResult:
    bad = [(i, m) for i, m in ctx.non_originating() if _in_scope(c, m)]
    if not bad:
        return CriterionResult(c, True, f"{c.describe()}: no non-originating material of that kind is used")
    return CriterionResult(
        c,
        False,
        f"{c.describe()} not met: " + "; ".join(f"{_label(i, m)} is non-originating" for i, m in bad),
        offending=tuple(i for i, _ in bad),
        rescuable=c.tolerance_allowed,
    )


def _wholly_obtained(c: Criterion, ctx: Context) -> CriterionResult:
    p = ctx.bom.product
    foreign = ctx.non_originating()
    if foreign:
        return CriterionResult(
            c,
            False,
            "not wholly obtained: it uses non-originating " + ", ".join(_label(i, m) for i, m in foreign),
        )
    if not p.wholly_obtained:
        return CriterionResult(c, False, "the product is not declared wholly obtained in a Party")
    return CriterionResult(c, True, "declared wholly obtained in a Party, with no non-originating materials")


def _sum_values(items: list[tuple[int, Material]]) -> tuple[Decimal | None, list[int]]:
    missing = [i for i, m in items if m.value is None]
    if missing:
        return None, missing
    return sum((m.value for _, m in items if m.value is not None), Decimal(0)), []


def _max_non_originating(c: Criterion, ctx: Context) -> CriterionResult:
    items = [(i, m) for i, m in ctx.non_originating() if _in_scope(c, m)]
    vnm, missing = _sum_values(items)
    what = f"non-originating materials of {ranges_text(c.scope)}" if c.scope else "non-originating materials"
    if vnm is None:
        return CriterionResult(
            c,
            False,
            f"{c.describe()}: the value of material(s) {', '.join(str(i + 1) for i in missing)} is not given",
        )
    figures: dict[str, Any] = {"non_originating_value": vnm}
    notes = []
    for limit in c.limits:
        price = ctx.bom.product.price(limit.basis)
        if price is None:
            notes.append(f"no {limit.basis} price given")
            continue
        share = pct(vnm, price)
        figures[f"share_{limit.basis.lower()}"] = shown(share)
        if share <= limit.percent:
            return CriterionResult(
                c,
                True,
                f"{what} worth {vnm} are {shown(share)}% of the {limit.basis} price {price}, "
                f"within the {limit.percent}% maximum",
                figures=figures,
            )
        notes.append(f"{shown(share)}% of the {limit.basis} price {price} exceeds {limit.percent}%")
    return CriterionResult(
        c, False, f"{c.describe()} not met: {what} worth {vnm}: " + "; ".join(notes), figures=figures
    )


def _max_weight(c: Criterion, ctx: Context) -> CriterionResult:
    product_weight = ctx.bom.product.weight_kg
    items = [(i, m) for i, m in ctx.non_originating() if _in_scope(c, m)]
    if product_weight is None:
        return CriterionResult(c, False, f"{c.describe()}: the product's weight is not given")
    missing = [i + 1 for i, m in items if m.weight_kg is None]
    if missing:
        return CriterionResult(c, False, f"{c.describe()}: the weight of material(s) {missing} is not given")
    weight = sum((m.weight_kg for _, m in items if m.weight_kg is not None), Decimal(0))
    share = pct(weight, product_weight)
    limit = c.limits[0].percent
    ok = share <= limit
    return CriterionResult(
        c,
        ok,
        f"non-originating materials of {ranges_text(c.scope)} weigh {weight} kg, {shown(share)}% "
        f"of the product's {product_weight} kg ({'within' if ok else 'over'} the {limit}% maximum)",
        figures={"weight_share": shown(share)},
    )


def rvc(method: str, price: Decimal, vnm: Decimal, vom: Decimal) -> Decimal:
    if method == "build_up":
        return pct(vom, price)
    return pct(price - vnm, price)


def _value_content(c: Criterion, ctx: Context) -> CriterionResult:
    non_orig = ctx.non_originating()
    figures: dict[str, Any] = {}
    notes = []
    for limit in c.limits:
        method = limit.method or "build_down"
        price = ctx.bom.product.net_cost if method == "net_cost" else ctx.bom.product.price(limit.basis)
        basis = "net cost" if method == "net_cost" else f"{limit.basis} price"
        if price is None:
            notes.append(f"{method.replace('_', '-')}: no {basis} given")
            continue
        scoped = [(i, m) for i, m in non_orig if _in_scope(c, m)] if method == "focused" else non_orig
        vnm, missing = _sum_values(scoped)
        vom, missing_o = _sum_values(ctx.originating_materials())
        if (method != "build_up" and vnm is None) or (method == "build_up" and vom is None):
            notes.append(
                f"{method.replace('_', '-')}: material value(s) missing ({', '.join(str(i + 1) for i in missing + missing_o)})"
            )
            continue
        value = rvc(method, price, vnm or Decimal(0), vom or Decimal(0))
        figures[f"rvc_{method}_{limit.basis.lower()}"] = shown(value)
        formula = (
            f"VOM {vom} / {basis} {price}"
            if method == "build_up"
            else f"({basis} {price} - {'FVNM' if method == 'focused' else 'VNM'} {vnm}) / {price}"
        )
        line = f"RVC {method.replace('_', '-')} = {formula} = {shown(value)}% (minimum {limit.percent}%)"
        if value >= limit.percent:
            return CriterionResult(c, True, line, figures=figures)
        notes.append(line)
    return CriterionResult(c, False, f"{c.describe()} not met: " + "; ".join(notes), figures=figures)


def _specific_process(c: Criterion, ctx: Context) -> CriterionResult:
    attested = ctx.bom.attested(c.id, c.text)
    if attested is True:
        return CriterionResult(c, True, f"the producer attests the process: {c.text}")
    if attested is False:
        return CriterionResult(c, False, f"the producer states the process was not carried out: {c.text}")
    if ctx.bom.product.processes is None:
        return CriterionResult(
            c,
            False,
            f"requires the process '{c.text}', and no processes were declared "
            f"(declare them, or attest criterion {c.id})",
        )
    done = declared_processes(ctx.bom.product.processes)
    missing = [" or ".join(g) for g in c.groups if not done.intersection(g)]
    if missing:
        return CriterionResult(
            c,
            False,
            f"requires '{c.text}': missing {'; '.join(missing)} among the declared processes "
            f"({', '.join(ctx.bom.product.processes) or 'none'})",
        )
    return CriterionResult(
        c, True, f"'{c.text}' is covered by the declared processes ({', '.join(ctx.bom.product.processes)})"
    )


def _attested(c: Criterion, ctx: Context) -> CriterionResult:
    attested = ctx.bom.attested(c.id, c.text)
    if attested is True:
        return CriterionResult(
            c, True, f"attested by the producer (not checkable from the bill of materials): {c.text}"
        )
    if attested is False:
        return CriterionResult(c, False, f"the producer states this does not hold: {c.text}")
    return CriterionResult(
        c,
        False,
        f"cannot be decided from the bill of materials and was not attested (criterion {c.id}): {c.text}",
    )


_EVALUATORS = {
    "tariff_shift": _tariff_shift,
    "materials_wholly_obtained": _materials_wholly_obtained,
    "materials_originating": _materials_originating,
    "wholly_obtained": _wholly_obtained,
    "max_non_originating": _max_non_originating,
    "max_non_originating_weight": _max_weight,
    "value_content": _value_content,
    "specific_process": _specific_process,
    "attested": _attested,
}


def evaluate(c: Criterion, ctx: Context) -> CriterionResult:
    return _EVALUATORS[c.kind](c, ctx)
