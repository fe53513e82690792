"""Tariff endpoints (mounted under /api/v1): a code's rates on a date for an origin; parameters in force.

Any signed-in user may read the tariff (it is public information). Loading files is done with the CLI
(``clearway tariff load``), by an administrator on the server.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from clearway.errors import FieldError, ValidationFailed
from clearway.reference.codes import check_country
from clearway.tariff import service
from clearway.web.deps import PrincipalDep, RuntimeDep, SessionDep

router = APIRouter(tags=["tariff"])
_PROBLEM = {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No or invalid credential", **_PROBLEM},
    422: {"description": "Invalid code, date or origin", **_PROBLEM},
}


@router.get("/tariff/parameters", responses=ERRORS, summary="Assessment parameters in force on a date")
def get_parameters(
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
    on: Annotated[date | None, Query(description="Date (default: today in Korea)")] = None,
) -> list[dict[str, Any]]:
    return service.parameter_list(session, on or runtime.today())


@router.get("/tariff/{code}", responses=ERRORS, summary="A commodity code's rates on a date, for an origin")
def get_rates(
    code: Annotated[str, Path(description="HSK 10-digit code (8471.30-0000 also accepted)", max_length=20)],
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
    on: Annotated[date | None, Query(description="Date (default: today in Korea)")] = None,
    origin: Annotated[
        str | None, Query(description="Country of origin, ISO 3166-1 alpha-2", max_length=2)
    ] = None,
) -> dict[str, Any]:
    digits = code.replace(".", "").replace("-", "").replace(" ", "")
    errors = []
    if len(digits) != 10 or not digits.isdigit():
        errors.append(FieldError("/code", "malformed_commodity_code", "a commodity code has 10 digits (HSK)"))
    if origin is not None and check_country(origin.upper()):
        errors.append(
            FieldError("/origin", "unknown_country", f"'{origin}' is not an ISO 3166-1 alpha-2 code")
        )
    if errors:
        raise ValidationFailed("invalid tariff query", errors=errors)
    return service.rates_on(session, digits, on or runtime.today(), origin.upper() if origin else None)
