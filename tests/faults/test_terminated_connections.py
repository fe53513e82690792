"""The database connections terminated (pg_terminate_backend) while a client files: every failure is a 503
problem+json with Retry-After (never a 500), the retry succeeds, the service recovers by itself, and every
declaration is stored exactly once with the audit chain intact."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from benchmarks.filing import documents
from tests.faults.serving import Server, audit_intact, declaration_counts, terminate_backends

pytestmark = [pytest.mark.fault, pytest.mark.slow]

PER_REQUEST = 20
REQUESTS = 24
CUT_REQUESTS = range(0, REQUESTS // 2, 2)  # every other request of the first half: its connections are cut
CUT_AFTER_SECONDS = 0.1  # into the request: the batch is being filed


def test_cut_connections_give_503_with_retry_after_and_the_service_recovers(scratch_pg):
    docs = documents(PER_REQUEST * REQUESTS, "cut")
    chunks = [docs[i : i + PER_REQUEST] for i in range(0, len(docs), PER_REQUEST)]
    server = Server(scratch_pg.url, scratch_pg.home)
    server.start()
    statuses: list[list[int]] = []  # per request: the status of each attempt
    unavailable: list[httpx.Response] = []
    cut = 0

    def cut_soon() -> None:
        nonlocal cut
        time.sleep(CUT_AFTER_SECONDS)
        cut += terminate_backends(scratch_pg.url, scratch_pg.name)

    try:
        headers = server.token()
        with httpx.Client(headers=headers, timeout=60) as http:
            for n, chunk in enumerate(chunks):
                attempts: list[int] = []
                statuses.append(attempts)
                for attempt in range(20):
                    cutter = threading.Thread(target=cut_soon) if n in CUT_REQUESTS and attempt == 0 else None
                    if cutter:
                        cutter.start()
                    response = http.post(f"{server.base}/declarations:batch", json={"declarations": chunk})
                    if cutter:
                        cutter.join()
                    attempts.append(response.status_code)
                    if response.status_code != 503:
                        break
                    unavailable.append(response)
                    time.sleep(float(response.headers["retry-after"]))
                assert response.status_code == 200, response.text[:500]
                assert response.json()["failed"] == 0
        assert httpx.get(f"{server.base}/health/ready", timeout=10).status_code == 200
    finally:
        server.stop()
    assert all(set(a) <= {200, 503} for a in statuses), statuses  # never a 500
    assert cut > 0 and unavailable, ("no request in flight was cut", statuses)
    for response in unavailable:
        assert response.headers["content-type"].startswith("application/problem+json")
        assert int(response.headers["retry-after"]) >= 1
        assert response.json()["type"].endswith("/database-unavailable")
    # one retry was enough each time, and once the cutting stopped every request succeeded at once
    assert all(len(a) <= 2 for a in statuses), statuses
    assert statuses[REQUESTS // 2 :] == [[200]] * (REQUESTS - REQUESTS // 2)
    assert declaration_counts(scratch_pg.runtime) == (len(docs), len(docs))
    assert audit_intact(scratch_pg.runtime).events_checked > 0
