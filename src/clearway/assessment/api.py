"""Estimate endpoint (mounted under /api/v1): duties and taxes without filing.

``POST /estimates`` takes ``{"items": [...]}`` (the light estimate schema) or ``{"declaration": {...}}`` (a full
declaration), with optional ``on``, ``regime``, ``self_declared``, ``dispatch_country`` and what-if
``exchange_rates`` (see :mod:`clearway.assessment.schemas`). Nothing is stored. A line that cannot be assessed
is explained in the answer (``can_assess: false``); a malformed request is a 422 problem.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from clearway.assessment import service
from clearway.assessment.step import preference_verifier
from clearway.web.deps import PrincipalDep, RuntimeDep, SessionDep

router = APIRouter(tags=["assessment"])
_PROBLEM = {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No or invalid credential", **_PROBLEM},
    413: {"description": "Body too large", **_PROBLEM},
    422: {"description": "Invalid fields in the estimate request", **_PROBLEM},
}
EXAMPLE = {
    "on": "2026-11-20",
    "exchange_rates": {"EUR": "1500"},
    "items": [
        {
            "commodity_code": "8703231010",
            "origin_country": "DE",
            "quantity": "1",
            "quantity_unit": "U",
            "net_mass_kg": "1480",
            "invoice_amount": "38000",
            "currency": "EUR",
            "incoterm": "FOB",
            "freight": "1200",
            "insurance": "95",
            "preference": {"agreement": "KR-EU", "certificate_reference": "EU-OD-1", "assume_granted": True},
        }
    ],
}


@router.post(
    "/estimates", responses=ERRORS, summary="Estimate duties and taxes without filing (what-if rates allowed)"
)
def create_estimate(
    document: Annotated[dict[str, Any], Body(examples=[EXAMPLE])],
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    return service.estimate(
        session,
        document,
        today=runtime.today(),
        verifier=preference_verifier(runtime.declarations.steps),
        nomenclature=runtime.declarations.nomenclature,
        sees=principal.sees_company,
    )
