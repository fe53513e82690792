"""Issuing and verifying trade documents: gathers a declaration's facts, builds the document (``core``),
renders it (``pdf``), keeps the exact file under its verification code, and answers anyone who checks one.

Issuing is idempotent: the same content gives the same code and returns the document issued before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from clearway.audit.service import events_for, record
from clearway.clock import KOREA, korea_date
from clearway.declaration.models import Declaration
from clearway.declaration.release_time import stage_times
from clearway.declaration.service import DeclarationService, actor_of
from clearway.declaration.transitions import SUBJECT
from clearway.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from clearway.identity.core import Principal, Scope
from clearway.identity.models import Company
from clearway.payment import service as payments
from clearway.records import core, pdf
from clearway.records.models import IssuedDocument

RELEASED_IMPORT = frozenset({"released"})
CLEARED_EXPORT = frozenset({"accepted", "paid", "released"})
STATEMENT_STATUSES = ("accepted", "paid", "released")


@dataclass(frozen=True, slots=True)
class Issuer:
    key: bytes
    public_url: str  # where the verification page is served, e.g. https://clearway.example

    def verify_url(self, code: str) -> str:
        return f"{self.public_url.rstrip('/')}/verify?code={code}"


def _issue(
    session: Session,
    issuer: Issuer,
    principal: Principal,
    document: core.Document,
    *,
    now: datetime,
    declaration_id: int | None = None,
    company_id: int | None = None,
    period: str | None = None,
) -> IssuedDocument:
    code = core.verification_code(issuer.key, document)
    existing = session.scalar(select(IssuedDocument).where(IssuedDocument.code == code))
    if existing is not None:
        return existing
    data = pdf.render(document, code, issuer.verify_url(code))
    row = IssuedDocument(
        code=code,
        kind=document.kind.value,
        number=document.number,
        declaration_id=declaration_id,
        company_id=company_id,
        period=period,
        content_sha256=core.sha256(document.canonical()),
        file_sha256=core.sha256(data),
        content=document.as_dict(),
        pdf=data,
        issued_at=now,
        issued_by=principal.user_id,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor=actor_of(principal),
        subject_type="document",
        subject_id=row.id,
        action="issue_document",
        at=now,
        data={"kind": row.kind, "number": row.number, "code": code, "file_sha256": row.file_sha256},
    )
    return row


def _clearance(service: DeclarationService, session: Session, declaration: Declaration) -> core.Clearance:
    events = [(e.action, e.occurred_at) for e in events_for(session, SUBJECT, declaration.id)]
    first: dict[str, datetime] = {}
    for action, when in events:
        first.setdefault(action, when)
    stages = stage_times(events, arrival=declaration.arrival_date, tz=KOREA)
    return core.Clearance(
        declaration_id=declaration.id,
        version=declaration.current_version,
        status=declaration.status,
        lane=declaration.lane,
        filed_on=declaration.filed_on,
        filed_at=declaration.filed_at,
        accepted_at=first.get("accept"),
        released_at=first.get("release"),
        release_stages=tuple((s.stage, s.seconds / 3600) for s in stages),
    )


def certificate(
    session: Session,
    service: DeclarationService,
    issuer: Issuer,
    principal: Principal,
    declaration_id: int,
    *,
    now: datetime,
) -> IssuedDocument:
    """수입신고필증 for a released import, 수출신고필증 for an accepted export."""
    filing = service.get(session, principal, declaration_id)
    declaration, version = filing.declaration, filing.version
    allowed = RELEASED_IMPORT if declaration.kind == "import" else CLEARED_EXPORT
    if declaration.status not in allowed:
        raise Conflict(
            f"a certificate is issued for a {'released import' if declaration.kind == 'import' else 'accepted export'};"
            f" this declaration is {declaration.status}"
        )
    document = core.certificate(
        _clearance(service, session, declaration),
        version.content,
        version.assessment,
        issued_on=korea_date(now),
    )
    return _issue(session, issuer, principal, document, now=now, declaration_id=declaration.id)


def receipt(
    session: Session,
    service: DeclarationService,
    issuer: Issuer,
    principal: Principal,
    declaration_id: int,
    *,
    now: datetime,
) -> IssuedDocument:
    filing = service.get(session, principal, declaration_id)
    declaration, version = filing.declaration, filing.version
    paid = [
        core.Paid(r.payment_number, Decimal(r.amount_krw), r.bank_reference, r.bank_paid_at)
        for r in payments.receipts(session, declaration.id)
        if r.accepted
    ]
    if not paid:
        raise Conflict(f"no payment has been received for declaration {declaration_id}")
    figures = []
    for line in (version.assessment or {}).get("lines", []):
        for figure in line.get("figures", []):
            figures.append(
                (
                    f"란{line.get('line_number')} {figure.get('name_ko', '')}",
                    str(figure.get("name", "")),
                    Decimal(str(figure.get("amount_krw") or 0)),
                    str(figure.get("legal_basis", "")),
                )
            )
    content = version.content
    payer = content.get("importer") or content.get("exporter") or content.get("declarant")
    document = core.receipt(
        core.declaration_number(declaration.id, declaration.filed_on),
        payer,
        declaration.total_due_krw,
        paid,
        figures,
        issued_on=korea_date(now),
    )
    return _issue(session, issuer, principal, document, now=now, declaration_id=declaration.id)


def statement(
    session: Session,
    service: DeclarationService,
    issuer: Issuer,
    principal: Principal,
    period: str,
    *,
    now: datetime,
    company_id: int | None = None,
) -> IssuedDocument:
    """A company's declarations accepted in a month (by filing date) with what was due and paid."""
    principal.require_scope(Scope.DECLARATIONS_READ)
    bounds = core.parse_period(period)
    if bounds is None:
        raise ValidationFailed(
            "a period is written YYYY-MM", errors=[FieldError("/period", "bad_period", "YYYY-MM")]
        )
    target = company_id if principal.is_customs and company_id else principal.company_id
    if target is None or not principal.sees_company(target):
        raise Forbidden("a statement is issued to a company's account, or by customs for a company")
    company = session.get(Company, target)
    if company is None:
        raise NotFound(f"no company {target}")
    rows = session.scalars(
        select(Declaration)
        .where(
            or_(Declaration.party_company_id == target, Declaration.filer_company_id == target),
            Declaration.filed_on >= bounds[0],
            Declaration.filed_on < bounds[1],
            Declaration.status.in_(STATEMENT_STATUSES),
        )
        .order_by(Declaration.filed_on, Declaration.id)
    ).all()
    lines = []
    for d in rows:
        if d.party_company_id is not None and d.party_company_id != target:
            continue  # filed by this company as a broker for another: the client's statement carries it
        filing = service.get(session, principal, d.id)
        duty = taxes = Decimal(0)
        for line in (filing.version.assessment or {}).get("lines", []):
            duty += Decimal(str(line.get("duty_krw") or 0))
            taxes += Decimal(str(line.get("taxes_krw") or 0))
        paid = sum(
            (Decimal(r.amount_krw) for r in payments.receipts(session, d.id) if r.accepted), Decimal(0)
        )
        lines.append(
            core.StatementLine(
                core.declaration_number(d.id, d.filed_on),
                d.filed_on,
                d.status,
                d.kind,
                duty,
                taxes,
                Decimal(d.total_due_krw or 0),
                paid,
            )
        )
    document = core.statement(
        {"name": company.name, "brn": company.brn}, period, lines, issued_on=korea_date(now)
    )
    return _issue(session, issuer, principal, document, now=now, company_id=target, period=period)


