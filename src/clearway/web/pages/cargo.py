"""Cargo pages: the arrivals board, a manifest, a bill's page, and the undeclared-cargo list (customs)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request, Response

from clearway.cargo import custody, service
from clearway.cargo import repository as repo
from clearway.cargo.schemas import bill_summary, manifest_summary
from clearway.identity.core import Scope
from clearway.web.deps import ResourceId, RuntimeDep, SessionDep
from clearway.web.pages.guard import PageRoute
from clearway.web.pages.render import render
from clearway.web.pages.security import PagePrincipal

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/cargo")
def board(request: Request, principal: PagePrincipal, session: SessionDep) -> Response:
    principal.require_scope(Scope.CARGO_READ)
    rows = repo.manifests(session, company_id=None if principal.is_customs else principal.company_id or -1)
    counts = repo.risk_counts(session, [r.id for r in rows])
    return render(
        request,
        "cargo/board.html",
        {"rows": [manifest_summary(r, counts[r.id], customs=principal.is_customs) for r in rows]},
    )


@router.get("/cargo/manifests/{manifest_id}")
def manifest_page(
    manifest_id: ResourceId, request: Request, principal: PagePrincipal, session: SessionDep
) -> Response:
    row = service.visible_manifest(session, principal, manifest_id)
    bills = [bill_summary(b, customs=principal.is_customs) for b in repo.houses_of(session, row.id)]
    return render(request, "cargo/manifest.html", {"m": manifest_summary(row), "bills": bills})


@router.get("/cargo/bills/{key}")
def bill_page(
    key: str, request: Request, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    today = runtime.today()
    return render(request, "cargo/bill.html", {"b": custody.bill_view(session, principal, key, today=today)})


@router.get("/cargo/undeclared")
def undeclared_page(
    request: Request,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
    on: date | None = None,
) -> Response:
    day = on or runtime.today()
    return render(
        request,
        "cargo/undeclared.html",
        {"rows": custody.undeclared_cargo(session, principal, on=day), "on": day.isoformat()},
    )
