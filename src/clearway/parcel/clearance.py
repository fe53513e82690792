"""List clearance: a carrier's parcel list parsed, checked, routed, assessed and stored, parcel by parcel.

Each parcel is answered on its own with coded errors (a bad parcel never sinks the list); every item's outcome
is kept on the ``parcel_list`` row, so nothing submitted is lost. Accepted parcels are routed by the pure
rules (:mod:`clearway.parcel.rules`, thresholds read from the tariff parameters of the arrival date),
taxable ones are assessed by the duty engine's small-parcel regime, one assessment per combined-arrival group
(one holder, one day, one dispatch country), and the holder gets a notification for each parcel. Flushes,
never commits.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from clearway.assessment.core import assess
from clearway.assessment.inputs import AssessmentRequest, LineInput, Regime
from clearway.assessment.valuation import find_fx
from clearway.audit.service import Actor, record
from clearway.db import allocate_ids, bulk_insert
from clearway.errors import Forbidden
from clearway.identity.core import COMPANY_ROLES, Principal
from clearway.identity.models import Company
from clearway.parcel import codes, rules
from clearway.parcel import repository as repo
from clearway.parcel.code_service import code_index
from clearway.parcel.models import Parcel, ParcelList, ParcelNotification, PersonalCode
from clearway.parcel.protection import PersonalDataCipher
from clearway.parcel.schemas import MAX_PARCELS, ParcelIn, ParcelListIn, parse, parse_parcel
from clearway.parcel.screener import Screener
from clearway.parcel.screening import Screening, ScreenItem, ScreenParcel
from clearway.tariff.parameters import (
    DE_MINIMIS_EXCLUDED,
    DE_MINIMIS_US_USD,
    DE_MINIMIS_USD,
    MissingParameter,
)
from clearway.tariff.service import snapshot_for
from clearway.tariff.snapshot import TariffSnapshot

STATUS_OF_ROUTE = {
    rules.Route.LIST: "list_cleared",
    rules.Route.SIMPLIFIED: "awaiting_simplified",
    rules.Route.GENERAL: "awaiting_general",
}
OUTCOME_TEXT = {
    rules.Route.LIST: "cleared by list",
    rules.Route.SIMPLIFIED: "sent to a simplified declaration",
    rules.Route.GENERAL: "sent to a general declaration",
}
CENT = Decimal("0.0001")


@dataclass
class Candidate:
    index: int
    doc: ParcelIn
    code: PersonalCode | None = None
    goods_usd: Decimal = Decimal(0)
    replaces: Parcel | None = None
    routing: rules.Routing | None = None
    signals: list[str] = field(default_factory=list)
    duty: Decimal | None = None
    assessment: dict[str, Any] | None = None
    items_krw: list[Decimal] = field(default_factory=list)
    screening: Screening | None = None


def _err(pointer: str, code: str, message: str) -> dict[str, str]:
    return {"pointer": pointer, "code": code, "message": message}


def submit_list(
    session: Session,
    cipher: PersonalDataCipher,
    document: Any,
    *,
    principal: Principal,
    now: datetime,
    rules_: rules.Rules | None = None,
    screener: Screener | None = None,
) -> dict[str, Any]:
    """Parse, check, route, assess, screen and store a list; ``screener`` None skips screening (tests of
    routing alone); the API, pages and CLI always screen."""
    if principal.role not in COMPANY_ROLES or principal.company_id is None:
        raise Forbidden("parcel lists are submitted by a carrier's company account")
    body = parse(ParcelListIn, document, "parcel list")
    rules_ = rules_ or rules.bundled_rules()
    carrier = principal.company_id
    errors: dict[int, list[dict[str, str]]] = defaultdict(list)
    candidates: list[Candidate] = []
    seen: set[str] = set()
    for index, raw in enumerate(body.parcels):
        if index >= MAX_PARCELS:  # answered, kept on the list, not processed: nothing is lost
            errors[index].append(
                _err(
                    f"/parcels/{index}",
                    "over_list_limit",
                    f"a list is processed up to {MAX_PARCELS} parcels; submit this one in another list",
                )
            )
            continue
        doc, problems = parse_parcel(raw, index)
        if doc is None:
            errors[index] += [e.as_dict() for e in problems]
            continue
        if doc.house_bill in seen:
            errors[index].append(
                _err(
                    f"/parcels/{index}/house_bill",
                    "duplicate_in_list",
                    "the same house bill appears earlier in this list",
                )
            )
            continue
        seen.add(doc.house_bill)
        candidates.append(Candidate(index, doc))
    candidates = _check_existing(session, candidates, carrier, errors)
    candidates = _check_codes(session, cipher, candidates, errors)
    snapshot = snapshot_for(
        session,
        {i.hs_code for c in candidates for i in c.doc.items if i.hs_code and len(i.hs_code) == 10},
        {c.doc.arrival_date for c in candidates},
    )
    candidates = _value(candidates, snapshot, errors)
    candidates = _route(session, candidates, snapshot, rules_, errors)
    _assess(candidates, snapshot)
    company = session.get(Company, carrier)
    carrier_name = company.name if company else str(carrier)
    if screener is not None:
        _screen(session, screener, candidates, carrier_name)
    parcel_list = ParcelList(
        carrier_company_id=carrier,
        reference=body.reference,
        carrier_kind=body.carrier_kind,
        submitted_at=now,
        submitted_by=principal.user_id,
        counts={},
        results=[],
    )
    session.add(parcel_list)
    session.flush()
    ids = _store(session, cipher, candidates, parcel_list, carrier_name, now)
    results: list[dict[str, Any]] = []
    by_index = {c.index: c for c in candidates}
    for index in range(len(body.parcels)):
        c = by_index.get(index)
        if c is None:
            raw = body.parcels[index]
            house_bill = raw.get("house_bill") if isinstance(raw, dict) else None
            results.append(
                {
                    "index": index,
                    "house_bill": house_bill if isinstance(house_bill, str) else None,
                    "accepted": False,
                    "errors": errors[index],
                }
            )
            continue
        assert c.routing is not None
        results.append(
            {
                "index": index,
                "house_bill": c.doc.house_bill,
                "accepted": True,
                "parcel_id": ids[c.index],
                "route": c.routing.route.value,
                "status": _status(c),
                "check": c.screening.check if c.screening else None,
                "goods_usd": str(c.goods_usd.quantize(CENT)),
                "duty_krw": None if c.duty is None else str(c.duty),
                "signals": c.screening.signals if c.screening else c.signals,
                "replaced": c.replaces is not None,
                "reasons": [r.as_dict() for r in c.routing.reasons],
            }
        )
    counts = {
        "parcels": len(body.parcels),
        "accepted": len(candidates),
        "rejected": len(body.parcels) - len(candidates),
    }
    for c in candidates:
        assert c.routing is not None
        counts[c.routing.route.value] = counts.get(c.routing.route.value, 0) + 1
    parcel_list.counts, parcel_list.results = counts, results
    record(
        session,
        actor=Actor(principal.username, principal.user_id),
        subject_type="parcel_list",
        subject_id=parcel_list.id,
        action="submitted",
        at=now,
        data={"reference": body.reference, "counts": counts, "parcel_ids": sorted(ids.values())},
    )
    session.flush()
    return {
        "id": parcel_list.id,
        "reference": body.reference,
        "carrier_kind": body.carrier_kind,
        "submitted_at": now.isoformat(),
        "counts": counts,
        "results": results,
    }


def _check_existing(
    session: Session, candidates: list[Candidate], carrier: int, errors: dict[int, list[dict[str, str]]]
) -> list[Candidate]:
    existing = repo.parcels_by_house_bill(session, [c.doc.house_bill for c in candidates])
    kept = []
    for c in candidates:
        found = existing.get(c.doc.house_bill)
        pointer = f"/parcels/{c.index}/house_bill"
        if found is None:
            kept.append(c)
        elif found.carrier_company_id != carrier:
            errors[c.index].append(
                _err(pointer, "house_bill_of_another_carrier", "this house bill was filed by another carrier")
            )
        elif found.status in repo.HELD:
            c.replaces = found  # a held parcel re-filed (with a new code, after a reissue)
            kept.append(c)
        else:
            errors[c.index].append(
                _err(
                    pointer,
                    "duplicate_parcel",
                    f"this parcel was already filed (parcel {found.id}, {found.status})",
                )
            )
    return kept


def _check_codes(
    session: Session,
    cipher: PersonalDataCipher,
    candidates: list[Candidate],
    errors: dict[int, list[dict[str, str]]],
) -> list[Candidate]:
    # each distinct code checked and indexed once per list (a buyer's parcels share it)
    texts = {c.doc.personal_code for c in candidates}
    problems = {t: codes.check_code(t) for t in texts}
    indexes = {t: code_index(cipher, t) for t in texts if problems[t] is None}
    found = repo.codes_by_index(session, set(indexes.values()))
    clear: dict[int, tuple[str, str]] = {}
    kept = []
    for c in candidates:
        pointer = f"/parcels/{c.index}/personal_code"
        problem = problems[c.doc.personal_code]
        if problem is not None:
            errors[c.index].append(_err(pointer, problem.code, problem.message))
            continue
        row = found.get(indexes[c.doc.personal_code])
        if row is None:
            errors[c.index].append(_err(pointer, "code_unknown", "no such personal customs code"))
            continue
        if row.status != "active":
            errors[c.index].append(
                _err(
                    pointer,
                    f"code_{row.status}",
                    f"the code is {row.status}: ask the buyer for the current code",
                )
            )
            continue
        if row.id not in clear:
            clear[row.id] = (cipher.decrypt(row.name_enc), cipher.decrypt(row.phone_enc))
        mismatches = codes.holder_mismatches(*clear[row.id], c.doc.buyer_name, c.doc.buyer_phone)
        if mismatches:
            where = {"name_mismatch": "buyer_name", "phone_mismatch": "buyer_phone"}
            errors[c.index] += [
                _err(f"/parcels/{c.index}/{where[m.code]}", m.code, m.message) for m in mismatches
            ]
            continue
        c.code = row
        kept.append(c)
    return kept


def _value(
    candidates: list[Candidate], snapshot: TariffSnapshot, errors: dict[int, list[dict[str, str]]]
) -> list[Candidate]:
    kept = []
    for c in candidates:
        on = c.doc.arrival_date
        usd = find_fx("USD", on, snapshot.exchange_rates, {})
        total_krw = Decimal(0)
        problems = []
        for j, item in enumerate(c.doc.items):
            fx = find_fx(item.currency, on, snapshot.exchange_rates, {})
            if fx is None:
                problems.append(
                    _err(
                        f"/parcels/{c.index}/items/{j}/currency",
                        "no_exchange_rate",
                        f"no customs exchange rate for {item.currency} in the week of {on}",
                    )
                )
                continue
            c.items_krw.append(item.quantity * item.unit_price * fx.per_unit)
            total_krw += c.items_krw[-1]
        if usd is None:
            problems.append(
                _err(
                    f"/parcels/{c.index}/arrival_date",
                    "no_exchange_rate",
                    f"no customs exchange rate for USD in the week of {on}",
                )
            )
        if problems:
            errors[c.index] += problems
            continue
        assert usd is not None
        c.goods_usd = total_krw / usd.per_unit  # compared unrounded; shown to 4 places
        kept.append(c)
    return kept


def _filed_status(c: Candidate) -> str:
    """Where the parcel stands after routing: a simplified declaration is filed when its duty is assessed."""
    assert c.routing is not None
    if c.routing.route is rules.Route.SIMPLIFIED and c.duty is not None:
        return "simplified_filed"
    return STATUS_OF_ROUTE[c.routing.route]


def _status(c: Candidate) -> str:
    if c.screening is not None and c.screening.check is not None:
        return f"awaiting_{c.screening.check}"
    return _filed_status(c)


def _screen(session: Session, screener: Screener, candidates: list[Candidate], carrier_name: str) -> None:
    """Every accepted parcel through the risk engine and IP screening, in one batch."""
    batch = [
        ScreenParcel(
            key=c.doc.house_bill,
            arrival_date=c.doc.arrival_date,
            dispatch_country=c.doc.dispatch_country,
            carrier=carrier_name,
            holder=c.code.id,
            weight_kg=c.doc.weight_kg,
            items=tuple(
                ScreenItem(i.description, i.hs_code, i.quantity, i.unit_price, i.currency, krw)
                for i, krw in zip(c.doc.items, c.items_krw, strict=True)
            ),
            signals=tuple(c.signals),
        )
        for c in candidates
        if c.code is not None
    ]
    for c, found in zip(candidates, screener.screen(session, batch), strict=True):
        c.screening = found


def _thresholds(snapshot: TariffSnapshot, on: date) -> rules.Thresholds:
    params = snapshot.parameters.on(on)
    return rules.Thresholds(
        params.decimal(DE_MINIMIS_USD),
        params.decimal(DE_MINIMIS_US_USD),
        tuple(params.list(DE_MINIMIS_EXCLUDED)),
    )


def _route(
    session: Session,
    candidates: list[Candidate],
    snapshot: TariffSnapshot,
    rules_: rules.Rules,
    errors: dict[int, list[dict[str, str]]],
) -> list[Candidate]:
    dates = {
        c.doc.arrival_date + timedelta(days=d)
        for c in candidates
        for d in range(-rules.SPLIT_WINDOW_DAYS, rules.SPLIT_WINDOW_DAYS + 1)
    }
    replaced = {c.replaces.id for c in candidates if c.replaces is not None}
    earlier = [
        p
        for p in repo.parcels_of_codes_on(session, {c.code.id for c in candidates if c.code}, dates)
        if p.id not in replaced
    ]
    totals = rules.combined_totals(
        [(p.code_id, p.arrival_date, p.dispatch_country, p.goods_usd) for p in earlier]
        + [(c.code.id, c.doc.arrival_date, c.doc.dispatch_country, c.goods_usd) for c in candidates if c.code]
    )
    kept, shop_parcels = [], []
    for c in candidates:
        assert c.code is not None
        try:
            thresholds = _thresholds(snapshot, c.doc.arrival_date)
        except MissingParameter as exc:
            errors[c.index].append(_err(f"/parcels/{c.index}/arrival_date", "no_tariff_parameters", str(exc)))
            continue
        facts = rules.ParcelFacts(
            goods_usd=c.goods_usd,
            dispatch_country=c.doc.dispatch_country,
            personal_use=c.doc.personal_use,
            combined_usd=totals[(c.code.id, c.doc.arrival_date, c.doc.dispatch_country)],
            items=tuple(
                rules.ItemFacts(i.description, i.quantity, i.category, i.hs_code) for i in c.doc.items
            ),
        )
        c.routing = rules.route_parcel(facts, thresholds, rules_)
        if any(r.code == "combined_arrival" for r in c.routing.reasons):
            c.signals.append("combined_arrival")
        limit = thresholds.de_minimis_for(c.doc.dispatch_country)
        shop_parcels.append(
            rules.ShopParcel(c.index, c.code.id, c.doc.shop or "", c.doc.arrival_date, c.goods_usd, limit)
        )
        kept.append(c)
    limits = {s.holder: s.limit_usd for s in shop_parcels}
    shop_parcels += [
        rules.ShopParcel(-p.id, p.code_id, p.shop or "", p.arrival_date, p.goods_usd, limits[p.code_id])
        for p in earlier
        if p.code_id in limits
    ]
    flagged = rules.split_shipments(shop_parcels)
    for c in kept:
        if c.index in flagged:
            c.signals.append("split_shipment_suspected")
    return kept


def _assess(candidates: list[Candidate], snapshot: TariffSnapshot) -> None:
    """Taxable parcels: one small-parcel assessment per combined-arrival group of this list."""
    groups: dict[tuple[int, date, str], list[Candidate]] = defaultdict(list)
    for c in candidates:
        if c.routing is not None and c.routing.route is not rules.Route.LIST and c.code is not None:
            groups[(c.code.id, c.doc.arrival_date, c.doc.dispatch_country)].append(c)
    for (_, on, country), members in groups.items():
        if any(not i.hs_code or len(i.hs_code) != 10 for c in members for i in c.doc.items):
            for c in members:
                c.assessment = {
                    "can_assess": False,
                    "reason": "every item needs a 10-digit HSK code for the "
                    "duty to be assessed; the declaration will carry it",
                }
            continue
        lines: list[LineInput] = []
        owner: list[Candidate] = []
        for c in members:
            for i in c.doc.items:
                lines.append(
                    LineInput(
                        line_number=len(lines) + 1,
                        commodity_code=str(i.hs_code),
                        origin=country,
                        quantity=i.quantity,
                        quantity_unit="U",
                        net_mass_kg=None,
                        invoice_amount=i.quantity * i.unit_price,
                        currency=i.currency,
                        incoterm="CIF",
                    )
                )
                owner.append(c)
        request = AssessmentRequest(on, tuple(lines), Regime.SMALL_PARCEL, dispatch_country=country)
        result = assess(request, snapshot)
        total = result.total_due
        group = [c.doc.house_bill for c in members]
        for c in members:
            mine = [ln for ln, o in zip(result.lines, owner, strict=True) if o is c]
            c.duty = sum((ln.due for ln in mine), Decimal(0)) if result.can_assess else None
            c.assessment = {
                "can_assess": result.can_assess,
                "group": group,
                "notes": list(result.notes),
                "group_total_due_krw": None if total is None else str(total),
                "reasons": [r.message for ln in mine for r in ln.reasons],
            }


def _inspection(c: Candidate, now: datetime) -> dict[str, Any] | None:
    if c.screening is None or c.screening.check is None:
        return None
    return {
        "check": c.screening.check,
        "status": "open",
        "opened_at": now.isoformat(),
        "then": _filed_status(c),  # the status once the check finds nothing
        "result": None,
    }


def _simplified(c: Candidate, parcel_list: ParcelList, now: datetime) -> dict[str, Any] | None:
    """The simplified declaration (간이신고) of a parcel whose duty the small-parcel regime assessed."""
    if _filed_status(c) != "simplified_filed":
        return None
    assert c.assessment is not None
    return {
        "number": f"SD-{parcel_list.id:06d}-{c.index + 1:05d}",
        "filed_at": now.isoformat(),
        "regime": "small_parcel",
        "duty_krw": str(c.duty),
        "combined_with": [h for h in c.assessment.get("group", []) if h != c.doc.house_bill],
        "group_total_due_krw": c.assessment.get("group_total_due_krw"),
        "legal_basis": "수입통관 사무처리에 관한 고시 제71조 (간이신고); 관세법 시행규칙 제45조",
    }


def _store(
    session: Session,
    cipher: PersonalDataCipher,
    candidates: list[Candidate],
    parcel_list: ParcelList,
    carrier_name: str,
    now: datetime,
) -> dict[int, int]:
    new = [c for c in candidates if c.replaces is None]
    ids = dict(zip([c.index for c in new], allocate_ids(session, Parcel.__table__, len(new)), strict=True))
    rows, notes = [], []
    for c in candidates:
        assert c.routing is not None and c.code is not None
        values = {
            "house_bill": c.doc.house_bill,
            "carrier_company_id": parcel_list.carrier_company_id,
            "list_id": parcel_list.id,
            "code_id": c.code.id,
            "address_enc": cipher.encrypt(c.doc.address),
            "arrival_date": c.doc.arrival_date,
            "dispatch_country": c.doc.dispatch_country,
            "shop": c.doc.shop,
            "weight_kg": c.doc.weight_kg,
            "goods_usd": c.goods_usd.quantize(CENT),
            "items": [i.model_dump(mode="json") for i in c.doc.items],
            "route": c.routing.route.value,
            "status": _status(c),
            "reasons": [r.as_dict() for r in c.routing.reasons],
            "signals": c.screening.signals if c.screening else c.signals,
            "duty_krw": c.duty,
            "assessment": c.assessment,
            "dispute": None,
            "screening": c.screening.as_dict() if c.screening else None,
            "inspection": _inspection(c, now),
            "simplified": _simplified(c, parcel_list, now),
            "declaration_id": None,
            "submitted_at": now,
            "status_changed_at": now,
        }
        if c.replaces is not None:
            for key, value in values.items():
                setattr(c.replaces, key, value)
            ids[c.index] = c.replaces.id
        else:
            rows.append({"id": ids[c.index], **values})
        notes.append(
            {
                "code_id": c.code.id,
                "parcel_id": ids[c.index],
                "event": "parcel_cleared",
                "status": "pending",
                "created_at": now,
                "delivered_at": None,
                "body": {
                    "house_bill": c.doc.house_bill,
                    "dispatch_country": c.doc.dispatch_country,
                    "carrier": carrier_name,
                    "outcome": OUTCOME_TEXT[c.routing.route],
                    "code": c.code.code_masked,
                    "duty_krw": None if c.duty is None else str(c.duty),
                },
            }
        )
    session.flush()
    bulk_insert(session, Parcel.__table__, rows)
    bulk_insert(session, ParcelNotification.__table__, notes)
    return ids
