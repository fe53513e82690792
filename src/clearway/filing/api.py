"""UN/EDIFACT over HTTP: a CUSDEC interchange in, its CUSRES out. Thin."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from clearway.errors import FieldError, ValidationFailed
from clearway.filing.service import answer_cusdec
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
            "description": "The CUSDEC interchange as UTF-8 text (application/edifact or text/plain)",
            "content": {"application/edifact": {"schema": {"type": "string"}}},
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
