"""Registering companies, recording and revoking broker mandates, and binding a filing's parties to accounts.

Every change is audited; functions flush, never commit.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from clearway.audit.service import Actor, record
from clearway.declaration.content import DeclarationContent, DeclarationKind
from clearway.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from clearway.identity import service as identity
from clearway.identity.core import Principal, Role, Scope
from clearway.identity.models import Company
from clearway.party import core
from clearway.party import repository as repo
from clearway.party.core import Account, MandateScope, MandateTerms
from clearway.party.models import Mandate


def actor_of(principal: Principal) -> Actor:
    return Actor(principal.username, principal.user_id)


def account(company: Company) -> Account:
    return Account(company.id, company.name, company.brn, company.kind)


def company(session: Session, company_id: int) -> Company:
    found = session.get(Company, company_id)
    if found is None:
        raise NotFound(f"no company {company_id}")
    return found


# ---- companies ---------------------------------------------------------------------------------------------
def register_company(
    session: Session,
    principal: Principal,
    *,
    name: str,
    kind: str,
    brn: str | None,
    customs_code: str | None,
    now: datetime,
) -> Company:
    principal.require_scope(Scope.USERS_ADMIN)
    brn = core.normalise_brn(brn)
    code = (customs_code or "").strip().upper() or None
    errors = [*core.brn_errors(brn, required=kind in ("trader", "broker")), *core.customs_code_errors(code)]
    if not name.strip():
        errors.append(FieldError("/name", "required", "the company's registered name"))
    if errors:
        raise ValidationFailed("the company cannot be registered", errors=errors)
    if code and repo.company_by_customs_code(session, code):
        raise Conflict(f"a company with customs code {code} exists")
    created = identity.create_company(session, name=name.strip(), kind=kind, brn=brn, now=now)
    created.customs_code = code
    session.flush()
    record(
        session,
        actor=actor_of(principal),
        subject_type="company",
        subject_id=created.id,
        action="register",
        at=now,
        data={"name": created.name, "kind": kind, "brn": brn, "customs_code": code},
    )
    return created


def set_customs_code(
    session: Session, principal: Principal, company_id: int, customs_code: str | None, *, now: datetime
) -> Company:
    principal.require_scope(Scope.USERS_ADMIN)
    target = company(session, company_id)
    code = (customs_code or "").strip().upper() or None
    errors = core.customs_code_errors(code)
    if errors:
        raise ValidationFailed("the customs code is not valid", errors=errors)
    other = repo.company_by_customs_code(session, code) if code else None
    if other is not None and other.id != target.id:
        raise Conflict(f"the customs code {code} belongs to {other.name}")
    before, target.customs_code = target.customs_code, code
    session.flush()
    record(
        session,
        actor=actor_of(principal),
        subject_type="company",
        subject_id=target.id,
        action="set_customs_code",
        at=now,
        data={"from": before, "to": code},
    )
    return target


# ---- mandates ----------------------------------------------------------------------------------------------
def record_mandate(
    session: Session,
    principal: Principal,
    *,
    broker_company_id: int,
    client_company_id: int,
    scope: str,
    valid_from: date,
    valid_to: date | None,
    now: datetime,
) -> Mandate:
    """An administrator records a mandate for any client; a trader only for its own company."""
    if principal.role is not Role.ADMIN:
        principal.require_scope(Scope.DECLARATIONS_WRITE)
        if principal.role is not Role.TRADER or principal.company_id != client_company_id:
            raise Forbidden("a mandate is recorded by the client company or an administrator")
    try:
        kind = MandateScope(scope)
    except ValueError:
        raise ValidationFailed(
            "unknown mandate scope", errors=[FieldError("/scope", "not_allowed", "import, export or both")]
        ) from None
    broker, client = company(session, broker_company_id), company(session, client_company_id)
    errors = core.mandate_errors(account(broker), account(client), valid_from, valid_to)
    if errors:
        raise ValidationFailed("the mandate cannot be recorded", errors=errors)
    mandate = Mandate(
        broker_company_id=broker.id,
        client_company_id=client.id,
        scope=kind.value,
        valid_from=valid_from,
        valid_to=valid_to,
        recorded_by=principal.user_id,
        recorded_at=now,
    )
    session.add(mandate)
    session.flush()
    record(
        session,
        actor=actor_of(principal),
        subject_type="mandate",
        subject_id=mandate.id,
        action="record",
        at=now,
        data={
            "broker": broker.brn,
            "client": client.brn,
            "scope": kind.value,
            "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat() if valid_to else None,
        },
    )
    return mandate


def revoke_mandate(
    session: Session, principal: Principal, mandate_id: int, *, reason: str, on: date, now: datetime
) -> Mandate:
    """Revoked from ``on``: no filing under it from that day. The client, the broker or an administrator."""
    mandate = session.get(Mandate, mandate_id)
    if mandate is None or not _sees(principal, mandate):
        raise NotFound(f"no mandate {mandate_id}")
    if principal.role is not Role.ADMIN:
        principal.require_scope(Scope.DECLARATIONS_WRITE)
    if mandate.revoked_on is not None:
        raise Conflict(f"mandate {mandate_id} was revoked on {mandate.revoked_on.isoformat()}")
    if not reason.strip():
        raise ValidationFailed(
            "a revocation needs a reason", errors=[FieldError("/reason", "required", "why the mandate ends")]
        )
    mandate.revoked_on, mandate.revoked_by, mandate.revoke_reason = on, principal.user_id, reason.strip()
    session.flush()
    record(
        session,
        actor=actor_of(principal),
        subject_type="mandate",
        subject_id=mandate.id,
        action="revoke",
        at=now,
        reason=reason.strip(),
        data={"revoked_on": on.isoformat()},
    )
    return mandate


def _sees(principal: Principal, mandate: Mandate) -> bool:
    return principal.role is Role.ADMIN or principal.company_id in (
        mandate.broker_company_id,
        mandate.client_company_id,
    )


def visible_mandates(session: Session, principal: Principal) -> list[Mandate]:
    if principal.role is Role.ADMIN:
        return repo.mandates(session)
    if principal.company_id is None or principal.is_customs:
        raise Forbidden("mandates are seen by their parties and administrators")
    return repo.mandates(session, principal.company_id)


# ---- binding a filing --------------------------------------------------------------------------------------
def filing_terms(session: Session, principal: Principal) -> tuple[Account, list[MandateTerms]]:
    """The signed-in company and the mandates it holds, loaded once (a batch binds many filings with them)."""
    if principal.company_id is None:
        raise Forbidden("declarations are filed by traders and brokers of a company")
    own = account(company(session, principal.company_id))
    if own.kind != "broker":
        return own, []
    terms = [
        MandateTerms(account(client), m.valid_from, m.valid_to, MandateScope(m.scope), m.revoked_on)
        for m, client in repo.held_mandates(session, own.id)
    ]
    return own, terms


def clients_on(session: Session, principal: Principal, day: date) -> list[Account]:
    """Whom the signed-in company may file for on ``day``: itself (a trader) or its mandated clients."""
    own, terms = filing_terms(session, principal)
    if own.kind != "broker":
        return [own]
    found = {t.client.id: t.client for t in terms if t.valid_on(day, "import") or t.valid_on(day, "export")}
    return sorted(found.values(), key=lambda a: a.name)


def bind_content(
    content: DeclarationContent, signed_in: Account, terms: list[MandateTerms], day: date
) -> tuple[DeclarationContent, int]:
    """The content with the declarant and the importer/exporter filled from their accounts, and the bound
    party's company id; a :class:`ValidationFailed` naming the field when the signed-in company may not
    file it."""
    role = "importer" if content.kind is DeclarationKind.IMPORT else "exporter"
    named = content.importer if content.kind is DeclarationKind.IMPORT else content.exporter
    binding, errors = core.bind(
        kind=content.kind.value,
        role=role,
        signed_in=signed_in,
        named_declarant_brn=content.declarant.brn,
        named_party_brn=named.brn if named else None,
        day=day,
        mandates=terms,
    )
    if binding is None or named is None:
        raise ValidationFailed("the signed-in company may not file this declaration", errors=errors)
    declarant = content.declarant.model_copy(
        update={"name": binding.declarant.name, "brn": binding.declarant.brn}
    )
    party = named.model_copy(update={"name": binding.party.name, "brn": binding.party.brn})
    return content.model_copy(update={"declarant": declarant, role: party}), binding.party.id
