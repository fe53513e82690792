"""Decision receipts over HTTP: a declaration's receipt (filer's or customs' view), its verification (no
credential: it answers only whether a receipt is genuine and unchanged) and the replay (customs: officers,
risk analysts, auditors)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from clearway.errors import FieldError, ValidationFailed
from clearway.receipts import core, service
from clearway.runtime import Runtime
from clearway.web.deps import PrincipalDep, ResourceId, RuntimeDep, SessionDep

router = APIRouter(tags=["receipts"])
Version = Annotated[int | None, Query(ge=1, le=100_000)]


def key_of(runtime: Runtime) -> core.SigningKey:
    return core.signing_key(runtime.settings.secret_key)


@router.get(
    "/declarations/{declaration_id}/receipt",
    summary="The signed decision receipt: what the duty and the lane were computed from",
)
def receipt(
    declaration_id: ResourceId,
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
    version: Version = None,
) -> dict[str, Any]:
    return service.receipt_of(runtime.declarations, session, principal, declaration_id, version)


@router.post(
    "/receipts:verify",
    summary="Check a decision receipt: genuine and unchanged, or not (nothing else is answered)",
)
def verify(runtime: RuntimeDep, body: Annotated[Any, Body()]) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ValidationFailed(
            "send the receipt as a JSON object", errors=[FieldError("", "not_an_object", "a receipt object")]
        )
    return service.verify(body, key_of(runtime)).as_dict()


@router.get(
    "/declarations/{declaration_id}/replay",
    summary="Recompute the duty and the risk score from the inputs the receipt names (customs)",
)
def replay(
    declaration_id: ResourceId,
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
    version: Version = None,
) -> dict[str, Any]:
    return service.replay(
        runtime.declarations,
        session,
        principal,
        declaration_id,
        key=key_of(runtime),
        models_dir=runtime.settings.models_dir,
        version=version,
    ).as_dict()
