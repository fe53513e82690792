"""Personal customs codes: issue, look up, verify, suspend, reissue, bulk reissue. Flushes, never commits.

Every change and every view of personal data is audited (``audit.service.record``); audit data carries row ids
and masked values only. The code in clear leaves this module only as the return value of issue and reissue
(shown once to the holder) and inside a delivered notification.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clearway.audit.service import Actor, record, savepoint
from clearway.db import allocate_ids, bulk_insert
from clearway.errors import Conflict, FieldError, NotFound, ValidationFailed
from clearway.parcel import codes
from clearway.parcel import repository as repo
from clearway.parcel.models import CodeReissueJob, ParcelNotification, PersonalCode
from clearway.parcel.protection import PersonalDataCipher

CODE_INDEX = "code"
PERSON_INDEX = "person"
JOB_CHUNK = 2000
MAX_JOB_CODES = 200_000

SerialSource = Callable[[], str]


def random_serial() -> str:
    return f"{secrets.randbelow(10**codes.SERIAL_DIGITS):0{codes.SERIAL_DIGITS}d}"


def code_index(cipher: PersonalDataCipher, text: str) -> str:
    return cipher.index(CODE_INDEX, codes.normalise(text))


def summary(row: PersonalCode) -> dict[str, Any]:
    """What lists show: masked."""
    return {
        "id": row.id,
        "code": row.code_masked,
        "name": row.name_masked,
        "phone": row.phone_masked,
        "status": row.status,
        "status_reason": row.status_reason,
        "replaces_id": row.replaces_id,
        "issued_at": row.issued_at.isoformat(),
        "status_changed_at": row.status_changed_at.isoformat(),
    }


def _required(name: str, phone: str, person_id: str) -> None:
    errors = []
    if not codes.normalise_name(name) or len(name) > 100:
        errors.append(FieldError("/name", "invalid_name", "a name of 1 to 100 characters"))
    if not 9 <= len(codes.phone_digits(phone)) <= 15:
        errors.append(FieldError("/phone", "invalid_phone", "a telephone number of 9 to 15 digits"))
    if not person_id.strip() or len(person_id) > 40:
        errors.append(
            FieldError(
                "/person_id",
                "invalid_person_id",
                "the identity number (resident, alien registration or passport number)",
            )
        )
    if errors:
        raise ValidationFailed("the code cannot be issued", errors=errors)


def _new_row(
    cipher: PersonalDataCipher,
    code: str,
    *,
    person_index: str,
    name_enc: str,
    name_masked: str,
    phone_enc: str,
    phone_masked: str,
    replaces_id: int | None,
    now: datetime,
) -> dict[str, Any]:
    return {
        "code_index": cipher.index(CODE_INDEX, code),
        "code_enc": cipher.encrypt(code),
        "code_masked": codes.mask_code(code),
        "person_index": person_index,
        "active_person_index": person_index,
        "name_enc": name_enc,
        "name_masked": name_masked,
        "phone_enc": phone_enc,
        "phone_masked": phone_masked,
        "status": "active",
        "status_reason": None,
        "replaces_id": replaces_id,
        "issued_at": now,
        "status_changed_at": now,
    }


def notify(
    session: Session,
    code_id: int,
    event: str,
    body: dict[str, Any],
    now: datetime,
    parcel_id: int | None = None,
) -> None:
    session.add(
        ParcelNotification(
            code_id=code_id, parcel_id=parcel_id, event=event, body=body, status="pending", created_at=now
        )
    )


def issue(
    session: Session,
    cipher: PersonalDataCipher,
    *,
    person_id: str,
    name: str,
    phone: str,
    actor: Actor,
    now: datetime,
    serial: SerialSource = random_serial,
) -> tuple[PersonalCode, str]:
    """A new code for a person who holds no active code. Returns the row and the code (shown once)."""
    _required(name, phone, person_id)
    person = cipher.index(PERSON_INDEX, person_id.strip().upper())
    if repo.active_code_of(session, person) is not None:
        raise Conflict("this person already holds an active personal customs code; reissue it instead")
    code = codes.make_code(serial())
    row = PersonalCode(
        **_new_row(
            cipher,
            code,
            person_index=person,
            name_enc=cipher.encrypt(name.strip()),
            name_masked=codes.mask_name(name.strip()),
            phone_enc=cipher.encrypt(phone),
            phone_masked=codes.mask_phone(phone),
            replaces_id=None,
            now=now,
        )
    )
    try:
        with savepoint(session):
            session.add(row)
            session.flush()
    except IntegrityError:  # another request issued this person's code first (uq on active_person_index)
        raise Conflict(
            "this person already holds an active personal customs code; reissue it instead"
        ) from None
    record(
        session,
        actor=actor,
        subject_type="personal_code",
        subject_id=row.id,
        action="issued",
        at=now,
        data={"code": row.code_masked},
    )
    notify(session, row.id, "code_issued", {"code": row.code_masked}, now)
    return row, code


def find(session: Session, cipher: PersonalDataCipher, text: str) -> PersonalCode:
    problem = codes.check_code(text)
    if problem is not None:
        raise ValidationFailed(
            "not a personal customs code", errors=[FieldError("/code", problem.code, problem.message)]
        )
    row = repo.codes_by_index(session, [code_index(cipher, text)]).get(code_index(cipher, text))
    if row is None:
        raise NotFound("no such personal customs code")
    return row


def get(session: Session, code_id: int) -> PersonalCode:
    row = repo.code(session, code_id)
    if row is None:
        raise NotFound(f"no personal customs code {code_id}")
    return row


def view(
    session: Session, cipher: PersonalDataCipher, code_id: int, *, actor: Actor, now: datetime, purpose: str
) -> dict[str, Any]:
    """The full record in clear: audited with the purpose given."""
    row = get(session, code_id)
    record(
        session,
        actor=actor,
        subject_type="personal_code",
        subject_id=row.id,
        action="personal_data_viewed",
        at=now,
        reason=purpose,
    )
    return {
        **summary(row),
        "code": cipher.decrypt(row.code_enc),
        "name": cipher.decrypt(row.name_enc),
        "phone": cipher.decrypt(row.phone_enc),
    }


def verify(
    session: Session,
    cipher: PersonalDataCipher,
    *,
    code: str,
    name: str,
    phone: str,
    actor: Actor,
    now: datetime,
) -> dict[str, Any]:
    """Does name + code + phone match an active code (as a carrier checks before filing)? Audited."""
    problems: list[codes.CodeProblem] = []
    row: PersonalCode | None = None
    check = codes.check_code(code)
    if check is not None:
        problems.append(check)
    else:
        row = repo.codes_by_index(session, [code_index(cipher, code)]).get(code_index(cipher, code))
        if row is None:
            problems.append(codes.CodeProblem("code_unknown", "no such personal customs code"))
        elif row.status != "active":
            problems.append(codes.CodeProblem(f"code_{row.status}", f"the code is {row.status}"))
        else:
            problems += codes.holder_mismatches(
                cipher.decrypt(row.name_enc), cipher.decrypt(row.phone_enc), name, phone
            )
    record(
        session,
        actor=actor,
        subject_type="personal_code",
        subject_id=row.id if row else "unknown",
        action="verified",
        at=now,
        data={"valid": not problems, "problems": [p.code for p in problems]},
    )
    return {"valid": not problems, "problems": [{"code": p.code, "message": p.message} for p in problems]}


def suspend(session: Session, code_id: int, *, reason: str, actor: Actor, now: datetime) -> dict[str, Any]:
    row = get(session, code_id)
    if row.status != "active":
        raise Conflict(f"the code is {row.status}, not active")
    row.status, row.status_reason, row.status_changed_at = "suspended", reason, now
    row.active_person_index = None
    held = repo.hold_in_flight(session, [row.id], "held_code_suspended", now)
    record(
        session,
        actor=actor,
        subject_type="personal_code",
        subject_id=row.id,
        action="suspended",
        at=now,
        reason=reason,
        data={"held_parcels": held},
    )
    notify(
        session,
        row.id,
        "code_suspended",
        {"code": row.code_masked, "reason": reason, "held_parcels": len(held)},
        now,
    )
    session.flush()
    return {**summary(row), "held_parcels": held}


def reissue(
    session: Session,
    cipher: PersonalDataCipher,
    code_id: int,
    *,
    reason: str,
    actor: Actor,
    now: datetime,
    serial: SerialSource = random_serial,
) -> tuple[PersonalCode, str, list[int]]:
    """Replace a code: the old one stops at once; its parcels awaiting a declaration are held (the carrier
    re-files them with the new code). Returns the new row, the new code (shown once) and the held parcels."""
    old = get(session, code_id)
    if old.status == "reissued":
        raise Conflict("the code was already reissued")
    person = old.person_index
    if repo.active_code_of(session, person) not in (None, old):
        raise Conflict("the person already holds another active code")
    old.status, old.status_reason, old.status_changed_at = "reissued", reason, now
    old.active_person_index = None
    session.flush()
    held = repo.hold_in_flight(session, [old.id], "held_code_reissued", now)
    code = codes.make_code(serial())
    new = PersonalCode(
        **_new_row(
            cipher,
            code,
            person_index=person,
            name_enc=old.name_enc,
            name_masked=old.name_masked,
            phone_enc=old.phone_enc,
            phone_masked=old.phone_masked,
            replaces_id=old.id,
            now=now,
        )
    )
    session.add(new)
    session.flush()
    record(
        session,
        actor=actor,
        subject_type="personal_code",
        subject_id=old.id,
        action="reissued",
        at=now,
        reason=reason,
        data={"new_code_id": new.id, "held_parcels": held},
    )
    notify(
        session,
        new.id,
        "code_reissued",
        {
            "old_code": old.code_masked,
            "new_code": new.code_masked,
            "new_code_id": new.id,
            "reason": reason,
            "held_parcels": len(held),
        },
        now,
    )
    return new, code, held


# ---- bulk reissue (a leak response) ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class JobStart:
    job: CodeReissueJob
    replayed: bool


def start_job(
    session: Session,
    cipher: PersonalDataCipher,
    *,
    key: str,
    code_texts: list[str],
    reason: str,
    actor: Actor,
    now: datetime,
) -> JobStart:
    """Create the job (the same key and codes again: the same job, nothing done twice)."""
    if not key.strip() or len(key) > 80:
        raise ValidationFailed(
            "a job key is needed", errors=[FieldError("/key", "invalid_key", "1 to 80 characters")]
        )
    if len(code_texts) > MAX_JOB_CODES:
        raise ValidationFailed(
            f"at most {MAX_JOB_CODES} codes per job",
            errors=[FieldError("/codes", "too_many", f"{len(code_texts)} codes given")],
        )
    invalid = sum(1 for c in code_texts if codes.check_code(c) is not None)
    indexes = sorted({code_index(cipher, c) for c in code_texts if codes.check_code(c) is None})
    existing = repo.job_by_key(session, key)
    if existing is not None:
        if existing.code_indexes != indexes:
            raise Conflict("a job with this key was started with other codes")
        return JobStart(existing, True)
    report = {
        "total": len(indexes),
        "invalid": invalid,
        "reissued": 0,
        "not_found": 0,
        "already_reissued": 0,
        "held_parcels": 0,
    }
    job = CodeReissueJob(
        key=key,
        reason=reason,
        requested_by=actor.name,
        status="running",
        code_indexes=indexes,
        processed=0,
        report=report,
        created_at=now,
    )
    session.add(job)
    session.flush()
    record(
        session,
        actor=actor,
        subject_type="code_reissue_job",
        subject_id=job.id,
        action="started",
        at=now,
        reason=reason,
        data={"codes": len(indexes), "invalid": invalid},
    )
    return JobStart(job, False)


def run_chunk(
    session: Session,
    cipher: PersonalDataCipher,
    job: CodeReissueJob,
    *,
    actor: Actor,
    now: datetime,
    chunk: int = JOB_CHUNK,
    serial: SerialSource = random_serial,
) -> bool:
    """Reissue the next ``chunk`` codes of the job; True while codes remain."""
    if job.status == "done":
        return False
    todo = job.code_indexes[job.processed : job.processed + chunk]
    found = repo.codes_by_index(session, todo)
    report = dict(job.report)
    report["not_found"] += len(todo) - len(found)
    olds = [row for row in found.values() if row.status != "reissued"]
    report["already_reissued"] += len(found) - len(olds)
    if olds:
        old_ids = [row.id for row in olds]
        session.execute(
            update(PersonalCode)
            .where(PersonalCode.id.in_(old_ids))
            .values(
                status="reissued", status_reason=job.reason, status_changed_at=now, active_person_index=None
            )
        )
        held = repo.hold_in_flight(session, old_ids, "held_code_reissued", now)
        new_ids = allocate_ids(session, PersonalCode.__table__, len(olds))
        rows, notes = [], []
        for new_id, old in zip(new_ids, olds, strict=True):
            row = _new_row(
                cipher,
                codes.make_code(serial()),
                person_index=old.person_index,
                name_enc=old.name_enc,
                name_masked=old.name_masked,
                phone_enc=old.phone_enc,
                phone_masked=old.phone_masked,
                replaces_id=old.id,
                now=now,
            )
            rows.append({"id": new_id, **row})
            notes.append(
                {
                    "code_id": new_id,
                    "parcel_id": None,
                    "event": "code_reissued",
                    "status": "pending",
                    "created_at": now,
                    "delivered_at": None,
                    "body": {
                        "old_code": old.code_masked,
                        "new_code": row["code_masked"],
                        "new_code_id": new_id,
                        "reason": job.reason,
                        "job": job.key,
                    },
                }
            )
        bulk_insert(session, PersonalCode.__table__, rows)
        bulk_insert(session, ParcelNotification.__table__, notes)
        report["reissued"] += len(olds)
        report["held_parcels"] += len(held)
        record(
            session,
            actor=actor,
            subject_type="code_reissue_job",
            subject_id=job.id,
            action="codes_reissued",
            at=now,
            reason=job.reason,
            data={"old_code_ids": old_ids, "new_code_ids": new_ids, "held_parcels": held},
        )
    job.processed += len(todo)
    job.report = report
    if job.processed >= len(job.code_indexes):
        job.status, job.finished_at = "done", now
        record(
            session,
            actor=actor,
            subject_type="code_reissue_job",
            subject_id=job.id,
            action="finished",
            at=now,
            data=report,
        )
    session.flush()
    session.expire_all()
    return job.status != "done"


def job_view(job: CodeReissueJob) -> dict[str, Any]:
    total = len(job.code_indexes)
    return {
        "id": job.id,
        "key": job.key,
        "status": job.status,
        "reason": job.reason,
        "requested_by": job.requested_by,
        "processed": job.processed,
        "total": total,
        "progress": round(job.processed / total, 4) if total else 1.0,
        "report": job.report,
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
