"""Health and readiness, for a load balancer or an orchestrator.

* ``GET /health/live`` — the process is up and answers (no dependency is touched): restart it when this fails.
* ``GET /health/ready`` — this process can serve requests now: the database answers within a short timeout,
  its schema is at the migrations' head, the served models finished loading, and (production mode, a broker
  configured) RabbitMQ accepts a connection. 503 problem+json naming each failing dependency otherwise: take the
  process out of rotation, do not restart it.
* ``GET /health`` — the older probe (database reachable), kept as it was.
"""

from __future__ import annotations

import os
import socket
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from sqlalchemy import inspect, text

from clearway import __version__
from clearway.errors import ServiceUnavailable
from clearway.runtime import Runtime
from clearway.web.deps import RuntimeDep, SessionDep
from clearway.web.problems import problem_response

router = APIRouter(tags=["system"])

CHECK_TIMEOUT_SECONDS = 2.0
RETRY_AFTER_SECONDS = 5


@router.get("/health", summary="Liveness and database reachability")
def health(session: SessionDep, runtime: RuntimeDep) -> dict[str, object]:
    session.execute(text("SELECT 1"))
    return {
        "status": "ok",
        "version": __version__,
        "database": runtime.engine.dialect.name,
        "time": runtime.clock().isoformat(),
    }


@router.get("/health/live", summary="The process is up (touches no dependency)")
async def live() -> dict[str, object]:
    return {"status": "live", "version": __version__, "pid": os.getpid()}


@dataclass(frozen=True, slots=True)
class Check:
    ok: bool
    detail: str

    def as_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "detail": self.detail}


# Database checks run on their own threads so a hung connection attempt cannot hold the probe past its timeout;
# at most a few are ever outstanding.
_checks = ThreadPoolExecutor(max_workers=2, thread_name_prefix="readiness")
_heads: tuple[str, ...] | None = None
_heads_lock = threading.Lock()


def _migration_heads() -> tuple[str, ...]:
    global _heads
    with _heads_lock:
        if _heads is None:
            from alembic.script import ScriptDirectory

            from clearway.migrate import alembic_config

            _heads = tuple(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())
        return _heads


def _schema_revisions(runtime: Runtime) -> tuple[str, ...]:
    with runtime.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
        if not inspect(connection).has_table("alembic_version"):
            return ()
        return tuple(connection.scalars(text("SELECT version_num FROM alembic_version")))


def database_checks(runtime: Runtime, timeout: float = CHECK_TIMEOUT_SECONDS) -> dict[str, Check]:
    future: Future[tuple[str, ...]] = _checks.submit(_schema_revisions, runtime)
    try:
        revisions = future.result(timeout=timeout)
    except FutureTimeout:
        future.cancel()
        unknown = Check(False, "not checked: the database did not answer")
        return {"database": Check(False, f"no answer within {timeout:g} s"), "migrations": unknown}
    except Exception as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0][:200]
        unknown = Check(False, "not checked: the database is not reachable")
        return {"database": Check(False, f"not reachable: {reason}"), "migrations": unknown}
    database = Check(True, runtime.engine.dialect.name)
    heads = _migration_heads()
    missing = sorted(set(heads) - set(revisions))
    if missing:
        detail = (
            f"schema at {', '.join(sorted(revisions)) or 'nothing'}; run `clearway db upgrade` to reach head"
        )
        return {"database": database, "migrations": Check(False, detail)}
    return {"database": database, "migrations": Check(True, "at head")}


def models_check(request: Request) -> Check:
    warmup = getattr(request.app.state, "model_warmup", None)
    if isinstance(warmup, threading.Thread) and warmup.is_alive():
        return Check(False, "the classification model is still loading")
    return Check(True, "loaded (or none served)")


def broker_check(broker_url: str | None, timeout: float = CHECK_TIMEOUT_SECONDS) -> Check | None:
    """RabbitMQ accepts a TCP connection (production mode only: without a broker events stay in-process)."""
    if not broker_url:
        return None
    parts = urlsplit(broker_url)
    host = parts.hostname or "localhost"
    port = parts.port or (5671 if parts.scheme == "amqps" else 5672)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return Check(True, f"{host}:{port} reachable")
    except OSError as error:
        return Check(False, f"{host}:{port} not reachable: {error}")


@router.get(
    "/health/ready",
    summary="Ready to serve: database, migrations at head, models loaded, broker (when configured)",
    responses={503: {"description": "A dependency is failing: each check with its reason"}},
)
def ready(request: Request, runtime: RuntimeDep) -> Any:
    checks = database_checks(runtime)
    checks["models"] = models_check(request)
    broker = broker_check(runtime.settings.broker_url)
    if broker is not None:
        checks["broker"] = broker
    failing = [name for name, check in checks.items() if not check.ok]
    body = {name: check.as_dict() for name, check in checks.items()}
    if not failing:
        return {"status": "ready", "version": __version__, "checks": body}
    problem = ServiceUnavailable(
        "not ready: " + "; ".join(f"{name} — {checks[name].detail}" for name in failing),
        failing=failing,
        checks=body,
    ).to_problem(instance=request.url.path)
    return problem_response(problem, {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"})
