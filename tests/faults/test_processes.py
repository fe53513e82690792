"""`clearway serve --workers N`: several processes on PostgreSQL, each answering; SIGTERM lets the request in
flight finish; the embedded SQLite default refuses more than one worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import httpx
import pytest

from benchmarks.filing import documents
from tests.faults.serving import Server, audit_intact, declaration_counts

pytestmark = [pytest.mark.fault, pytest.mark.slow]


def test_two_workers_answer_and_sigterm_finishes_the_request_in_flight(scratch_pg):
    server = Server(scratch_pg.url, scratch_pg.home, workers=2)
    server.start()
    assert server.process is not None
    try:
        headers = server.token()
        pids = set()
        for _ in range(200):  # a new connection each time: the kernel spreads them over the workers
            pids.add(httpx.get(f"{server.base}/health/live", timeout=10).json()["pid"])
            if len(pids) == 2:
                break
        assert len(pids) == 2 and server.process.pid not in pids  # two worker processes serve
        docs = documents(300, "term")
        answer: list[httpx.Response] = []
        sender = threading.Thread(
            target=lambda: answer.append(
                httpx.post(
                    f"{server.base}/declarations:batch",
                    json={"declarations": docs},
                    headers=headers,
                    timeout=300,
                )
            )
        )
        sender.start()
        time.sleep(0.5)  # the batch is being filed
        server.process.send_signal(signal.SIGTERM)
        sender.join(timeout=300)
        assert server.process.wait(timeout=120) == 0
    finally:
        server.stop()
    assert answer and answer[0].status_code == 200, answer and answer[0].text[:300]
    assert answer[0].json()["filed"] == len(docs)
    assert declaration_counts(scratch_pg.runtime) == (len(docs), len(docs))
    audit_intact(scratch_pg.runtime)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.base}/health/live", timeout=5)


def test_the_embedded_default_refuses_several_workers(tmp_path):
    env = {**os.environ, "CLEARWAY_HOME": str(tmp_path)}
    env.pop("CLEARWAY_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "clearway.cli.main", "serve", "--workers", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "refusing --workers 2" in result.stderr and "PostgreSQL" in result.stderr
