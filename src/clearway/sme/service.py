"""SME pre-filing simulator, shell: runs the assessment engine once per scenario and reads the lane counts of
similar goods from the materialised statistics."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clearway.assessment import service as assessment
from clearway.assessment.preference import PreferenceVerifier
from clearway.assessment.uk import UkInputs
from clearway.declaration.models import Declaration, DeclarationVersion
from clearway.errors import FieldError, Forbidden, ValidationFailed
from clearway.identity.core import Principal, Scope
from clearway.origin.loader import BUNDLED, hs_code_known, read_agreement
from clearway.origin.rules import Agreement as OriginRules
from clearway.reference.codes import agreements
from clearway.sme import core, origin_check, requirements, uk_export
from clearway.statistics.core import COUNTED, MIN_COMPANIES
from clearway.statistics.models import TradeStatRollup
from clearway.tariff.nomenclature import Nomenclature
from clearway.tariff.uk import UkCommodity, parse_commodity

ITEM_FIELDS = (
    "commodity_code",
    "description",
    "origin_country",
    "quantity",
    "quantity_unit",
    "net_mass_kg",
    "invoice_amount",
    "currency",
    "incoterm",
    "freight",
    "insurance",
)


def _lanes(session: Session, code: str) -> dict[str, Any]:
    """Lane counts of imports under the same heading, else chapter, else all (each only with ≥3 companies)."""
    r = TradeStatRollup
    for level, dim, key in (("hs4", "hs4", code[:4]), ("hs2", "hs2", code[:2]), ("all", "mode", None)):
        query = select(
            func.max(r.companies), *(func.coalesce(func.sum(getattr(r, lane)), 0) for lane in core.LANES)
        ).where(r.dim == dim, r.kind == "import", r.span == 1)
        if key is not None:
            query = query.where(r.key == key)
        row = session.execute(query).one()
        if row[0] is not None and (row[0] >= MIN_COMPANIES or level == "all"):
            counts = dict(zip(core.LANES, (int(v) for v in row[1:]), strict=True))
            if sum(counts.values()):
                return core.clearance_path(counts, level)
    return core.clearance_path({}, "none")


@cache
def _rule_files() -> dict[str, str]:
    """Agreement code → its bundled rules file (only the header is read here: the rules load on demand)."""
    folder = resources.files("clearway.data").joinpath("origin", "agreements")
    return {json.loads(folder.joinpath(f"{name}.json").read_text("utf-8"))["code"]: name for name in BUNDLED}


@cache
def _rules(code: str) -> OriginRules | None:
    """One agreement's rules of origin, loaded once (not every bundled agreement: loading all takes seconds)."""
    name = _rule_files().get(code)
    if name is None:
        return None
    folder = resources.files("clearway.data").joinpath("origin", "agreements")
    return read_agreement(json.loads(folder.joinpath(f"{name}.json").read_text("utf-8")))


@cache
def _requirements() -> tuple[requirements.Requirement, ...]:
    path = resources.files("clearway.data").joinpath("sme", "import_requirements.json")
    return requirements.parse(json.loads(path.read_text("utf-8")))


@cache
def _uk_tariff() -> dict[str, tuple[UkCommodity, dict[str, frozenset[str]]]]:
    """The UK commodity documents bundled (data/tariff/uk/commodity_*.json), with each group's member list."""
    out = {}
    folder = resources.files("clearway.data").joinpath("tariff", "uk")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not (entry.name.startswith("commodity_") and entry.name.endswith(".json")):
            continue
        document = json.loads(entry.read_text("utf-8"))
        members = {
            str(m["geographical_area"]["id"]): frozenset(
                str(c["id"]) for c in m["geographical_area"].get("children_geographical_areas") or ()
            )
            for m in document["import_measures"]
        }
        commodity = parse_commodity(document)
        out[commodity.code] = (commodity, members)
    return out


def _digits(value: Any) -> str:
    return "".join(ch for ch in str(value or "") if ch.isdigit())


def _amount(item: dict[str, Any], name: str) -> Decimal | None:
    value = item.get(name)
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(
            f"{name} is not a number", errors=[FieldError(f"/item/{name}", "not_a_number", "a number")]
        ) from None
    if not number.is_finite() or number < 0:
        raise ValidationFailed(
            f"{name} must be a number ≥ 0", errors=[FieldError(f"/item/{name}", "bad_amount", "a number ≥ 0")]
        )
    return number


