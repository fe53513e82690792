"""Administering users: create, change role, deactivate. Audited; flushes, never commits.

A role change or a deactivation revokes the user's tokens and sessions, so the new rights apply at once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from clearway.audit.service import Actor, record
from clearway.errors import Conflict, FieldError, NotFound, ValidationFailed
from clearway.identity import service as identity
from clearway.identity.core import COMPANY_ROLES, Principal, Role, Scope
from clearway.identity.models import ApiToken, Company, User


def _actor(principal: Principal) -> Actor:
    return Actor(principal.username, principal.user_id)


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user


def _revoke_all(session: Session, user_id: int, now: datetime) -> None:
    session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def create(
    session: Session,
    principal: Principal,
    *,
    username: str,
    password: str,
    role: str,
    company_id: int | None,
    display_name: str | None,
    now: datetime,
) -> User:
    principal.require_scope(Scope.USERS_ADMIN)
    try:
        chosen = Role(role)
    except ValueError:
        raise ValidationFailed("unknown role", errors=[FieldError("/role", "not_allowed", role)]) from None
    if not username.strip():
        raise ValidationFailed(
            "a user needs a username", errors=[FieldError("/username", "required", "username")]
        )
    user = identity.create_user(
        session,
        username=username.strip(),
        password=password,
        role=chosen,
        company_id=company_id,
        display_name=display_name or None,
        now=now,
    )
    record(
        session,
        actor=_actor(principal),
        subject_type="user",
        subject_id=user.id,
        action="create",
        at=now,
        data={"username": user.username, "role": chosen.value, "company_id": company_id},
    )
    return user


def set_role(session: Session, principal: Principal, user_id: int, role: str, *, now: datetime) -> User:
    principal.require_scope(Scope.USERS_ADMIN)
    user = _user(session, user_id)
    try:
        chosen = Role(role)
    except ValueError:
        raise ValidationFailed("unknown role", errors=[FieldError("/role", "not_allowed", role)]) from None
    company = session.get(Company, user.company_id) if user.company_id is not None else None
    trading = company is not None and company.kind != "customs"
    if (chosen in COMPANY_ROLES) != trading:
        where = "a trading company" if chosen in COMPANY_ROLES else "customs"
        raise ValidationFailed(
            "the role does not fit the user's company",
            errors=[FieldError("/role", "not_allowed", f"a {chosen.value} belongs to {where}")],
        )
    if user.id == principal.user_id and chosen is not Role.ADMIN:
        raise Conflict("an administrator cannot take away their own administration rights")
    before, user.role = user.role, chosen.value
    _revoke_all(session, user.id, now)
    session.flush()
    record(
        session,
        actor=_actor(principal),
        subject_type="user",
        subject_id=user.id,
        action="set_role",
        at=now,
        data={"from": before, "to": chosen.value},
    )
    return user


def set_active(session: Session, principal: Principal, user_id: int, active: bool, *, now: datetime) -> User:
    principal.require_scope(Scope.USERS_ADMIN)
    user = _user(session, user_id)
    if user.id == principal.user_id and not active:
        raise Conflict("an administrator cannot deactivate their own account")
    user.active = active
    if not active:
        _revoke_all(session, user.id, now)
    session.flush()
    record(
        session,
        actor=_actor(principal),
        subject_type="user",
        subject_id=user.id,
        action="activate" if active else "deactivate",
        at=now,
    )
    return user
