"""IPR shell: record and review rights, screen declarations, hold goods and decide. Flushes, never commits.

Who may do what: a right holder records its marks and answers the holds of its recordings; an officer reviews
recordings, screens, opens holds and decides; the importer (the filing company) sees the holds of its
declarations and submits evidence. Another party's recording or hold is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from clearway.audit.service import Actor, record
from clearway.declaration import repository as declarations
from clearway.declaration.lifecycle import Status
from clearway.declaration.models import Declaration, DeclarationVersion
from clearway.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from clearway.identity.core import CUSTOMS_ROLES, Principal, Role, Scope
from clearway.ipr import repository as repo
from clearway.ipr.core import (
    OPEN_STATUSES,
    HoldAction,
    HoldStatus,
    RecordingStatus,
    ScreenLine,
    Suspicion,
    answer_due,
    next_status,
    overdue,
    required_security,
    screen_line,
)
from clearway.ipr.marks import generic_conflicts
from clearway.ipr.models import IprEvidence, IprHold, IprRecording
from clearway.ipr.schemas import (
    Answer,
    Decision,
    EvidenceCreate,
    HoldAnswer,
    HoldCreate,
    HoldDecision,
    HoldRead,
    RecordingCreate,
    Review,
)

RECORDING = "ipr_recording"
HOLD = "ipr_hold"
CLOSED_DECLARATION = {
    Status.RELEASED.value,
    Status.CANCELLED.value,
    Status.REJECTED.value,
    Status.AMENDED.value,
}


def _actor(principal: Principal) -> Actor:
    return Actor(principal.username, principal.user_id)


def _officer(principal: Principal, scope: Scope) -> None:
    principal.require_scope(scope)
    principal.require_role(Role.OFFICER)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


# ---- recordings ------------------------------------------------------------------------------------------


def create_recording(
    session: Session, principal: Principal, data: RecordingCreate, *, now: datetime, today: date
) -> IprRecording:
    principal.require_scope(Scope.IPR_WRITE)
    principal.require_role(Role.RIGHT_HOLDER)
    assert principal.company_id is not None  # a right holder belongs to a company (identity.service)
    errors = []
    if data.registration_expires < today:
        errors.append(
            FieldError(
                "/registration_expires",
                "expired",
                f"the registration expired on {data.registration_expires}; renew it first",
            )
        )
    valid_from = data.valid_from or today
    if valid_from > data.registration_expires:
        errors.append(
            FieldError("/valid_from", "after_expiry", "the recording would start after the registration ends")
        )
    for mark, chapter in generic_conflicts(data.marks, data.hs_scopes):
        errors.append(
            FieldError(
                "/hs_scopes",
                "generic_mark",
                f"'{mark}' is the common name of goods in chapter {chapter}; "
                "record it only for the goods the mark distinguishes",
            )
        )
    for i, band in enumerate(data.price_bands):
        if band.min_unit_price > band.max_unit_price:
            errors.append(
                FieldError(f"/price_bands/{i}/min_unit_price", "above_max", "the minimum exceeds the maximum")
            )
        if not any(band.hs6.startswith(s) or s.startswith(band.hs6) for s in data.hs_scopes):
            errors.append(
                FieldError(f"/price_bands/{i}/hs6", "outside_scope", f"{band.hs6} is outside hs_scopes")
            )
    if errors:
        raise ValidationFailed("the recording cannot be accepted", errors=errors)
    existing = repo.by_registration(session, data.registration_office, data.registration_number)
    if existing is not None:
        raise Conflict(
            f"registration {data.registration_office} {data.registration_number} is already "
            f"recorded (recording {existing.id}, {existing.status})",
            recording_id=existing.id,
        )
    row = IprRecording(
        holder_company_id=principal.company_id,
        registration_office=data.registration_office,
        registration_number=data.registration_number,
        status=RecordingStatus.PENDING.value,
        marks=list(dict.fromkeys(data.marks)),
        nice_classes=sorted(set(data.nice_classes)),
        hs_scopes=sorted(set(data.hs_scopes)),
        authorised_brns=sorted({_digits(b) for b in data.authorised_brns}),
        genuine_origins=sorted(set(data.genuine_origins)),
        price_bands=[b.model_dump(mode="json") for b in data.price_bands],
        parallel_imports_allowed=data.parallel_imports_allowed,
        genuine_features=data.genuine_features,
        contact_email=data.contact_email,
        valid_from=valid_from,
        valid_to=data.registration_expires,
        created_at=now,
        created_by=principal.user_id,
    )
    repo.add(session, row)
    record(
        session,
        actor=_actor(principal),
        subject_type=RECORDING,
        subject_id=row.id,
        action="record",
        at=now,
        data={"registration": f"{row.registration_office} {row.registration_number}", "marks": row.marks},
    )
    return row


def visible_recording(
    session: Session, principal: Principal, recording_id: int, *, for_update: bool = False
) -> IprRecording:
    principal.require_scope(Scope.IPR_READ)
    row = repo.recording(session, recording_id, for_update=for_update)
    if row is None or not (
        principal.role in CUSTOMS_ROLES
        or (principal.role is Role.RIGHT_HOLDER and row.holder_company_id == principal.company_id)
    ):
        raise NotFound(f"no recording {recording_id}")
    return row


def list_recordings(
    session: Session, principal: Principal, *, status: str | None = None
) -> list[IprRecording]:
    principal.require_scope(Scope.IPR_READ)
    if principal.role in CUSTOMS_ROLES:
        return repo.recordings(session, status=status)
    if principal.role is Role.RIGHT_HOLDER:
        return repo.recordings(session, holder_company_id=principal.company_id, status=status)
    raise Forbidden("recordings are seen by customs and by their right holder")


def review_recording(
    session: Session, principal: Principal, recording_id: int, review: Review, *, now: datetime, today: date
) -> IprRecording:
    """An officer approves (screening starts using it) or rejects a pending recording."""
    _officer(principal, Scope.IPR_WRITE)
    row = visible_recording(session, principal, recording_id, for_update=True)
    if row.status != RecordingStatus.PENDING.value:
        raise Conflict(f"recording {row.id} is already {row.status}")
    if review.approve and today > row.valid_to:
        raise Conflict(f"the registration expired on {row.valid_to}; it cannot be approved")
    if not review.approve and not review.note:
        raise ValidationFailed(
            "say why the recording is rejected",
            errors=[FieldError("/note", "required", "a rejection needs a note")],
        )
    row.status = (RecordingStatus.APPROVED if review.approve else RecordingStatus.REJECTED).value
    row.reviewed_at, row.reviewed_by, row.review_note = now, principal.user_id, review.note
    repo.add(session, row)
    record(
        session,
        actor=_actor(principal),
        subject_type=RECORDING,
        subject_id=row.id,
        action="approve" if review.approve else "reject",
        at=now,
        reason=review.note,
    )
    return row


# ---- screening -------------------------------------------------------------------------------------------


def screen_lines_of(content: dict[str, Any], importer_brn: str | None) -> list[ScreenLine]:
    """The goods items of a stored declaration document as lines to screen."""
    items = content.get("items") or []
    return [
        ScreenLine(
            line_number=int(i["line_number"]),
            description=str(i["description"]),
            commodity_code=str(i["commodity_code"]),
            origin_country=i.get("origin_country"),
            quantity=Decimal(str(i["quantity"])),
            amount=Decimal(str(i["invoice_amount"])),
            currency=i.get("currency"),
            importer_brn=importer_brn,
        )
        for i in items
    ]


def importer_brn_of(content: dict[str, Any]) -> str | None:
    for party in ("importer", "buyer"):
        value = content.get(party)
        if isinstance(value, dict) and value.get("brn"):
            return _digits(str(value["brn"]))
    return None


def screen_declaration(session: Session, principal: Principal, declaration_id: int) -> list[Suspicion]:
    """Every mention of a recorded mark in the declaration in force, with signals and score (officers)."""
    _officer(principal, Scope.IPR_READ)
    declaration, version = _declaration(session, declaration_id)
    lines = screen_lines_of(version.content, importer_brn_of(version.content))
    on = declaration.filed_on
    rights, rates = repo.rights_in_force(session, on), repo.rates_krw(session, on)
    return [s for line in lines for s in screen_line(line, rights, on=on, rates=rates)]


def _declaration(session: Session, declaration_id: int) -> tuple[Declaration, DeclarationVersion]:
    declaration = declarations.get(session, declaration_id, for_update=False)
    if declaration is None:
        raise NotFound(f"no declaration {declaration_id}")
    version = declarations.version(session, declaration.id, declaration.current_version)
    assert version is not None
    return declaration, version


# ---- holds -----------------------------------------------------------------------------------------------


def open_hold(
    session: Session, principal: Principal, data: HoldCreate, *, now: datetime, today: date
) -> IprHold:
    """통관보류: the officer holds a goods line; the right holder and the importer are notified (the events)."""
    _officer(principal, Scope.IPR_WRITE)
    declaration = declarations.get(session, data.declaration_id, for_update=True)
    if declaration is None:
        raise NotFound(f"no declaration {data.declaration_id}")
    if declaration.status in CLOSED_DECLARATION:
        raise Conflict(f"declaration {declaration.id} is {declaration.status}; its goods cannot be held")
    version = declarations.version(session, declaration.id, declaration.current_version)
    assert version is not None
    brn = importer_brn_of(version.content)
    lines = {line.line_number: line for line in screen_lines_of(version.content, brn)}
    line = lines.get(data.line_number)
    if line is None:
        raise ValidationFailed(
            "no such goods line",
            errors=[
                FieldError(
                    "/line_number", "not_found", f"declaration {declaration.id} has lines {sorted(lines)}"
                )
            ],
        )
    recording = repo.recording(session, data.recording_id)
    if recording is None:
        raise NotFound(f"no recording {data.recording_id}")
    in_force = recording.valid_from <= today <= recording.valid_to
    if recording.status != RecordingStatus.APPROVED.value or not in_force:
        raise Conflict(f"recording {recording.id} is not an approved recording in force")
    if repo.open_hold(session, declaration.id, data.line_number, recording.id) is not None:
        raise Conflict(f"line {data.line_number} is already held for recording {recording.id}")
    rates = repo.rates_krw(session, declaration.filed_on)
    found = screen_line(line, [repo.right_of(recording)], on=today, rates=rates)
    value = next(
        (
            r.customs_value_krw
            for r in declarations.lines(session, version.id)
            if r.line_number == data.line_number
        ),
        None,
    )
    rate = rates.get(line.currency or "")
    if value is None and line.amount is not None and (rate is not None or line.currency == "KRW"):
        value = line.amount * (rate or Decimal(1))  # not assessed: the invoice value at the week's 과세환율
    hold = IprHold(
        declaration_id=declaration.id,
        version=version.version,
        line_number=data.line_number,
        recording_id=recording.id,
        status=HoldStatus.AWAITING_RIGHT_HOLDER.value,
        score=found[0].score if found else None,
        signals=[s.as_dict() for s in found[0].signals] if found else [],
        officer_reason=data.reason,
        customs_value_krw=value,
        notified_on=today,
        answer_due=answer_due(today),
        opened_at=now,
        opened_by=principal.user_id,
    )
    repo.add(session, hold)
    record(
        session,
        actor=_actor(principal),
        subject_type=HOLD,
        subject_id=hold.id,
        action="open",
        at=now,
        data={
            "declaration_id": declaration.id,
            "line_number": hold.line_number,
            "recording_id": recording.id,
            "answer_due": hold.answer_due.isoformat(),
            "notify": ["right_holder", "importer"],
        },
    )
    return hold


@dataclass(frozen=True, slots=True)
class Parties:
    holder_company_id: int
    filer_company_id: int


def _parties(session: Session, hold: IprHold) -> Parties:
    recording = repo.recording(session, hold.recording_id)
    declaration = declarations.get(session, hold.declaration_id)
    assert recording is not None and declaration is not None
    return Parties(recording.holder_company_id, declaration.filer_company_id)


def visible_hold(
    session: Session, principal: Principal, hold_id: int, *, for_update: bool = False
) -> IprHold:
    principal.require_scope(Scope.IPR_READ)
    hold = repo.hold(session, hold_id, for_update=for_update)
    if hold is None or audience(session, principal, hold) is None:
        raise NotFound(f"no hold {hold_id}")
    return hold


def audience(session: Session, principal: Principal, hold: IprHold) -> str | None:
    """customs | right_holder | importer | None (may not see it)."""
    if principal.role in CUSTOMS_ROLES:
        return "customs"
    parties = _parties(session, hold)
    if principal.role is Role.RIGHT_HOLDER and principal.company_id == parties.holder_company_id:
        return "right_holder"
    if principal.role in (Role.TRADER, Role.BROKER) and principal.company_id == parties.filer_company_id:
        return "importer"
    return None


def answer_hold(
    session: Session, principal: Principal, hold_id: int, data: HoldAnswer, *, now: datetime, today: date
) -> IprHold:
    """The right holder confirms the goods are fakes (with security) or says they are genuine, in time."""
    principal.require_scope(Scope.IPR_WRITE)
    hold = visible_hold(session, principal, hold_id, for_update=True)
    if audience(session, principal, hold) != "right_holder":
        raise Forbidden("only the right holder answers a hold")
    if hold.status != HoldStatus.AWAITING_RIGHT_HOLDER.value:
        raise Conflict(f"hold {hold.id} is {hold.status}; it was already answered or decided")
    if today > hold.answer_due:
        raise Conflict(
            f"the answer was due by {hold.answer_due} (10 working days); it was not recorded — "
            "the officer decides the hold",
            answer_due=hold.answer_due.isoformat(),
        )
    action = HoldAction.CONFIRM if data.answer is Answer.CONFIRM else HoldAction.NOT_COUNTERFEIT
    if action is HoldAction.CONFIRM:
        needed = required_security(hold.customs_value_krw)
        if data.security_krw is None or data.security_krw < needed:
            raise ValidationFailed(
                "security is required to keep the goods held",
                errors=[
                    FieldError(
                        "/security_krw", "insufficient", f"at least {needed} KRW (120% of the customs value)"
                    )
                ],
            )
    new = next_status(HoldStatus(hold.status), action)
    assert new is not None
    hold.status, hold.answer, hold.answer_note = new.value, data.answer.value, data.note
    hold.security_krw = data.security_krw if action is HoldAction.CONFIRM else None
    hold.answered_at, hold.answered_by = now, principal.user_id
    repo.add(session, hold)
    record(
        session,
        actor=_actor(principal),
        subject_type=HOLD,
        subject_id=hold.id,
        action=f"answer_{data.answer}",
        at=now,
        data={"status": hold.status},
    )
    return hold


def add_evidence(
    session: Session, principal: Principal, hold_id: int, data: EvidenceCreate, *, now: datetime
) -> IprEvidence:
    principal.require_scope(Scope.IPR_WRITE)
    hold = visible_hold(session, principal, hold_id, for_update=True)
    party = audience(session, principal, hold)
    if party not in ("right_holder", "importer"):
        raise Forbidden("evidence comes from the right holder or the importer")
    if HoldStatus(hold.status) not in OPEN_STATUSES:
        raise Conflict(f"hold {hold.id} is decided ({hold.status}); evidence is no longer taken")
    row = IprEvidence(
        hold_id=hold.id, party=party, user_id=principal.user_id, text=data.text, submitted_at=now
    )
    repo.add(session, row)
    record(
        session,
        actor=_actor(principal),
        subject_type=HOLD,
        subject_id=hold.id,
        action="evidence",
        at=now,
        data={"party": party},
    )
    return row


def decide_hold(
    session: Session, principal: Principal, hold_id: int, data: HoldDecision, *, now: datetime
) -> IprHold:
    """The officer releases the goods or seizes them (seizure needs the right holder's confirmation)."""
    _officer(principal, Scope.IPR_WRITE)
    hold = visible_hold(session, principal, hold_id, for_update=True)
    action = HoldAction.SEIZE if data.decision is Decision.SEIZE else HoldAction.RELEASE
    new = next_status(HoldStatus(hold.status), action)
    if new is None:
        seize = action is HoldAction.SEIZE
        why = (
            "the right holder has not confirmed the goods as counterfeit with security"
            if seize and HoldStatus(hold.status) in OPEN_STATUSES
            else f"it is {hold.status}"
        )
        raise Conflict(f"hold {hold.id} cannot be {'seized' if seize else 'released'}: {why}")
    hold.status, hold.decision_note = new.value, data.note
    hold.decided_at, hold.decided_by = now, principal.user_id
    repo.add(session, hold)
    record(
        session,
        actor=_actor(principal),
        subject_type=HOLD,
        subject_id=hold.id,
        action=data.decision.value,
        at=now,
        reason=data.note,
        data={"declaration_id": hold.declaration_id, "line_number": hold.line_number},
    )
    return hold


def list_holds(
    session: Session,
    principal: Principal,
    *,
    today: date,
    only_open: bool = False,
    only_overdue: bool = False,
) -> list[IprHold]:
    principal.require_scope(Scope.IPR_READ)
    statuses = (
        [HoldStatus.AWAITING_RIGHT_HOLDER] if only_overdue else (list(OPEN_STATUSES) if only_open else None)
    )
    due_before = today if only_overdue else None
    if principal.role in CUSTOMS_ROLES:
        return repo.holds(session, statuses=statuses, due_before=due_before)
    if principal.role is Role.RIGHT_HOLDER:
        return repo.holds(
            session, holder_company_id=principal.company_id, statuses=statuses, due_before=due_before
        )
    if principal.role in (Role.TRADER, Role.BROKER) and principal.company_id is not None:
        return repo.holds(
            session, filer_company_id=principal.company_id, statuses=statuses, due_before=due_before
        )
    raise Forbidden("holds are seen by customs, the right holder and the importer")


def _item(version: DeclarationVersion, line_number: int) -> dict[str, Any]:
    return next((i for i in version.content.get("items", []) if i.get("line_number") == line_number), {})


def hold_view(session: Session, principal: Principal, hold: IprHold, *, today: date) -> HoldRead:
    """The hold as this principal may see it (see :class:`HoldRead`)."""
    who = audience(session, principal, hold)
    recording = repo.recording(session, hold.recording_id)
    declaration, version = _declaration(session, hold.declaration_id)
    assert recording is not None and who is not None
    item = _item(version, hold.line_number)
    goods = {
        k: item.get(k)
        for k in ("description", "commodity_code", "origin_country", "quantity", "quantity_unit")
    }
    base = HoldRead.base(
        hold,
        recording.marks[0],
        overdue(HoldStatus(hold.status), hold.answer_due, today),
        repo.evidence(session, hold.id)
        if who != "importer"
        else [e for e in repo.evidence(session, hold.id) if e.party == "importer"],
    )
    base["goods"] = goods
    if who in ("customs", "right_holder"):
        base.update(
            answer=hold.answer,
            answered_at=hold.answered_at,
            security_krw=hold.security_krw,
            answer_note=hold.answer_note,
            required_security_krw=required_security(hold.customs_value_krw),
        )
    if who == "customs":
        base.update(
            score=hold.score,
            signals=hold.signals,
            officer_reason=hold.officer_reason,
            importer={"name": declaration.importer_name, "brn": declaration.importer_brn},
        )
        base["goods"] = {
            **goods,
            "invoice_amount": item.get("invoice_amount"),
            "currency": item.get("currency"),
        }
    return HoldRead(**base)


def labels(session: Session, principal: Principal) -> list[dict[str, Any]]:
    """Decided holds as training labels for a learned screen: the signals at the hold, 1 if seized else 0."""
    principal.require_scope(Scope.IPR_READ)
    if principal.role not in CUSTOMS_ROLES:
        raise Forbidden("screening labels are for customs")
    return [
        {
            "hold_id": h.id,
            "recording_id": h.recording_id,
            "decided_at": h.decided_at,
            "score": h.score,
            "signals": {s["code"]: s["weight"] for s in h.signals},
            "label": int(h.status == HoldStatus.SEIZED),
        }
        for h in repo.decided(session)
    ]


def seizure_statistics(session: Session, principal: Principal) -> dict[str, dict[str, int]]:
    """Seizures by mark, HS chapter and origin (customs only)."""
    principal.require_scope(Scope.IPR_READ)
    if principal.role not in CUSTOMS_ROLES:
        raise Forbidden("seizure statistics are for customs")
    by_mark: dict[str, int] = {}
    by_chapter: dict[str, int] = {}
    by_origin: dict[str, int] = {}
    for hold, recording in repo.seized_with_recordings(session):
        _, version = _declaration(session, hold.declaration_id)
        item = _item(version, hold.line_number)
        chapter, origin = str(item.get("commodity_code", ""))[:2], str(item.get("origin_country", ""))
        for table, key in ((by_mark, recording.marks[0]), (by_chapter, chapter), (by_origin, origin)):
            table[key] = table.get(key, 0) + 1
    return {"by_mark": by_mark, "by_chapter": by_chapter, "by_origin": by_origin}
