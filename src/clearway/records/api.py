"""Trade documents: certificates (수입/수출신고필증), payment receipts and monthly statements as PDFs, and the
public verification of a code or a file (no credential: it tells only whether a document is genuine and
unchanged)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from clearway.errors import FieldError, ValidationFailed
from clearway.records import service
from clearway.records.models import IssuedDocument
from clearway.runtime import Runtime
from clearway.web.deps import PrincipalDep, ResourceId, RuntimeDep, SessionDep

router = APIRouter(tags=["documents"])
MAX_PDF_BYTES = 5 * 1024 * 1024


def issuer_of(runtime: Runtime) -> service.Issuer:
    settings = runtime.settings
    return service.Issuer(
        service.document_key(settings.secret_key),
        settings.public_url or f"http://{settings.host}:{settings.port}",
    )


def pdf_response(row: IssuedDocument) -> Response:
    return Response(
        row.pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{row.kind}-{row.number}.pdf"',
            "X-Verification-Code": row.code,
            "Cache-Control": "private, no-store",
        },
    )


@router.get(
    "/declarations/{declaration_id}/certificate.pdf",
    summary="수입신고필증 (released import) or 수출신고필증 (accepted export) as a PDF with its verification code",
    response_class=Response,
)
def certificate(
    declaration_id: ResourceId, session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> Response:
    row = service.certificate(
        session, runtime.declarations, issuer_of(runtime), principal, declaration_id, now=runtime.clock()
    )
    return pdf_response(row)


@router.get(
    "/declarations/{declaration_id}/receipt.pdf",
    summary="Receipt of the duties and taxes paid for a declaration (PDF)",
    response_class=Response,
)
def receipt(
    declaration_id: ResourceId, session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> Response:
    row = service.receipt(
        session, runtime.declarations, issuer_of(runtime), principal, declaration_id, now=runtime.clock()
    )
    return pdf_response(row)


@router.get(
    "/statements/{period}.pdf",
    summary="A company's monthly statement of duties and taxes (PDF); customs name the company",
    response_class=Response,
)
def statement(
    period: str,
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
    company_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    row = service.statement(
        session,
        runtime.declarations,
        issuer_of(runtime),
        principal,
        period,
        now=runtime.clock(),
        company_id=company_id,
    )
    return pdf_response(row)


@router.get("/documents/{code}.pdf", summary="An issued document's exact file", response_class=Response)
def download(code: str, session: SessionDep, principal: PrincipalDep) -> Response:
    return pdf_response(service.download(session, principal, code))


@router.get("/verify/{code}", summary="Public: was a document issued under this code?")
def verify_code(code: str, session: SessionDep) -> dict[str, Any]:
    return service.verify(session, code[:40])


@router.post(
    "/verify",
    summary="Public: is this file (the request body, the PDF bytes) the exact document issued?",
    openapi_extra={
        "requestBody": {
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
        }
    },
)
async def verify_file(
    request: Request, session: SessionDep, code: Annotated[str | None, Query(max_length=40)] = None
) -> dict[str, Any]:
    data = await request.body()
    if not data:
        raise ValidationFailed("send the PDF as the request body", errors=[FieldError("/", "empty", "a PDF")])
    if len(data) > MAX_PDF_BYTES:
        raise ValidationFailed("the file is too large", errors=[FieldError("/", "too_large", "at most 5 MB")])
    return service.verify(session, code, data)