def _bom(plan: dict[str, Any], item: dict[str, Any]) -> origin_check.PlannedBom | None:
    return origin_check.parse_bom(
        plan.get("bom"),
        default_price=item.get("invoice_amount"),
        default_currency=str(item.get("currency") or ""),
    )


def _origin_checks(
    codes: list[tuple[str, str]], product_hs: str, producer: str, bom: origin_check.PlannedBom, today: date
) -> list[dict[str, Any]]:
    """Each agreement's rule run on the bill of materials; an agreement without bundled rules says so."""
    out = []
    for code, name in codes:
        agreement = _rules(code)
        if agreement is None:
            out.append(
                {
                    "agreement": code,
                    "agreement_name": name,
                    "status": "no_rules",
                    "rule_met": None,
                    "reasons": [
                        f"Clearway holds no product-specific rules of {name}: ask the supplier which origin "
                        "criterion the product meets and for the evidence behind it"
                    ],
                    "alternatives": [],
                    "ask_supplier": [],
                    "assumed_originating": [],
                }
            )
            continue
        try:
            result = origin_check.check(
                agreement, product_hs, producer, bom, on=today, known_code=hs_code_known
            )
        except ValidationFailed as problem:
            raise ValidationFailed(
                problem.detail,
                errors=[
                    FieldError(
                        e.pointer.replace("/materials/", "/bom/components/").replace(
                            "/product/hs", "/item/commodity_code"
                        ),
                        e.code,
                        e.message,
                    )
                    for e in problem.errors
                ],
            ) from None
        out.append(result.as_dict())
    return out


def _requirements_for(code: str) -> list[dict[str, Any]]:
    return [r.as_dict() for r in requirements.for_code(code, _requirements())]


def simulate(
    session: Session,
    principal: Principal,
    plan: Any,
    *,
    today: date,
    verifier: PreferenceVerifier,
    nomenclature: Nomenclature | None,
) -> dict[str, Any]:
    principal.require_scope(Scope.DECLARATIONS_READ)
    if not isinstance(plan, dict) or not isinstance(plan.get("item"), dict):
        raise ValidationFailed(
            'describe the planned shipment as {"item": {...}}',
            errors=[FieldError("/item", "missing", "the planned goods item")],
        )
    item = {k: v for k, v in plan["item"].items() if k in ITEM_FIELDS}
    direction = str(plan.get("direction") or "import")
    if direction == "export":
        return _export(plan, item, today=today)
    if direction != "import":
        raise ValidationFailed(
            "direction is import or export",
            errors=[FieldError("/direction", "bad_direction", "import (into Korea) or export (from Korea)")],
        )
    origin = str(item.get("origin_country") or "").upper()
    mfn = assessment.estimate(
        session, {"items": [item]}, today=today, verifier=verifier, nomenclature=nomenclature
    )
    per_agreement = {}
    candidates = core.candidate_agreements(origin, today, agreements().values())
    for agreement in candidates:
        claim = {"agreement": agreement.code, "assume_granted": True}
        per_agreement[agreement] = assessment.estimate(
            session,
            {"items": [{**item, "preference": claim}]},
            today=today,
            verifier=verifier,
            nomenclature=nomenclature,
        )
    scenarios = core.compare(mfn, per_agreement)
    best = min(scenarios, key=lambda s: s.total_krw)
    code = _digits(item.get("commodity_code"))
    bom = _bom(plan, item)
    checks = (
        _origin_checks([(a.code, a.name) for a in candidates], code, origin, bom, today)
        if bom is not None
        else None
    )
    return {
        "direction": "import",
        "item": item,
        "scenarios": [s.as_dict() for s in scenarios],
        "best": best.name,
        "origin_checks": checks,
        "requirements": _requirements_for(code),
        "requirements_basis": "관세법 제226조 (세관장확인대상): confirm against the 지정고시 in force",
        "documents": [
            "commercial invoice",
            "packing list",
            "bill of lading or air waybill",
            *(["certificate of origin (for the FTA rate)"] if best.name != "MFN" else []),
        ],
        "clearance_path": _lanes(session, code),
        "note": "an estimate: rates and exchange rates of today; the FTA rate needs the origin proof at filing",
    }


