"""Request dependencies shared by every router.

* ``SessionDep`` – the request's unit of work. It commits when the endpoint returns (before the response is
  sent, so a client never sees success for something not stored) and rolls back on any error.
* ``PrincipalDep`` – the caller, from ``Authorization: Bearer <token>`` or the web session cookie.
* ``require_roles(*roles)`` – a dependency that also checks the caller's role.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Path, Request, Response
from sqlalchemy.orm import Session

from clearway.config import Settings
from clearway.errors import Forbidden, Unauthenticated
from clearway.identity.core import Principal, Role
from clearway.identity.service import principal_for_token
from clearway.runtime import Runtime
from clearway.uow import unit_of_work

SESSION_COOKIE = "clearway_session"


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def get_settings(request: Request) -> Settings:
    return get_runtime(request).settings


def get_session(request: Request) -> Iterator[Session]:
    with unit_of_work(get_runtime(request).sessions) as session:
        yield session


# Row ids in paths: positive and within a 32-bit integer, so no id reaches the database unchecked.
ResourceId = Annotated[int, Path(ge=1, le=2_147_483_647)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def credential_of(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("use 'Authorization: Bearer <token>'")
        return token.strip()
    return request.cookies.get(SESSION_COOKIE)


TOKEN_EXPIRES_HEADER = "Clearway-Token-Expires"
TOKEN_WARNING_HEADER = "Clearway-Token-Warning"


def get_principal(
    request: Request, response: Response, session: SessionDep, runtime: RuntimeDep
) -> Principal:
    token = credential_of(request)
    if not token:
        raise Unauthenticated("sign in, or send 'Authorization: Bearer <token>'")
    now = runtime.clock()
    principal = principal_for_token(session, token, now=now)
    expires = principal.token_expires_at
    if expires is not None:
        response.headers[TOKEN_EXPIRES_HEADER] = expires.isoformat()
        left = expires - now
        if left <= timedelta(days=runtime.settings.token_warn_days):
            response.headers[TOKEN_WARNING_HEADER] = (
                f"this token expires in {left.days} day(s), at {expires.isoformat()}; issue a new one"
            )
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: Role | str) -> Callable[[Principal], Principal]:
    wanted = tuple(Role(r) for r in roles)

    def dependency(principal: PrincipalDep) -> Principal:
        if principal.role not in wanted:
            names = ", ".join(r.value for r in wanted)
            raise Forbidden(f"only {names} may do this; you are {principal.role.value}")
        return principal

    return dependency
