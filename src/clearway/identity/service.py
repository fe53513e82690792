"""Companies, users, password login (argon2) and tokens. Flushes; never commits."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.audit.service import SYSTEM, Actor, record
from clearway.errors import Conflict, FieldError, NotFound, Unauthenticated, ValidationFailed
from clearway.identity.core import COMPANY_ROLES, Principal, Role, scopes_for
from clearway.identity.models import ApiToken, Company, User
from clearway.identity.throttle import Attempt, LoginThrottle, TooManyAttempts

_hasher = PasswordHasher()
TOKEN_PREFIX = "cw_"
SESSION_TTL = timedelta(hours=12)
API_TOKEN_TTL = timedelta(days=90)  # the default; the API passes the configured CLEARWAY_TOKEN_TTL_DAYS
MIN_PASSWORD = 10
USER = "user"  # audit subject type of security events


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the username is unknown, so the answer takes as long as for a real
    one."""
    return _hasher.hash(secrets.token_urlsafe(16))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_company(session: Session, *, name: str, kind: str, brn: str | None, now: datetime) -> Company:
    if kind not in ("trader", "broker", "customs", "carrier"):
        raise ValidationFailed("unknown company kind", errors=[FieldError("/kind", "not_allowed", kind)])
    if brn and session.scalar(select(Company.id).where(Company.brn == brn)):
        raise Conflict(f"a company with business registration number {brn} exists")
    company = Company(name=name, kind=kind, brn=brn, created_at=now)
    session.add(company)
    session.flush()
    return company


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role,
    company_id: int | None,
    display_name: str | None = None,
    now: datetime,
    actor: Actor = SYSTEM,
) -> User:
    errors = []
    if len(password) < MIN_PASSWORD:
        errors.append(FieldError("/password", "too_short", f"at least {MIN_PASSWORD} characters"))
    company = session.get(Company, company_id) if company_id is not None else None
    if company_id is not None and company is None:
        errors.append(FieldError("/company_id", "not_found", f"no company {company_id}"))
    if role in COMPANY_ROLES and (company is None or company.kind == "customs"):
        errors.append(FieldError("/company_id", "required", f"a {role.value} belongs to a trading company"))
    if role not in COMPANY_ROLES and company is not None and company.kind != "customs":
        errors.append(FieldError("/company_id", "not_allowed", f"a {role.value} belongs to customs"))
    if errors:
        raise ValidationFailed("the user cannot be created", errors=errors)
    if session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(f"the username {username} is taken")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=_hasher.hash(password),
        role=role.value,
        company_id=company_id,
        active=True,
        created_at=now,
    )
    session.add(user)
    session.flush()
    record(
        session,
        actor=actor,
        subject_type=USER,
        subject_id=user.id,
        action="user_created",
        at=now,
        data={"username": username, "role": role.value, "company_id": company_id},
    )
    return user


def sign_in(
    session: Session,
    throttle: LoginThrottle,
    *,
    username: str,
    password: str,
    client: str | None,
    now: datetime,
) -> User:
    """:func:`authenticate`, refused while this (username, client) pair or the client address is paused for
    guessing. The caller records failures with :func:`audit_failure` (in a transaction that commits)."""
    attempt = Attempt(username, client or "unknown")
    throttle.check(attempt, now)
    try:
        user = authenticate(session, username=username, password=password)
    except Unauthenticated as exc:
        if throttle.failed(attempt, now):
            exc.extra["paused"] = True
        raise
    throttle.succeeded(attempt)
    return user


def audit_failure(
    session: Session, *, username: str, client: str | None, error: Exception, now: datetime
) -> None:
    """Record a refused sign-in (never the password): failed, or refused while paused; ``paused`` marks the
    failure that started a pause (a lockout)."""
    user = session.scalar(select(User).where(User.username == username))
    paused = isinstance(error, Unauthenticated) and bool(error.extra.get("paused"))
    action = (
        "sign_in_refused_paused"
        if isinstance(error, TooManyAttempts)
        else ("sign_in_locked" if paused else "sign_in_failed")
    )
    record(
        session,
        actor=Actor(username[:80]),
        subject_type=USER,
        subject_id=user.id if user else "unknown",
        action=action,
        at=now,
        data={"username": username[:80], "client": client or "unknown", "known_user": user is not None},
    )


def authenticate(session: Session, *, username: str, password: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    try:
        if user is None or not user.active:
            # the same argon2 work as for a real user, so timing does not tell whether the username exists
            _hasher.verify(_dummy_hash(), password)
            raise VerificationError
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise Unauthenticated("wrong username or password") from None
    return user


def issue_token(
    session: Session,
    *,
    user: User,
    now: datetime,
    kind: str = "api",
    name: str = "api token",
    scopes: list[str] | None = None,
    ttl: timedelta | None = None,
) -> str:
    """A new token; every token expires (``ttl``, by default :data:`API_TOKEN_TTL` or :data:`SESSION_TTL`)."""
    granted = scopes_for(Role(user.role), scopes)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ttl = ttl or (SESSION_TTL if kind == "session" else API_TOKEN_TTL)
    expires_at = now + ttl
    row = ApiToken(
        user_id=user.id,
        kind=kind,
        name=name,
        token_hash=_digest(token),
        prefix=token[:10],
        scopes=sorted(s.value for s in granted),
        created_at=now,
        expires_at=expires_at,
        revoked_at=None,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor=Actor(user.username, user.id),
        subject_type=USER,
        subject_id=user.id,
        action="signed_in" if kind == "session" else "token_issued",
        at=now,
        data={
            "token_id": row.id,
            "kind": kind,
            "name": name,
            "scopes": row.scopes,
            "expires_at": expires_at.isoformat(),
        },
    )
    return token


def tokens_of(session: Session, user_id: int) -> list[ApiToken]:
    """A user's API tokens (not web sessions), newest first, with their expiry and revocation."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user_id, ApiToken.kind == "api")
            .order_by(ApiToken.id.desc())
        )
    )


def principal_for_token(session: Session, token: str, *, now: datetime) -> Principal:
    row = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == _digest(token))
    ).first()
    if row is None:
        raise Unauthenticated("the token is not valid")
    tok, user = row
    if tok.revoked_at is not None:
        raise Unauthenticated("the token was revoked")
    if tok.expires_at is not None and tok.expires_at <= now:
        raise Unauthenticated("the token has expired")
    if not user.active:
        raise Unauthenticated("the user is deactivated")
    return Principal(
        user_id=user.id,
        username=user.username,
        role=Role(user.role),
        company_id=user.company_id,
        scopes=scopes_for(Role(user.role), tok.scopes),
        token_expires_at=tok.expires_at,
    )


def revoke_token(session: Session, token: str, *, now: datetime) -> None:
    tok = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if tok is None:
        raise NotFound("no such token")
    tok.revoked_at = now
    session.flush()
    user = session.get(User, tok.user_id)
    record(
        session,
        actor=Actor(user.username if user else "unknown", tok.user_id),
        subject_type=USER,
        subject_id=tok.user_id,
        action="signed_out" if tok.kind == "session" else "token_revoked",
        at=now,
        data={"token_id": tok.id, "kind": tok.kind, "name": tok.name},
    )


def user_by_username(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user {username}")
    return user
