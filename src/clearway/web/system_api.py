"""Health and version."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from clearway import __version__
from clearway.web.deps import RuntimeDep, SessionDep

router = APIRouter(tags=["system"])


@router.get("/health", summary="Liveness and database reachability")
def health(session: SessionDep, runtime: RuntimeDep) -> dict[str, object]:
    session.execute(text("SELECT 1"))
    return {
        "status": "ok",
        "version": __version__,
        "database": runtime.engine.dialect.name,
        "time": runtime.clock().isoformat(),
    }
