"""SME pre-filing simulator: duties under MFN and each usable FTA, what each FTA needs, the expected path."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from clearway.assessment.api import _today, _verifier
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
        today=_today(runtime),
        verifier=_verifier(runtime),
        nomenclature=runtime.declarations.nomenclature,
    )
