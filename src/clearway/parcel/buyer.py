"""The buyer's own view: sign in with the personal customs code (name + code + phone, then a one-time number
sent to the phone on file), see every parcel under the code, say "this is not mine".

Sign-in needs no table: the challenge and the session are HMAC-signed, expiring strings (the key derived
from the personal-data key). The one-time number goes to the holder through the notification outbox (the
port of :mod:`clearway.parcel.notify`); the challenge carries only its MAC, never the number. A suspended
code still signs in (the holder must see what was done under it); a reissued one does not (its successor
does). Attempts are throttled by the caller (the login throttle, per challenge and client).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from clearway.audit.service import Actor, record
from clearway.errors import FieldError, NotFound, Unauthenticated, ValidationFailed
from clearway.parcel import code_service, codes, service
from clearway.parcel import repository as repo
from clearway.parcel.code_service import code_index
from clearway.parcel.protection import PersonalDataCipher

CHALLENGE_TTL = timedelta(minutes=5)
SESSION_TTL = timedelta(minutes=30)
OTP_DIGITS = 6
SIGN_IN = ("active", "suspended")


def _key(secret: str) -> bytes:
    return hashlib.sha256(b"clearway-buyer-session\x00" + secret.encode("utf-8")).digest()


def _mac(secret: str, *parts: object) -> str:
    message = "\x1f".join(str(p) for p in parts).encode("utf-8")
    return hmac.new(_key(secret), message, hashlib.sha256).hexdigest()[:32]


def make_challenge(secret: str, code_id: int, otp: str, now: datetime, nonce: str) -> str:
    expires = int((now + CHALLENGE_TTL).timestamp())
    return f"{code_id}.{expires}.{nonce}.{_mac(secret, 'challenge', code_id, expires, nonce, otp)}"


def check_challenge(secret: str, challenge: str, otp: str, now: datetime) -> int | None:
    """The code id when ``otp`` answers the unexpired ``challenge``; otherwise None (pure)."""
    parts = challenge.split(".")
    if len(parts) != 4 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    code_id, expires, nonce, mac = int(parts[0]), int(parts[1]), parts[2], parts[3]
    if expires < now.timestamp():
        return None
    expected = _mac(secret, "challenge", code_id, expires, nonce, otp.strip())
    return code_id if hmac.compare_digest(expected, mac) else None


def make_session(secret: str, code_id: int, now: datetime) -> str:
    expires = int((now + SESSION_TTL).timestamp())
    return f"{code_id}.{expires}.{_mac(secret, 'session', code_id, expires)}"


def check_session(secret: str, token: str, now: datetime) -> int | None:
    parts = token.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    code_id, expires = int(parts[0]), int(parts[1])
    if expires < now.timestamp():
        return None
    return code_id if hmac.compare_digest(_mac(secret, "session", code_id, expires), parts[2]) else None


@dataclass(frozen=True, slots=True)
class Started:
    challenge: str
    phone_masked: str


def start(
    session: Session,
    cipher: PersonalDataCipher,
    secret: str,
    *,
    code: str,
    name: str,
    phone: str,
    now: datetime,
) -> Started:
    """Name + code + phone checked; a one-time number queued to the phone on file. One answer for every
    mismatch (no hint which part was wrong)."""
    wrong = ValidationFailed(
        "the name, code and phone do not match a personal customs code",
        errors=[FieldError("/code", "no_match", "check the code, the name and the phone number")],
    )
    if codes.check_code(code.strip().upper()) is not None:
        raise wrong
    clean = code.strip().upper()
    row = repo.codes_by_index(session, [code_index(cipher, clean)]).get(code_index(cipher, clean))
    if row is None or row.status not in SIGN_IN:
        raise wrong
    if codes.holder_mismatches(cipher.decrypt(row.name_enc), cipher.decrypt(row.phone_enc), name, phone):
        record(
            session,
            actor=Actor("buyer"),
            subject_type="personal_code",
            subject_id=row.id,
            action="buyer_sign_in_refused",
            at=now,
        )
        raise wrong
    otp = f"{secrets.randbelow(10**OTP_DIGITS):0{OTP_DIGITS}d}"
    code_service.notify(session, row.id, "sign_in_number", {"otp": otp, "code": row.code_masked}, now)
    record(
        session,
        actor=Actor("buyer"),
        subject_type="personal_code",
        subject_id=row.id,
        action="buyer_sign_in",
        at=now,
    )
    return Started(make_challenge(secret, row.id, otp, now, secrets.token_urlsafe(9)), row.phone_masked)


def finish(secret: str, challenge: str, otp: str, now: datetime) -> str:
    code_id = check_challenge(secret, challenge, otp, now)
    if code_id is None:
        raise Unauthenticated("the number is wrong or has expired; ask for a new one")
    return make_session(secret, code_id, now)


def holder_of(secret: str, token: str | None, now: datetime) -> int:
    code_id = None if not token else check_session(secret, token, now)
    if code_id is None:
        raise Unauthenticated("sign in with your personal customs code first")
    return code_id


def my_parcels(session: Session, code_id: int, now: datetime) -> dict[str, Any]:
    return service.holder_parcels(
        session, code_id, actor=Actor("holder"), now=now, purpose="the holder's own view"
    )


def not_mine(session: Session, code_id: int, parcel_id: int, *, reason: str, now: datetime) -> dict[str, Any]:
    """The holder reports a parcel: the code is suspended, a case opens (only the holder's own parcels)."""
    row = repo.parcel(session, parcel_id)
    if row is None or row.code_id != code_id:
        raise NotFound(f"no parcel {parcel_id} under your code")
    return service.dispute(session, parcel_id, reason=f"holder: {reason}", actor=Actor("holder"), now=now)
