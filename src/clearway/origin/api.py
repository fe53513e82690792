"""Origin endpoints (mounted under /api/v1): determination, rules, certificates, verification.

Thin: parse the request, call :mod:`clearway.origin.service` (certificates), `electronic` (e-CO), `cases`
(verification requests), shape the answer. The session dependency commits.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from starlette.datastructures import UploadFile

from clearway.declaration.content import DeclarationContent, IsoDate
from clearway.declaration.validation import parse_declaration
from clearway.errors import FieldError, NotFound, ValidationFailed
from clearway.identity.core import Principal
from clearway.origin import cases, electronic, service
from clearway.origin.loader import bundled_agreements, get_agreement
from clearway.origin.reading import MAX_BYTES
from clearway.origin.schemas import ReadTextIn, VerifyIn, parse
from clearway.tariff.nomenclature import bundled_nomenclature
from clearway.web.deps import PrincipalDep, ResourceId, RuntimeDep, SessionDep, require_roles

router = APIRouter(tags=["origin"])
Registrar = Annotated[Principal, Depends(require_roles("trader", "broker", "officer", "admin"))]
_PROBLEM = {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": text, **_PROBLEM}
    for code, text in {
        401: "No or invalid credential",
        403: "Not allowed for this role",
        404: "No such certificate, agreement or declaration (or not yours)",
        409: "A certificate with that number is already registered under the agreement",
        413: "Body too large",
        422: "Invalid fields, or a document that cannot be read",
    }.items()
}


@router.post(
    "/origin/determinations", responses=ERRORS, summary="Decide whether a product originates (with reasoning)"
)
def determine_origin(
    document: Annotated[
        dict[str, Any],
        Body(
            examples=[
                {
                    "agreement": "UK-KR",
                    "product": {
                        "hs": "8501.52",
                        "ex_works_price": "1000",
                        "fob_price": "1050",
                        "currency": "GBP",
                        "producer_country": "GB",
                        "processes": ["winding", "assembly"],
                    },
                    "materials": [
                        {"hs": "8503.00", "value": "300", "origin_country": "CN", "originating": False}
                    ],
                    "transit": [],
                }
            ]
        ),
    ],
    principal: PrincipalDep,
    runtime: RuntimeDep,
    agreement: Annotated[str | None, Query(max_length=20)] = None,
) -> dict[str, Any]:
    return service.determine_origin(document, agreement=agreement, today=runtime.today()).as_dict()


@router.get("/origin/agreements", responses=ERRORS, summary="Agreements with rules of origin loaded")
def list_agreements(principal: PrincipalDep) -> list[dict[str, Any]]:
    return [
        {
            "code": a.code,
            "name": a.name,
            "kind": a.kind,
            "parties": sorted(a.parties),
            "rules": len(a.rules),
            "partial": a.partial,
            "source": a.source,
            "notes": list(a.notes),
        }
        for a in bundled_agreements().values()
    ]


@router.get(
    "/origin/agreements/{code}/rules", responses=ERRORS, summary="The product-specific rule(s) for an HS code"
)
def rules_for(
    code: str, principal: PrincipalDep, hs: Annotated[str, Query(min_length=4, max_length=14)]
) -> dict[str, Any]:
    agreement = get_agreement(code)
    digits = "".join(c for c in hs if c.isdigit())
    rules = agreement.rules_for(digits)
    return {
        "agreement": agreement.code,
        "hs": digits,
        "rules": [
            {
                "ranges": [str(r) for r in rule.ranges],
                "heading": rule.heading,
                "variant": rule.variant,
                "notes": list(rule.notes),
                "source": rule.source,
                "alternatives": [
                    {
                        "text": alt.text,
                        "tags": list(alt.tags),
                        "relaxations_not_applied": list(alt.unapplied),
                        "criteria": [
                            {"id": c.id, "kind": c.kind, "rule": c.describe(), "text": c.text}
                            for c in alt.criteria
                        ],
                    }
                    for alt in rule.alternatives
                ],
            }
            for rule in rules
        ],
    }


async def _upload(request: Request) -> tuple[bytes, str, dict[str, str]]:
    form = await request.form(max_files=1)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ValidationFailed(
            "send the document as the multipart field 'file'",
            errors=[FieldError("/file", "required", "a PDF, a scan (PNG, JPEG, TIFF) or a text file")],
        )
    data = await upload.read(MAX_BYTES + 1)
    fields = {k: v for k, v in form.items() if isinstance(v, str) and v.strip()}
    return data, upload.filename or "", fields


@router.post(
    "/origin/certificates/read",
    responses=ERRORS,
    summary="Read a certificate document into fields (multipart 'file', or JSON {text, agreement})",
)
async def read_certificate(request: Request, principal: PrincipalDep) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith("multipart/"):
        data, filename, fields = await _upload(request)
        reading = service.read_document(data, filename=filename, agreement=fields.get("agreement"))
    else:
        try:
            document = await request.json()
        except ValueError:
            raise ValidationFailed(
                'send JSON {"text": ..., "agreement": ...} or a multipart \'file\'',
                errors=[FieldError("", "not_json", "the body is not valid JSON")],
            ) from None
        body: ReadTextIn = parse(ReadTextIn, document, "request")
        reading = service.read_text(body.text, agreement=body.agreement)
    return reading.as_dict()


@router.post(
    "/origin/certificates/upload",
    status_code=201,
    responses=ERRORS,
    summary="Upload a certificate document: read it and register what was read",
)
async def upload_certificate(
    request: Request, session: SessionDep, principal: Registrar, runtime: RuntimeDep
) -> dict[str, Any]:
    data, filename, fields = await _upload(request)
    row, reading = service.register_document(
        session,
        data,
        filename=filename,
        agreement=fields.get("agreement"),
        reference=fields.get("reference"),
        principal=principal,
        now=runtime.clock(),
        confirmed={k: v for k, v in fields.items() if k not in ("agreement", "reference")},
    )
    return {"certificate": service.certificate_read(row), "reading": reading.as_dict()}


@router.post(
    "/origin/certificates",
    status_code=201,
    responses=ERRORS,
    summary="Register a certificate from its fields",
)
def register_certificate(
    document: Annotated[dict[str, Any], Body()],
    session: SessionDep,
    principal: Registrar,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    return service.certificate_read(
        service.register_json(session, document, principal=principal, now=runtime.clock())
    )


@router.post(
    "/origin/certificates/electronic",
    status_code=201,
    responses=ERRORS,
    summary="Register an electronic certificate of origin (e-CO data as exchanged between authorities)",
)
def register_electronic(
    document: Annotated[
        dict[str, Any],
        Body(
            examples=[
                {
                    "agreement": "KR-CN",
                    "certificate_number": "K263300012345",
                    "issuing_authority": {
                        "name": "China Council for the Promotion of International Trade",
                        "country": "CN",
                    },
                    "issue_date": "2026-11-02",
                    "exporter": {
                        "name": "Ningbo Bright Appliances Co., Ltd.",
                        "address": "Ningbo",
                        "country": "CN",
                    },
                    "importer": {"name": "Hanbit Trading Co., Ltd.", "address": "Seoul", "country": "KR"},
                    "consignment": {
                        "means_of_transport": "sea",
                        "departure_date": "2026-11-05",
                        "vessel_or_flight": "HANBIT STAR 012E",
                        "port_of_loading": "Ningbo",
                        "port_of_discharge": "Busan",
                    },
                    "invoices": [{"number": "NB-2026-1101", "date": "2026-11-01"}],
                    "items": [
                        {
                            "item_number": 1,
                            "hs_code": "8516.50",
                            "hs_version": "HS2022",
                            "description": "Microwave ovens",
                            "quantity": "500",
                            "unit": "U",
                            "gross_weight_kg": "7600",
                            "origin_criterion": "WP",
                            "marks": "N/M",
                        }
                    ],
                }
            ]
        ),
    ],
    session: SessionDep,
    principal: Registrar,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    row = electronic.register_electronic(session, document, principal=principal, now=runtime.clock())
    return service.certificate_read(row, session)


@router.get("/origin/certificates", responses=ERRORS, summary="Find certificates by number and agreement")
def find_certificates(
    session: SessionDep,
    principal: PrincipalDep,
    reference: Annotated[str | None, Query(max_length=60)] = None,
    agreement: Annotated[str | None, Query(max_length=20)] = None,
) -> list[dict[str, Any]]:
    rows = service.find_certificates(session, principal, reference=reference, agreement=agreement)
    return [service.certificate_read(r) for r in rows]


@router.get("/origin/certificates/{certificate_id}", responses=ERRORS, summary="A certificate record")
def get_certificate(
    certificate_id: ResourceId, session: SessionDep, principal: PrincipalDep
) -> dict[str, Any]:
    return service.certificate_read(service.get_certificate(session, certificate_id, principal), session)


@router.post(
    "/origin/certificates/{certificate_id}/withdraw",
    responses=ERRORS,
    summary="Withdraw a certificate (customs)",
)
def withdraw_certificate(
    certificate_id: ResourceId,
    body: Annotated[dict[str, Any], Body()],
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    reason = str(body.get("reason") or "").strip()
    if not reason:
        raise ValidationFailed(
            "give a reason", errors=[FieldError("/reason", "required", "why it is withdrawn")]
        )
    row = service.withdraw(session, certificate_id, principal=principal, reason=reason, now=runtime.clock())
    return service.certificate_read(row)


@router.post(
    "/origin/certificates/{certificate_id}/confirm",
    responses=ERRORS,
    summary="Confirm or correct fields read from the certificate's document (officer)",
)
def confirm_certificate_fields(
    certificate_id: ResourceId,
    body: Annotated[dict[str, Any], Body(examples=[{"issue_date": "2026-11-02", "exporter_name": "Ningbo"}])],
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    confirmed = {str(k): v for k, v in body.items() if isinstance(v, str)}
    wrong = [k for k, v in body.items() if not isinstance(v, str)]
    if wrong:
        raise ValidationFailed(
            "give each confirmed value as text",
            errors=[FieldError(f"/{k}", "not_text", "a text value") for k in wrong],
        )
    row = service.confirm_fields(session, certificate_id, confirmed, principal=principal, now=runtime.clock())
    return service.certificate_read(row, session)


@router.post(
    "/origin/verifications",
    responses=ERRORS,
    summary="Verify a goods item's preference claim against its certificate (declaration given in the body)",
)
def verify_claim(
    body: Annotated[dict[str, Any], Body()], session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> dict[str, Any]:
    request: VerifyIn = parse(VerifyIn, body, "request")
    on = request.on or runtime.today()
    content = parse_declaration(
        request.declaration, nomenclature=bundled_nomenclature(), on=on, prefix=("declaration",)
    )
    return _verdict(session, content, request.line_number, on, principal)


@router.get(
    "/origin/declarations/{declaration_id}/items/{line_number}/preference",
    responses=ERRORS,
    summary="Verify the preference claim of a filed declaration's goods item",
)
def verify_filed(
    declaration_id: ResourceId,
    line_number: Annotated[int, Path(ge=1, le=999)],
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
    on: IsoDate | None = None,
) -> dict[str, Any]:
    filing = runtime.declarations.get(session, principal, declaration_id)
    content = DeclarationContent.model_validate(filing.version.content)
    return _verdict(
        session,
        content,
        line_number,
        on or filing.declaration.filed_on,
        principal,
        declaration_id=declaration_id,
    )


@router.get(
    "/origin/declarations/{declaration_id}/verification-cases",
    responses=ERRORS,
    summary="Verification requests about a declaration (its declarant sees status and outcome)",
)
def declaration_cases(
    declaration_id: ResourceId, session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> list[dict[str, Any]]:
    runtime.declarations.get(session, principal, declaration_id)  # 404 for a declaration it may not see
    return cases.declaration_cases(session, principal, declaration_id)


def _verdict(
    session: Any,
    content: DeclarationContent,
    line_number: int,
    on: date,
    principal: Principal,
    declaration_id: int | None = None,
) -> dict[str, Any]:
    try:
        item = content.item(line_number)
    except StopIteration:
        raise NotFound(f"the declaration has no goods item {line_number}") from None
    verdict = service.verify_item(
        session, content, item, on, sees=principal.sees_company, declaration_id=declaration_id
    )
    return {"line_number": line_number, "on": on.isoformat(), **verdict.as_dict()}


# ---- verification requests to the exporting country's authority (officers) --------------------------------
@router.post(
    "/origin/verification-cases",
    status_code=201,
    responses=ERRORS,
    summary="Open a request to the exporting country's authority to verify a certificate (officer)",
)
def open_case(
    body: Annotated[dict[str, Any], Body()], session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> dict[str, Any]:
    return cases.case_read(cases.open_case(session, body, principal=principal, now=runtime.clock()))


@router.get("/origin/verification-cases", responses=ERRORS, summary="Verification requests (officer)")
def list_cases(
    session: SessionDep,
    principal: PrincipalDep,
    status: Annotated[str | None, Query(pattern="^(open|sent|answered|closed)$")] = None,
    certificate_id: Annotated[int | None, Query(ge=1)] = None,
) -> list[dict[str, Any]]:
    return [
        cases.case_read(c)
        for c in cases.list_cases(session, principal, status=status, certificate_id=certificate_id)
    ]


@router.get(
    "/origin/verification-cases/{case_id}", responses=ERRORS, summary="A verification request (officer)"
)
def get_case(case_id: ResourceId, session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    return cases.case_read(cases.get_case(session, case_id, principal))


@router.post(
    "/origin/verification-cases/{case_id}/send",
    responses=ERRORS,
    summary="Record that the request was sent to the authority (officer)",
)
def send_case(
    case_id: ResourceId,
    body: Annotated[dict[str, Any], Body()],
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    return cases.case_read(cases.send_case(session, case_id, body, principal=principal, now=runtime.clock()))


@router.post(
    "/origin/verification-cases/{case_id}/answer",
    responses=ERRORS,
    summary="Record the authority's answer; a denial withdraws the certificate and re-assesses (officer)",
)
def answer_case(
    case_id: ResourceId,
    body: Annotated[dict[str, Any], Body()],
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    case = cases.answer_case(
        session, case_id, body, principal=principal, now=runtime.clock(), declarations=runtime.declarations
    )
    return cases.case_read(case)


@router.post("/origin/verification-cases/{case_id}/close", responses=ERRORS, summary="Close a case (officer)")
def close_case(
    case_id: ResourceId,
    body: Annotated[dict[str, Any], Body()],
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    return cases.case_read(cases.close_case(session, case_id, body, principal=principal, now=runtime.clock()))
