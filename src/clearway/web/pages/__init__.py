"""The web portal: server-rendered pages (Jinja2 + HTMX) for traders, brokers and customs officers.

``router`` carries every page; ``STATIC_DIR`` is mounted at ``/static`` by the application factory.
"""

from __future__ import annotations

from fastapi import APIRouter

from clearway.web.pages import (
    admin,
    analyst,
    assistant,
    auth,
    certificates,
    classify,
    declaration_form,
    declarations,
    filing,
    ipr,
    mandates,
    officer,
    origin_cases,
    parcel_buyer,
    parcels,
    spreadsheet,
    trade,
)
from clearway.web.pages import cargo as cargo_pages
from clearway.web.pages import travellers as traveller_pages
from clearway.web.pages.render import STATIC_DIR, TEMPLATES_DIR

router = APIRouter(include_in_schema=False)
# filing first: its fixed addresses (/declarations/new, …/amend) before the declaration's own
for _part in (
    auth.router,
    filing.router,
    declaration_form.router,  # /declarations/form, /declarations/drafts before /declarations/{id}
    spreadsheet.router,
    declarations.router,
    officer.router,
    ipr.router,
    certificates.router,
    origin_cases.router,
    assistant.router,
    classify.router,
    admin.router,
    analyst.router,
    mandates.router,
):
    router.include_router(_part)
router.include_router(parcel_buyer.router)  # /parcels/buyer before the parcels' own addresses
router.include_router(parcels.router)
router.include_router(cargo_pages.router)
router.include_router(trade.router)
router.include_router(traveller_pages.router)

__all__ = ["STATIC_DIR", "TEMPLATES_DIR", "router"]
