"""Companies and mandates: who files for whom. Thin: parse, call the service, shape the answer."""

from __future__ import annotations

from fastapi import APIRouter

from clearway.clock import korea_date
from clearway.identity.core import Scope
from clearway.identity.models import Company
from clearway.party import repository as repo
from clearway.party import service
from clearway.party.models import Mandate
from clearway.party.schemas import (
    ClientRead,
    CompanyCreate,
    CompanyRead,
    CustomsCodeUpdate,
    MandateCreate,
    MandateRead,
    MandateRevoke,
)
from clearway.web.deps import PrincipalDep, ResourceId, RuntimeDep, SessionDep

router = APIRouter(prefix="/parties", tags=["parties"])


def company_read(c: Company) -> CompanyRead:
    return CompanyRead(id=c.id, name=c.name, kind=c.kind, brn=c.brn, customs_code=c.customs_code)


def mandate_read(m: Mandate) -> MandateRead:
    return MandateRead(
        id=m.id,
        broker_company_id=m.broker_company_id,
        client_company_id=m.client_company_id,
        scope=m.scope,
        valid_from=m.valid_from,
        valid_to=m.valid_to,
        revoked_on=m.revoked_on,
        revoke_reason=m.revoke_reason,
    )


@router.get("/companies", response_model=list[CompanyRead], summary="Registered companies (administrators)")
def companies(principal: PrincipalDep, session: SessionDep) -> list[CompanyRead]:
    principal.require_scope(Scope.USERS_ADMIN)
    return [company_read(c) for c in repo.companies(session)]


@router.post("/companies", response_model=CompanyRead, status_code=201, summary="Register a company")
def register(
    body: CompanyCreate, principal: PrincipalDep, session: SessionDep, runtime: RuntimeDep
) -> CompanyRead:
    created = service.register_company(
        session,
        principal,
        name=body.name,
        kind=body.kind,
        brn=body.brn,
        customs_code=body.customs_code,
        now=runtime.clock(),
    )
    return company_read(created)


@router.put(
    "/companies/{company_id}/customs-code", response_model=CompanyRead, summary="Set a company's 통관고유부호"
)
def customs_code(
    company_id: ResourceId,
    body: CustomsCodeUpdate,
    principal: PrincipalDep,
    session: SessionDep,
    runtime: RuntimeDep,
) -> CompanyRead:
    return company_read(
        service.set_customs_code(session, principal, company_id, body.customs_code, now=runtime.clock())
    )


@router.get("/mandates", response_model=list[MandateRead], summary="Mandates this company gives or holds")
def mandates(principal: PrincipalDep, session: SessionDep) -> list[MandateRead]:
    if Scope.USERS_ADMIN not in principal.scopes:
        principal.require_scope(Scope.DECLARATIONS_READ)
    return [mandate_read(m) for m in service.visible_mandates(session, principal)]


@router.post(
    "/mandates",
    response_model=MandateRead,
    status_code=201,
    summary="Record a broker's mandate (the client company or an administrator)",
)
def record(
    body: MandateCreate, principal: PrincipalDep, session: SessionDep, runtime: RuntimeDep
) -> MandateRead:
    mandate = service.record_mandate(
        session,
        principal,
        broker_company_id=body.broker_company_id,
        client_company_id=body.client_company_id,
        scope=body.scope,
        valid_from=body.valid_from,
        valid_to=body.valid_to,
        now=runtime.clock(),
    )
    return mandate_read(mandate)


@router.post(
    "/mandates/{mandate_id}/revoke", response_model=MandateRead, summary="Revoke a mandate from today"
)
def revoke(
    mandate_id: ResourceId,
    body: MandateRevoke,
    principal: PrincipalDep,
    session: SessionDep,
    runtime: RuntimeDep,
) -> MandateRead:
    now = runtime.clock()
    mandate = service.revoke_mandate(
        session, principal, mandate_id, reason=body.reason, on=korea_date(now), now=now
    )
    return mandate_read(mandate)


@router.get(
    "/clients",
    response_model=list[ClientRead],
    summary="Whom the signed-in company may file for today (itself, or a broker's mandated clients)",
)
def clients(principal: PrincipalDep, session: SessionDep, runtime: RuntimeDep) -> list[ClientRead]:
    principal.require_scope(Scope.DECLARATIONS_WRITE)
    today = runtime.today()
    return [
        ClientRead(id=a.id, name=a.name, brn=a.brn) for a in service.clients_on(session, principal, today)
    ]