UK_AGREEMENT = "UK-KR"


def _export(plan: dict[str, Any], item: dict[str, Any], *, today: date) -> dict[str, Any]:
    """A Korean exporter's goods into Great Britain: UK duty under the UK–Korea FTA vs UK MFN, the UK's rule of
    origin for the product, and (with a bill of materials) whether the rule is met."""
    destination = str(plan.get("destination") or "").strip().upper()
    if destination != "GB":
        raise ValidationFailed(
            "Clearway holds a partner's tariff only for the United Kingdom",
            errors=[
                FieldError("/destination", "no_partner_tariff", "GB (the UK) is the partner tariff held")
            ],
        )
    code = _digits(item.get("commodity_code"))
    if not 6 <= len(code) <= 10:
        raise ValidationFailed(
            "give the goods' HS code",
            errors=[FieldError("/item/commodity_code", "bad_hs", "6 to 10 digits (the UK commodity code)")],
        )
    value = _amount(item, "invoice_amount")
    if value is None:
        raise ValidationFailed(
            "give the invoice amount",
            errors=[FieldError("/item/invoice_amount", "required", "the goods' value")],
        )
    currency = str(item.get("currency") or "GBP").strip().upper()
    tariff = _uk_tariff()
    matches = [c for c in tariff if c == code or (len(code) < 10 and c.startswith(code))]
    uk = None
    if len(matches) == 1:
        commodity, members = tariff[matches[0]]
        inputs = UkInputs(
            origin="KR",
            destination="GB",
            goods_value=value,
            shipping=_amount(item, "freight") or Decimal(0),
            insurance=_amount(item, "insurance") or Decimal(0),
            currency=currency,
            quantities=uk_export.quantities(_amount(item, "net_mass_kg")),
        )
        uk = uk_export.view(commodity, members, inputs, on=today)
    agreement = _rules(UK_AGREEMENT)
    assert agreement is not None, "the UK–Korea rules are bundled"
    bom = _bom(plan, item)
    checks = _origin_checks([(agreement.code, agreement.name)], code, "KR", bom, today) if bom else None
    proof = agreement.proof("origin_declaration")
    return {
        "direction": "export",
        "destination": "GB",
        "item": item,
        "uk_tariff": uk,
        "uk_tariff_held": sorted(tariff),
        "agreement": {"code": agreement.code, "name": agreement.name},
        "origin_rule": origin_check.rule_texts(agreement, code, today),
        "origin_checks": checks,
        "documents": [
            "commercial invoice",
            "packing list",
            "bill of lading or air waybill",
            *([f"{proof.name}: {proof.issued_by}"] if proof else []),
        ],
        "note": "UK duty from the bundled UK tariff (amounts in the invoice currency; the UK assesses in GBP); "
        "the preference needs the origin declaration and the UK's rule of origin met",
    }


def savings(
    session: Session,
    principal: Principal,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    company_id: int | None = None,
) -> dict[str, Any]:
    """A company's FTA savings on its accepted imports: what it saved, and what it could have saved."""
    principal.require_scope(Scope.DECLARATIONS_READ)
    target = company_id if principal.is_customs and company_id else principal.company_id
    if target is None or not principal.sees_company(target):
        raise Forbidden("the savings report is for a company's account, or customs naming the company")
    query = (
        select(Declaration.id, Declaration.filed_on, DeclarationVersion.assessment)
        .join(
            DeclarationVersion,
            (DeclarationVersion.declaration_id == Declaration.id)
            & (DeclarationVersion.version == Declaration.current_version),
        )
        .where(
            Declaration.kind == "import",
            Declaration.status.in_(COUNTED),
            func.coalesce(Declaration.party_company_id, Declaration.filer_company_id) == target,
        )
        .order_by(Declaration.id)
    )
    if date_from:
        query = query.where(Declaration.filed_on >= date_from)
    if date_to:
        query = query.where(Declaration.filed_on <= date_to)
    lines = [
        core.line_saving(f"CW-{filed_on:%y}-{declaration_id:08d}", line)
        for declaration_id, filed_on, assessment_json in session.execute(query)
        for line in (assessment_json or {}).get("lines", [])
    ]
    return {"company_id": target, **core.savings_report(lines)}
