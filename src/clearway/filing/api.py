"""UN/EDIFACT over HTTP: a CUSDEC interchange in, its CUSRES out. Thin."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from clearway.declaration.schemas import BatchFiled
from clearway.errors import FieldError, ValidationFailed
from clearway.filing.service import SheetResult, answer_cusdec, file_workbook
from clearway.web.deps import PrincipalDep, RuntimeDep, SessionDep

router = APIRouter(tags=["declarations"])
MAX_EDIFACT_BYTES = 4 * 1024 * 1024


@router.post(
    "/edifact",
    summary="File UN/EDIFACT CUSDEC declarations (D.96B, D.01B); answered with a CUSRES interchange",
    response_class=Response,
    responses={
        200: {
            "description": "The CUSRES interchange: one message per CUSDEC message, accepted (declaration "
            "number and lane) or rejected (coded errors pointing at segment and element). The headers "
            "Clearway-Accepted and Clearway-Rejected count them.",
            "content": {"application/edifact": {"schema": {"type": "string"}}},
        }
    },
    openapi_extra={
        "requestBody": {
            "description": "The CUSDEC interchange as UTF-8 text (sent as application/edifact or text/plain)",
            "content": {"text/plain": {"schema": {"type": "string"}}},
            "required": True,
        }
    },
)
async def file_edifact(
    request: Request, principal: PrincipalDep, session: SessionDep, runtime: RuntimeDep
) -> Response:
    raw = await request.body()
    if len(raw) > MAX_EDIFACT_BYTES:
        raise ValidationFailed(
            "the interchange is too large", errors=[FieldError("", "too_large", "at most 4 MB")]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationFailed(
            "the interchange is not UTF-8 text",
            errors=[FieldError("", "not_text", "send UTF-8 (UNOC/UNOW) text")],
        ) from None
    answered = answer_cusdec(runtime.declarations, session, principal, text)
    return Response(
        answered.cusres,
        media_type="application/edifact",
        headers={"Clearway-Accepted": str(answered.accepted), "Clearway-Rejected": str(answered.rejected)},
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_WORKBOOK_BYTES = 8 * 1024 * 1024


class SheetFiled(BaseModel):
    declarant_reference: str
    row: str = Field(description="The declaration's row in the Header sheet, e.g. Header!A3")
    status: int = Field(
        description="201 filed, 200 already filed (idempotent replay), or the problem's status"
    )
    declaration: BatchFiled | None = None
    problem: dict[str, Any] | None = Field(
        None, description="Its errors name the cell (Sheet!A1) beside the pointer"
    )


class SheetResponse(BaseModel):
    filed: int
    replayed: int
    failed: int
    results: list[SheetFiled]


def sheet_response(results: list[SheetResult], *, customs: bool, instance: str) -> SheetResponse:
    out = []
    for r in results:
        row = f"Header!A{r.row}"
        if r.filing is not None:
            filed = BatchFiled.of(r.filing.declaration, r.filing.version, customs=customs)
            out.append(
                SheetFiled(
                    declarant_reference=r.reference, row=row, status=r.status, declaration=filed, problem=None
                )
            )
        else:
            assert r.error is not None
            problem = r.error.to_problem(instance=f"{instance}#{row}")
            out.append(SheetFiled(declarant_reference=r.reference, row=row, status=r.status, problem=problem))
    return SheetResponse(
        filed=sum(r.status == 201 for r in out),
        replayed=sum(r.status == 200 for r in out),
        failed=sum(r.status >= 400 for r in out),
        results=out,
    )


@router.post(
    "/declarations:spreadsheet",
    response_model=SheetResponse,
    summary="File the declarations of a filled-in .xlsx template (/static/clearway-declarations.xlsx) as a batch",
    openapi_extra={
        "requestBody": {
            "description": f"The workbook (.xlsx) as the request body (sent as {XLSX} or application/octet-stream)",
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            "required": True,
        }
    },
)
async def file_spreadsheet(
    request: Request, principal: PrincipalDep, session: SessionDep, runtime: RuntimeDep
) -> SheetResponse:
    raw = await request.body()
    if len(raw) > MAX_WORKBOOK_BYTES:
        raise ValidationFailed(
            "the workbook is too large", errors=[FieldError("", "too_large", "at most 8 MB")]
        )
    results = file_workbook(runtime.declarations, session, principal, raw, limit=runtime.settings.batch_limit)
    return sheet_response(results, customs=principal.is_customs, instance=request.url.path)
