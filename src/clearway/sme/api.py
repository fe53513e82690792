"""SME pre-filing simulator: duties under MFN and each usable FTA, what each FTA needs, the expected path."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from clearway.assessment.step import preference_verifier
from clearway.sme import service
from clearway.web.deps import PrincipalDep, RuntimeDep, SessionDep

router = APIRouter(tags=["sme"])


@router.post(
    "/prefiling", summary="Simulate a planned import before filing: MFN vs each FTA, the likely lanes"
)
def prefiling(
    plan: Annotated[dict[str, Any], Body()], session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> dict[str, Any]:
    return service.simulate(
        session,
        principal,
        plan,
        today=runtime.today(),
        verifier=preference_verifier(runtime.declarations.steps),
        nomenclature=runtime.declarations.nomenclature,
    )


@router.get("/fta-savings", summary="A company's FTA savings on past imports, and what it could have saved")
def fta_savings(
    session: SessionDep,
    principal: PrincipalDep,
    date_from: Annotated[date | None, Query()] = None,
    date_to: Annotated[date | None, Query()] = None,
    company_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> dict[str, Any]:
    return service.savings(session, principal, date_from=date_from, date_to=date_to, company_id=company_id)