def download(session: Session, principal: Principal, code: str) -> IssuedDocument:
    """An issued document's file, for the company it concerns or customs."""
    principal.require_scope(Scope.DECLARATIONS_READ)
    normal = core.normalise_code(code)
    row = session.scalar(select(IssuedDocument).where(IssuedDocument.code == normal)) if normal else None
    if row is None:
        raise NotFound(f"no document {code}")
    company = row.company_id
    if row.declaration_id is not None:
        declaration = session.get(Declaration, row.declaration_id)
        if declaration is not None and (
            principal.sees_company(declaration.filer_company_id)
            or principal.sees_company(declaration.party_company_id)
        ):
            return row
    elif principal.sees_company(company):
        return row
    raise NotFound(f"no document {code}")


def verify(session: Session, code: str | None, data: bytes | None = None) -> dict[str, Any]:
    """What anyone may learn: whether a code was issued (and of what kind, when), and whether a file is the
    exact one issued. Nothing of the document's content is returned."""
    normal = core.normalise_code(code) if code else None
    row = None
    if normal:
        row = session.scalar(select(IssuedDocument).where(IssuedDocument.code == normal))
    digest = core.sha256(data) if data else None
    if row is None and digest is not None and not code:
        row = session.scalar(select(IssuedDocument).where(IssuedDocument.file_sha256 == digest))
    answer: dict[str, Any] = {"code": normal or code, "genuine": row is not None}
    if row is not None:
        answer.update(kind=row.kind, issued_on=row.issued_at.date().isoformat(), code=row.code)
    if digest is not None:
        answer["file_checked"] = True
        answer["unchanged"] = bool(row is not None and row.file_sha256 == digest)
    return answer


def issued_for(session: Session, declaration_id: int) -> list[IssuedDocument]:
    return list(
        session.scalars(
            select(IssuedDocument)
            .where(IssuedDocument.declaration_id == declaration_id)
            .order_by(IssuedDocument.id)
        )
    )


def document_key(secret_key: str) -> bytes:
    return core.verification_key(secret_key)
