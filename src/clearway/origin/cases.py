"""Origin verification cases: a request to the exporting country's authority to verify a certificate, opened
by an officer who doubts it, answered (confirmed or denied) and closed. A denial withdraws the certificate and
re-assesses the declarations that used it by the officer's ex officio amendment (직권경정); one already paid is
listed for post-clearance recovery."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from clearway.audit.service import Actor, record
from clearway.declaration.content import DeclarationContent
from clearway.errors import Conflict, FieldError, NotFound, ValidationFailed
from clearway.identity.core import Principal, Role
from clearway.origin import repository as repo
from clearway.origin.models import OriginVerificationCase
from clearway.origin.schemas import CaseAnswerIn, CaseCloseIn, CaseSentIn, VerificationCaseIn, parse
from clearway.origin.service import withdraw

if TYPE_CHECKING:
    from clearway.declaration.service import DeclarationService

CASE_SUBJECT = "origin_verification_case"

# ------------------------------------------------------------------------------------------ verification cases
# A request to the exporting country's authority to verify a certificate (FTA 관세특례법 제19조: 원산지증빙서류
# 확인요청). open → sent → answered (confirmed | denied) → closed; every step audit-recorded; officers only.
CASE_STEPS = {"send": ("open", "sent"), "answer": ("sent", "answered"), "close": ("answered", "closed")}
# before acceptance, or accepted but not yet paid: an amendment by the officer re-assesses the declaration
REASSESSABLE = frozenset(
    {
        "filed",
        "assessed",
        "lane_assigned",
        "under_document_check",
        "under_inspection",
        "awaiting_documents",
        "accepted",
    }
)


def _officer(principal: Principal) -> Actor:
    principal.require_role(Role.OFFICER)
    return Actor(principal.username, principal.user_id)


def case_read(case: OriginVerificationCase) -> dict[str, Any]:
    return {
        "id": case.id,
        "certificate_id": case.certificate_id,
        "declaration_id": case.declaration_id,
        "line_number": case.line_number,
        "status": case.status,
        "authority_country": case.authority_country,
        "grounds": case.grounds,
        "questions": list(case.questions or []),
        "sent_reference": case.sent_reference,
        "result": case.result,
        "answer": case.answer,
        "outcome": case.outcome,
        "opened_at": case.opened_at.isoformat(),
        "sent_at": case.sent_at.isoformat() if case.sent_at else None,
        "answered_at": case.answered_at.isoformat() if case.answered_at else None,
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
    }


def open_case(
    session: Session, document: Any, *, principal: Principal, now: datetime
) -> OriginVerificationCase:
    actor = _officer(principal)
    body: VerificationCaseIn = parse(VerificationCaseIn, document, "verification request")
    row = repo.get(session, body.certificate_id)
    if row is None:
        raise NotFound(
            "no such certificate",
            errors=[FieldError("/certificate_id", "not_found", f"no certificate {body.certificate_id}")],
        )
    authority = row.issuing_country or row.exporter_country or row.origin_country
    if not authority or authority == "KR":
        raise ValidationFailed(
            "the certificate names no foreign issuing or exporting country to send the request to",
            errors=[
                FieldError("/certificate_id", "no_authority", "no issuing or exporting country on record")
            ],
        )
    if body.line_number is not None and body.declaration_id is None:
        raise ValidationFailed(
            "a line number needs its declaration",
            errors=[FieldError("/declaration_id", "required", "the declaration the line belongs to")],
        )
    case = repo.add_case(
        session,
        OriginVerificationCase(
            certificate_id=row.id,
            declaration_id=body.declaration_id,
            line_number=body.line_number,
            status="open",
            authority_country=authority,
            grounds=body.grounds,
            questions=list(body.questions),
            opened_by=principal.user_id,
            opened_at=now,
        ),
    )
    record(
        session,
        actor=actor,
        subject_type=CASE_SUBJECT,
        subject_id=case.id,
        action="opened",
        at=now,
        reason=body.grounds,
        data={"certificate_id": row.id, "reference": row.reference, "authority_country": authority},
    )
    return case


def _advance(session: Session, case_id: int, action: str) -> OriginVerificationCase:
    case = repo.get_case(session, case_id, for_update=True)
    if case is None:
        raise NotFound("no such verification case")
    before, _ = CASE_STEPS[action]
    if case.status != before:
        raise Conflict(
            f"the case is {case.status}: it can be {action}{'ed' if action != 'send' else ''} only when {before}",
            status=case.status,
        )
    return case


def send_case(
    session: Session, case_id: int, document: Any, *, principal: Principal, now: datetime
) -> OriginVerificationCase:
    actor = _officer(principal)
    body: CaseSentIn = parse(CaseSentIn, document, "request")
    case = _advance(session, case_id, "send")
    case.status, case.sent_at, case.sent_reference = "sent", now, body.sent_reference
    record(
        session,
        actor=actor,
        subject_type=CASE_SUBJECT,
        subject_id=case.id,
        action="sent",
        at=now,
        data={"sent_reference": body.sent_reference, "authority_country": case.authority_country},
    )
    session.flush()
    return case


def answer_case(
    session: Session,
    case_id: int,
    document: Any,
    *,
    principal: Principal,
    now: datetime,
    declarations: DeclarationService,
) -> OriginVerificationCase:
    """Record the authority's answer. A denial withdraws the certificate and re-assesses, through an amendment
    by the officer, every declaration whose current version draws on it and that can still be amended (the
    preference is refused on the new version); one already paid is listed for post-clearance recovery."""
    actor = _officer(principal)
    body: CaseAnswerIn = parse(CaseAnswerIn, document, "answer")
    case = _advance(session, case_id, "answer")
    case.status, case.answered_at, case.result, case.answer = "answered", now, body.result, body.answer
    outcome: dict[str, Any] = {"certificate_withdrawn": False, "reassessed": [], "to_recover": []}
    if body.result == "denied":
        row = repo.get(session, case.certificate_id)
        assert row is not None
        reason = f"origin verification case {case.id} denied by the {case.authority_country} authority: {body.answer}"
        affected = repo.certificate_declarations(session, row.id)
        withdraw(session, row.id, principal=principal, reason=reason, now=now)
        outcome["certificate_withdrawn"] = True
        outcome["reassessed"], outcome["to_recover"] = _reassess(
            session, declarations, affected, actor=actor, principal=principal, reason=reason, now=now
        )
    case.outcome = outcome
    record(
        session,
        actor=actor,
        subject_type=CASE_SUBJECT,
        subject_id=case.id,
        action="answered",
        at=now,
        reason=body.answer,
        data={"result": body.result, **outcome},
    )
    session.flush()
    return case


def _reassess(
    session: Session,
    declarations: DeclarationService,
    declaration_ids: list[int],
    *,
    actor: Actor,
    principal: Principal,
    reason: str,
    now: datetime,
) -> tuple[list[dict[str, Any]], list[int]]:
    from clearway.declaration import repository as declaration_repo
    from clearway.declaration.lifecycle import Party

    reassessed, to_recover = [], []
    for declaration_id in declaration_ids:
        declaration = declaration_repo.get(session, declaration_id)
        assert declaration is not None
        if declaration.status not in REASSESSABLE:
            to_recover.append(declaration_id)
            continue
        old = declaration_repo.version(session, declaration_id, declaration.current_version)
        assert old is not None
        version = declarations.amended(
            session,
            declaration,
            old,
            DeclarationContent.model_validate(old.content),
            actor=actor,
            party=Party.OFFICER,
            user_id=principal.user_id,
            reason=f"re-assessed: {reason}",
            now=now,
            ex_officio=True,
        )
        reassessed.append(
            {
                "declaration_id": declaration_id,
                "version": version.version,
                "total_due_krw": None
                if declaration.total_due_krw is None
                else str(declaration.total_due_krw),
            }
        )
    return reassessed, to_recover


def close_case(
    session: Session, case_id: int, document: Any, *, principal: Principal, now: datetime
) -> OriginVerificationCase:
    actor = _officer(principal)
    body: CaseCloseIn = parse(CaseCloseIn, document, "request")
    case = _advance(session, case_id, "close")
    case.status, case.closed_at = "closed", now
    record(
        session,
        actor=actor,
        subject_type=CASE_SUBJECT,
        subject_id=case.id,
        action="closed",
        at=now,
        reason=body.note,
    )
    session.flush()
    return case


def get_case(session: Session, case_id: int, principal: Principal) -> OriginVerificationCase:
    principal.require_role(Role.OFFICER, Role.ADMIN)
    case = repo.get_case(session, case_id)
    if case is None:
        raise NotFound("no such verification case")
    return case


def list_cases(
    session: Session,
    principal: Principal,
    *,
    status: str | None,
    certificate_id: int | None,
    declaration_id: int | None = None,
) -> list[OriginVerificationCase]:
    principal.require_role(Role.OFFICER, Role.ADMIN)
    return repo.cases(session, status=status, certificate_id=certificate_id, declaration_id=declaration_id)


# ------------------------------------------------------------------------------------------ the trader's view
# The declarant sees where a verification of its certificate stands and what it changed for its declaration —
# not the officer's grounds, questions, the authority's wording or the request's reference, nor what the
# denial did to other declarations.


def trader_case_read(case: OriginVerificationCase, declaration_id: int) -> dict[str, Any]:
    outcome = case.outcome or {}
    reassessed = next(
        (r for r in outcome.get("reassessed") or [] if r.get("declaration_id") == declaration_id), None
    )
    return {
        "id": case.id,
        "declaration_id": declaration_id,
        "line_number": case.line_number if case.declaration_id == declaration_id else None,
        "certificate_id": case.certificate_id,
        "status": case.status,
        "authority_country": case.authority_country,
        "result": case.result,
        "opened_at": case.opened_at.isoformat(),
        "sent_at": case.sent_at.isoformat() if case.sent_at else None,
        "answered_at": case.answered_at.isoformat() if case.answered_at else None,
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
        "outcome": None
        if case.outcome is None
        else {
            "certificate_withdrawn": bool(outcome.get("certificate_withdrawn")),
            "reassessed_as_version": reassessed["version"] if reassessed else None,
            "to_recover": declaration_id in (outcome.get("to_recover") or []),
        },
    }


def declaration_cases(session: Session, principal: Principal, declaration_id: int) -> list[dict[str, Any]]:
    """The verification cases about a declaration the principal may see (the caller checked that): customs
    see the whole case, the declarant its view of it."""
    found = repo.declaration_cases(session, declaration_id)
    if principal.is_customs:
        return [case_read(c) for c in found]
    return [trader_case_read(c, declaration_id) for c in found]
