"""What the origin pages show, shaped from the origin services' records: a certificate (its fields with the
reading's confidence, its drawdown and the declarations that drew on it), a verification case (with the
declaration line it is about and the consequence of the answer), and the claims of a declaration's lines (the
certificate each cites, the cases opened on it)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from clearway.declaration.content import DeclarationContent
from clearway.declaration.schemas import declaration_number
from clearway.errors import NotFound
from clearway.identity.core import Principal, Role
from clearway.origin import cases, service
from clearway.origin.certificates import CERTIFICATE_FIELDS
from clearway.origin.models import OriginCertificate, OriginVerificationCase
from clearway.runtime import Runtime

# the fields of a certificate in the order the page lists them (the items and transport have their own tables)
FIELDS = CERTIFICATE_FIELDS
OPEN_CASE_STATUSES = ("open", "sent", "answered")


def certificate_fields(view: dict[str, Any], reading: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Each field with what was read: its confidence and whether it still needs a person's confirmation (a
    scan read by OCR below the confirmation threshold, not confirmed at registration)."""
    read = (reading or {}).get("fields") or {}
    doubtful = set((reading or {}).get("needs_confirmation") or [])
    out = []
    for name in FIELDS:
        value = view.get(name)
        found = read.get(name)
        if value in (None, "") and found is None:
            continue
        out.append(
            {
                "name": name,
                "value": value,
                "confidence": None if found is None else found.get("confidence"),
                "label": None if found is None else found.get("label"),
                "doubtful": name in doubtful,
                "confirmable": name in service.CONFIRMABLE and name != "reference",
            }
        )
    for name, found in read.items():  # read from the document but kept elsewhere (the transport box …)
        if name not in FIELDS:
            out.append(
                {
                    "name": name,
                    "value": found.get("value"),
                    "confidence": found.get("confidence"),
                    "label": found.get("label"),
                    "doubtful": name in doubtful,
                    "confirmable": name in service.CONFIRMABLE,
                }
            )
    return out


def left_summary(drawdown: list[dict[str, Any]]) -> str:
    """What is left to draw, per goods item: "200 U" (items without a certified quantity are skipped)."""
    parts = []
    for item in drawdown:
        if item["left"] is None:
            continue
        left = Decimal(item["left"]).normalize()
        parts.append(f"{left:f} {item['unit'] or ''}".strip())
    return ", ".join(parts)


def certificate_summary(session: Session, row: OriginCertificate) -> dict[str, Any]:
    drawdown = service.drawdown(session, row)
    return {
        "id": row.id,
        "reference": row.reference,
        "agreement": row.agreement,
        "issuing_country": row.issuing_country,
        "issue_date": row.issue_date,
        "channel": row.channel,
        "status": row.status,
        "left": left_summary(drawdown),
        "declarations": len({u["declaration_id"] for item in drawdown for u in item["uses"]}),
    }


def certificate_page(session: Session, principal: Principal, certificate_id: int) -> dict[str, Any]:
    row = service.get_certificate(session, certificate_id, principal)
    view = service.certificate_read(row, session)
    reading = row.reading if isinstance(row.reading, dict) else None
    uses = {
        (u["declaration_id"], u["version"], u["line_number"]): u
        for item in view["drawdown"]
        for u in item["uses"]
    }
    officer = principal.role is Role.OFFICER
    fields = certificate_fields(view, reading)
    return {
        "c": view,
        "fields": fields,
        "scanned": bool(reading and reading.get("source") == "ocr"),
        "reading": reading,
        "doubtful": [f for f in fields if f["doubtful"]],
        "uses": sorted(uses.values(), key=lambda u: (u["declaration_id"], u["line_number"])),
        "cases": [
            cases.case_read(c)
            for c in cases.list_cases(session, principal, status=None, certificate_id=row.id)
        ]
        if principal.is_customs
        else [],
        "can_open_case": officer and row.status != "withdrawn",
        "can_confirm": officer and any(f["doubtful"] and f["confirmable"] for f in fields),
    }


def claims(
    session: Session, principal: Principal, content: dict[str, Any], declaration_id: int
) -> dict[int, dict[str, Any]]:
    """Per goods line claiming a preference: the certificate it cites (when this principal may see it) and the
    verification cases about it — for customs the cases opened on that line; for the declarant (who may see the
    declaration: the caller checked) its view of every case on the line or on the certificate the line cites,
    with the status and what the outcome did to this declaration, not the officer's notes."""
    items = content.get("items") or []
    officer_view = principal.is_customs
    opened: dict[int, list[dict[str, Any]]] = {}
    on_certificate: dict[int, list[dict[str, Any]]] = {}
    if officer_view and any(i.get("preference") for i in items):
        for case in cases.list_cases(
            session, principal, status=None, certificate_id=None, declaration_id=declaration_id
        ):
            if case.line_number is not None:
                opened.setdefault(case.line_number, []).append(cases.case_read(case))
    elif any(i.get("preference") for i in items):
        for view in cases.declaration_cases(session, principal, declaration_id):
            if view["line_number"] is not None:
                opened.setdefault(view["line_number"], []).append(view)
            else:
                on_certificate.setdefault(view["certificate_id"], []).append(view)
    out: dict[int, dict[str, Any]] = {}
    for item in items:
        claim = item.get("preference")
        if not claim:
            continue
        row = service.certificate_for_claim(
            session,
            str(claim.get("certificate_reference") or ""),
            str(claim.get("agreement") or ""),
            principal,
        )
        number = int(item.get("line_number") or 0)
        out[number] = {
            "certificate_id": row.id if row else None,
            "cases": opened.get(number, []) + (on_certificate.get(row.id, []) if row else []),
        }
    return out


def case_page(runtime: Runtime, session: Session, principal: Principal, case_id: int) -> dict[str, Any]:
    case = cases.get_case(session, case_id, principal)
    return {"case": cases.case_read(case), **case_context(runtime, session, principal, case)}


def case_context(
    runtime: Runtime, session: Session, principal: Principal, case: OriginVerificationCase
) -> dict[str, Any]:
    """The certificate and the declaration line a case is about."""
    certificate = service.get_certificate(session, case.certificate_id, principal)
    line = None
    number = None
    if case.declaration_id is not None:
        try:
            filing = runtime.declarations.get(session, principal, case.declaration_id)
        except NotFound:
            filing = None
        if filing is not None:
            number = declaration_number(filing.declaration)
            content = DeclarationContent.model_validate(filing.version.content)
            if case.line_number is not None:
                line = next((i for i in content.items if i.line_number == case.line_number), None)
    return {
        "certificate": {
            "id": certificate.id,
            "reference": certificate.reference,
            "agreement": certificate.agreement,
            "status": certificate.status,
            "issuer": certificate.issuer,
        },
        "declaration_number": number,
        "line": None
        if line is None
        else {
            "line_number": line.line_number,
            "commodity_code": line.commodity_code,
            "description": line.description,
            "quantity": line.quantity,
            "quantity_unit": line.quantity_unit,
            "origin_country": line.origin_country,
        },
    }
