"""Tokens for systems: exchange a username and password for a scoped bearer token."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request

from clearway.identity import service
from clearway.identity.schemas import PrincipalRead, TokenRead, TokenRequest
from clearway.web.deps import PrincipalDep, RuntimeDep, SessionDep, credential_of

router = APIRouter(prefix="/auth", tags=["identity"])


@router.post("/token", response_model=TokenRead, status_code=201, summary="Issue a scoped API token")
def issue_token(body: TokenRequest, request: Request, session: SessionDep, runtime: RuntimeDep) -> TokenRead:
    now = runtime.clock()
    user = service.sign_in(session, runtime.logins, username=body.username, password=body.password,
                           client=request.client.host if request.client else None, now=now)
    ttl = timedelta(hours=body.ttl_hours) if body.ttl_hours else None
    token = service.issue_token(session, user=user, now=now, name=body.name, scopes=body.scopes, ttl=ttl)
    principal = service.principal_for_token(session, token, now=now)
    return TokenRead(token=token, scopes=sorted(s.value for s in principal.scopes),
                     expires_at=(now + ttl) if ttl else None)


@router.get("/me", response_model=PrincipalRead, summary="Who this credential belongs to")
def me(principal: PrincipalDep) -> PrincipalRead:
    return PrincipalRead(user_id=principal.user_id, username=principal.username, role=principal.role.value,
                         company_id=principal.company_id, scopes=sorted(s.value for s in principal.scopes))


@router.post("/revoke", status_code=204, summary="Revoke the token used for this request")
def revoke(request: Request, principal: PrincipalDep, session: SessionDep, runtime: RuntimeDep) -> None:
    token = credential_of(request)
    assert token is not None  # PrincipalDep guarantees a credential
    service.revoke_token(session, token, now=runtime.clock())
