"""SME pre-filing simulator, shell: runs the assessment engine once per scenario and reads the lane counts of
similar goods from the materialised statistics."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clearway.assessment import service as assessment
from clearway.assessment.preference import PreferenceVerifier
from clearway.declaration.models import Declaration, DeclarationVersion
from clearway.errors import FieldError, Forbidden, ValidationFailed
from clearway.identity.core import Principal, Scope
from clearway.reference.codes import agreements
from clearway.sme import core
from clearway.statistics.core import COUNTED, MIN_COMPANIES
from clearway.statistics.models import TradeStatRollup
from clearway.tariff.nomenclature import Nomenclature

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
    origin = str(item.get("origin_country") or "").upper()
    mfn = assessment.estimate(
        session, {"items": [item]}, today=today, verifier=verifier, nomenclature=nomenclature
    )
    per_agreement = {}
    for agreement in core.candidate_agreements(origin, today, agreements().values()):
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
    return {
        "item": item,
        "scenarios": [s.as_dict() for s in scenarios],
        "best": best.name,
        "documents": [
            "commercial invoice",
            "packing list",
            "bill of lading or air waybill",
            *(["certificate of origin (for the FTA rate)"] if best.name != "MFN" else []),
        ],
        "clearance_path": _lanes(session, str(item.get("commodity_code") or "").replace(".", "")),
        "note": "an estimate: rates and exchange rates of today; the FTA rate needs the origin proof at filing",
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
