"""SME pre-filing simulator: duties under MFN and each usable FTA, what each FTA needs, the expected path."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from sqlalchemy.orm import Session

from clearway.assessment.step import preference_verifier
from clearway.classification import guided
from clearway.classification.errors import ModelUnavailable
from clearway.classification.registry import served_model
from clearway.classification.service import MAX_TEXT_CHARS
from clearway.identity.core import Principal
from clearway.runtime import Runtime
from clearway.sme import service
from clearway.web.deps import PrincipalDep, RuntimeDep, SessionDep

router = APIRouter(tags=["sme"])


@router.post(
    "/prefiling", summary="Simulate a planned import before filing: MFN vs each FTA, the likely lanes"
)
def prefiling(
    plan: Annotated[dict[str, Any], Body()], session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> dict[str, Any]:
    """With ``item.description``, the answer also has ``classification``: the likely HS codes for it and, when
    they are close, the open question; continue at ``POST /api/v1/classifications/{id}/answers``."""
    answer = service.simulate(
        session,
        principal,
        plan,
        today=runtime.today(),
        verifier=preference_verifier(runtime.declarations.steps),
        nomenclature=runtime.declarations.nomenclature,
    )
    item = plan.get("item") if isinstance(plan, dict) else None
    description = item.get("description") if isinstance(item, dict) else None
    if isinstance(description, str) and description.strip():
        answer["classification"] = likely_codes(session, runtime, principal, description.strip())
    return answer


def likely_codes(session: Session, runtime: Runtime, principal: Principal, text: str) -> dict[str, Any]:
    """The guided classification of the goods' description (stored when a question is open), or why not."""
    try:
        view = guided.open_session(
            session,
            served_model(runtime.settings.models_dir),
            text[:MAX_TEXT_CHARS],
            lang=None,
            top_k=5,
            user_id=principal.user_id,
            now=runtime.clock(),
        )
    except ModelUnavailable as error:
        return {"id": None, "question": None, "answered": [], "candidates": [], "unavailable": error.title}
    body = view.body
    return {
        "id": view.id,
        "question": body["question"],
        "answered": body["answered"],
        "declined": body["declined"],
        "candidates": [
            {k: c[k] for k in ("hs6", "hs10", "confidence", "description")} for c in body["candidates"]
        ],
    }


@router.get("/fta-savings", summary="A company's FTA savings on past imports, and what it could have saved")
def fta_savings(
    session: SessionDep,
    principal: PrincipalDep,
    date_from: Annotated[date | None, Query()] = None,
    date_to: Annotated[date | None, Query()] = None,
    company_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> dict[str, Any]:
    return service.savings(session, principal, date_from=date_from, date_to=date_to, company_id=company_id)
