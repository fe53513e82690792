"""Risk integration fixtures: the real lane selector in the filing steps, and an app with the risk router."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clearway.app import API_PREFIX, create_app
from clearway.declaration.steps import FilingSteps
from clearway.risk import models as _risk_tables  # noqa: F401 — puts the risk tables in the metadata (emptied)
from clearway.risk.api import router as risk_router
from clearway.risk.step import RiskLaneSelector
from clearway.runtime import Runtime


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    return tmp_path / "models"  # Settings(home=tmp_path).models_dir in the runtime fixture


@pytest.fixture
def selector(models_dir: Path, clock) -> RiskLaneSelector:  # type: ignore[no-untyped-def]
    return RiskLaneSelector(models_dir, clock=clock)


@pytest.fixture
def steps(selector: RiskLaneSelector) -> FilingSteps:
    return FilingSteps(lane_selector=selector)


@pytest.fixture
def risk_client(runtime: Runtime) -> Iterator[TestClient]:
    app = create_app(runtime.settings, runtime=runtime)
    if not any(getattr(r, "path", "").startswith(f"{API_PREFIX}/risk") for r in app.routes):
        app.include_router(risk_router, prefix=API_PREFIX)
    runtime.close = lambda: None  # type: ignore[method-assign]
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
