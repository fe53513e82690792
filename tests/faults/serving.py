"""A real `clearway serve` process on a scratch PostgreSQL database, for the fault tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select, text

from clearway.audit import service as audit
from clearway.config import Settings
from clearway.declaration.models import Declaration
from clearway.demo.run import seed
from clearway.migrate import upgrade
from clearway.runtime import Runtime, build_runtime
from clearway.tariff.service import load_demo_tariff
from clearway.uow import unit_of_work

SECRET = "fault-tests-secret-key-that-is-long-enough-0123456789"
TRADER = {"username": "trader", "password": "trader-demo-2026"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(url: str, home: Path) -> Runtime:
    """Migrate, seed the demo parties and the demo tariff; the runtime the test inspects the database with."""
    upgrade(url)
    runtime = build_runtime(Settings(home=home, database_url=url, inprocess_worker=False, secret_key=SECRET))
    with unit_of_work(runtime.sessions) as session:
        seed(session, runtime)
        load_demo_tariff(session, now=runtime.clock())
    return runtime


class Server:
    """``clearway serve`` as a subprocess: started, killed, restarted on the same port."""

    def __init__(self, url: str, home: Path, workers: int = 1) -> None:
        self.port = free_port()
        self.workers = workers
        self.log = Path(os.environ.get("CLEARWAY_FAULT_LOG_DIR", home)) / f"server-{self.port}.log"
        self.env = {
            **os.environ,
            "CLEARWAY_DATABASE_URL": url,
            "CLEARWAY_HOME": str(home),
            "CLEARWAY_SECRET_KEY": SECRET,
            "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
        }
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1"

    def start(self, timeout: float = 180) -> None:
        command = [sys.executable, "-m", "clearway.cli.main", "serve", "--port", str(self.port)]
        command += ["--workers", str(self.workers)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.base}/health/ready", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the server was not ready in {timeout} s: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, transactions in flight die with their connections."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)  # the server and its worker processes, if any
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)

    def token(self) -> dict[str, str]:
        response = httpx.post(f"{self.base}/auth/token", json=TRADER, timeout=60)
        response.raise_for_status()
        return {"Authorization": f"Bearer {response.json()['token']}"}


def declaration_counts(runtime: Runtime) -> tuple[int, int]:
    """(declarations, distinct declarant references) of the demo trader's company."""
    with runtime.sessions() as session:
        total = session.scalar(select(func.count(Declaration.id)))
        distinct = session.scalar(select(func.count(func.distinct(Declaration.declarant_reference))))
    return int(total or 0), int(distinct or 0)


def audit_intact(runtime: Runtime) -> Any:
    with runtime.sessions() as session:
        verification = audit.verify(session)
    assert verification.intact, verification.findings[:5]
    return verification


def terminate_backends(admin_url: str, database: str) -> int:
    """Terminate every connection to ``database`` but the caller's own; how many were cut."""
    from sqlalchemy import create_engine

    from clearway.db import normalise_url

    engine = create_engine(normalise_url(admin_url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            return int(
                conn.scalar(
                    text(
                        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": database},
                )
                or 0
            )
    finally:
        engine.dispose()
