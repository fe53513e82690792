"""Tokens for systems: exchange a username and password for a scoped bearer token."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request

from clearway.errors import FieldError, Unauthenticated, ValidationFailed
from clearway.identity import service
from clearway.identity.schemas import PrincipalRead, TokenListItem, TokenRead, TokenRequest
from clearway.identity.throttle import TooManyAttempts, client_address
from clearway.runtime import Runtime
from clearway.web.deps import PrincipalDep, RuntimeDep, SessionDep, credential_of
from clearway.web.problems import error_response

router = APIRouter(prefix="/auth", tags=["identity"])


def request_client(request: Request, runtime: Runtime) -> str:
    """The client address for throttling: X-Forwarded-For only from a configured trusted proxy."""
    return client_address(
        request.client.host if request.client else None,
        request.headers.get("x-forwarded-for"),
        runtime.settings.trusted_proxies,
    )


@router.post("/token", response_model=TokenRead, status_code=201, summary="Issue a scoped API token")
def issue_token(body: TokenRequest, request: Request, session: SessionDep, runtime: RuntimeDep) -> Any:
    now = runtime.clock()
    settings = runtime.settings
    client = request_client(request, runtime)
    if body.ttl_hours and body.ttl_hours > settings.token_max_ttl_days * 24:
        raise ValidationFailed(
            "the token would live too long",
            errors=[
                FieldError("/ttl_hours", "too_long", f"at most {settings.token_max_ttl_days * 24} hours")
            ],
        )
    try:
        user = service.sign_in(
            session, runtime.logins, username=body.username, password=body.password, client=client, now=now
        )
    except (Unauthenticated, TooManyAttempts) as exc:
        # answered (not raised) so that this request's transaction commits the audit event of the refusal
        service.audit_failure(session, username=body.username, client=client, error=exc, now=now)
        return error_response(exc, request)
    ttl = timedelta(hours=body.ttl_hours) if body.ttl_hours else timedelta(days=settings.token_ttl_days)
    token = service.issue_token(session, user=user, now=now, name=body.name, scopes=body.scopes, ttl=ttl)
    principal = service.principal_for_token(session, token, now=now)
    return TokenRead(token=token, scopes=sorted(s.value for s in principal.scopes), expires_at=now + ttl)


@router.get("/me", response_model=PrincipalRead, summary="Who this credential belongs to")
def me(principal: PrincipalDep) -> PrincipalRead:
    return PrincipalRead(
        user_id=principal.user_id,
        username=principal.username,
        role=principal.role.value,
        company_id=principal.company_id,
        scopes=sorted(s.value for s in principal.scopes),
        expires_at=principal.token_expires_at,
    )


@router.get("/tokens", response_model=list[TokenListItem], summary="Your API tokens and when they expire")
def list_tokens(principal: PrincipalDep, session: SessionDep) -> list[TokenListItem]:
    return [
        TokenListItem(
            id=t.id,
            name=t.name,
            prefix=t.prefix,
            scopes=t.scopes,
            created_at=t.created_at,
            expires_at=t.expires_at,
            revoked_at=t.revoked_at,
        )
        for t in service.tokens_of(session, principal.user_id)
    ]


@router.post("/revoke", status_code=204, summary="Revoke the token used for this request")
def revoke(request: Request, principal: PrincipalDep, session: SessionDep, runtime: RuntimeDep) -> None:
    token = credential_of(request)
    assert token is not None  # PrincipalDep guarantees a credential
    service.revoke_token(session, token, now=runtime.clock())
