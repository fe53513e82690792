"""The application factory: ``create_app(settings)`` builds everything; nothing happens at import time."""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from clearway import __version__
from clearway.assessment.api import router as assessment_router
from clearway.assistant.api import router as assistant_router
from clearway.cargo.api import router as cargo_router
from clearway.classification import registry as classification_models
from clearway.classification.api import router as classification_router
from clearway.config import Settings, check_production
from clearway.declaration.api import router as declaration_router
from clearway.declaration.content import DeclarationContent
from clearway.filing.api import router as filing_router
from clearway.identity.api import router as identity_router
from clearway.ipr.api import router as ipr_router
from clearway.messaging.api import router as webhook_router
from clearway.messaging.wiring import InProcessWorkers
from clearway.origin.api import router as origin_router
from clearway.parcel.api import router as parcel_router
from clearway.party.api import router as party_router
from clearway.payment.api import router as payment_router
from clearway.receipts.api import router as receipts_router
from clearway.records.api import router as records_router
from clearway.risk.api import router as risk_router
from clearway.runtime import Runtime, build_runtime
from clearway.sme.api import router as sme_router
from clearway.statistics.api import router as statistics_router
from clearway.tariff.api import router as tariff_router
from clearway.traveller.api import router as traveller_router
from clearway.web import problems
from clearway.web.control_characters import reject_control_characters
from clearway.web.limits import BodySizeLimit
from clearway.web.pages import STATIC_DIR
from clearway.web.pages import router as pages_router
from clearway.web.pages.guard import error_page
from clearway.web.retry import RetryReadsOnce
from clearway.web.scopes import require_operation_scope
from clearway.web.system_api import router as system_router

API_PREFIX = "/api/v1"
SWAGGER_PREFIX = "/static-swagger-ui"
# The swagger-ui-dist files inside the swagger-ui-py package (its code is not used, only its static folder).
_SWAGGER_UI = importlib.util.find_spec("swagger_ui")
SWAGGER_UI_DIR = Path(_SWAGGER_UI.origin if _SWAGGER_UI and _SWAGGER_UI.origin else "").parent / "static"


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> FastAPI:
    settings = settings or (runtime.settings if runtime else Settings())
    runtime = runtime or build_runtime(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        relay = (
            InProcessWorkers(settings, runtime.sessions, runtime.clock) if settings.inprocess_worker else None
        )
        if relay:
            relay.start()
        app.state.model_warmup = classification_models.warm_in_background(settings.models_dir)
        yield
        if relay:
            relay.stop()
        runtime.close()

    app = FastAPI(
        title="Clearway",
        version=__version__,
        summary="Electronic customs clearance: declarations, assessment, risk, origin",
        lifespan=lifespan,
        dependencies=[Depends(reject_control_characters)],
        docs_url=None,
    )
    app.state.runtime = runtime
    problems.install(app, html=error_page)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RetryReadsOnce)
    for router in (
        system_router,
        identity_router,
        declaration_router,
        filing_router,
        webhook_router,
        tariff_router,
        assessment_router,
        classification_router,
        origin_router,
        risk_router,
        ipr_router,
        assistant_router,
        payment_router,
        parcel_router,
        party_router,
        cargo_router,
        traveller_router,
        records_router,
        statistics_router,
        sme_router,
        receipts_router,
    ):
        # every operation but the public ones requires its scope (clearway.web.scopes; fails closed)
        scoped = [] if router in (system_router, identity_router) else [Depends(require_operation_scope)]
        app.include_router(
            router, prefix=API_PREFIX, responses=problems.PROBLEM_RESPONSES, dependencies=scoped
        )
    # the probes also at the root, where load balancers look for them (/health/live, /health/ready)
    app.include_router(system_router, include_in_schema=False, responses=problems.PROBLEM_RESPONSES)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _local_docs(app)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _local_docs(app: FastAPI) -> None:
    """``/docs`` from the swagger-ui 5 files of the swagger-ui-py package (Apache-2.0), never a CDN, so it
    works on a closed customs network (swagger-ui 5 renders the OpenAPI 3.1 FastAPI writes)."""
    app.mount(SWAGGER_PREFIX, StaticFiles(directory=SWAGGER_UI_DIR), name="swagger-ui")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} API",
            swagger_js_url=f"{SWAGGER_PREFIX}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER_PREFIX}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER_PREFIX}/favicon-32x32.png",
        )


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = problems.problem_schema()
    declaration = DeclarationContent.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(declaration.pop("$defs", {}))
    components["DeclarationContent"] = declaration
    app.openapi_schema = schema
    return schema


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory clearway.app:app_from_env`` (settings from the environment); refuses
    production mode with an unsafe secret key (:func:`clearway.config.check_production`)."""
    settings = Settings()
    check_production(settings)
    return create_app(settings)
