"""The API process killed with SIGKILL in the middle of a 1,000-declaration batch, restarted, the batch re-sent:
exactly 1,000 declarations, none lost, none doubled, the audit chain intact."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from benchmarks.filing import documents
from tests.faults.serving import Server, audit_intact, declaration_counts

pytestmark = [pytest.mark.fault, pytest.mark.slow]

TOTAL, PER_REQUEST = 1000, 100


def test_a_batch_survives_a_killed_server_and_is_filed_exactly_once(scratch_pg):
    docs = documents(TOTAL, "kill")  # each with its own declarant reference: the batch's idempotency key
    chunks = [docs[i : i + PER_REQUEST] for i in range(0, TOTAL, PER_REQUEST)]
    server = Server(scratch_pg.url, scratch_pg.home)
    server.start()
    try:
        headers = server.token()
        accepted: dict[str, int] = {}  # reference → declaration id, as answered before the kill
        answered = threading.Event()
        failures: list[str] = []

        def file_until_killed() -> None:
            with httpx.Client(headers=headers, timeout=60) as http:
                for n, chunk in enumerate(chunks):
                    try:
                        response = http.post(
                            f"{server.base}/declarations:batch", json={"declarations": chunk}
                        )
                    except httpx.HTTPError:
                        return  # the server died under this request
                    if response.status_code != 200:
                        failures.append(response.text[:300])
                        return
                    for doc, result in zip(chunk, response.json()["results"], strict=True):
                        assert result["status"] == 201, result
                        accepted[doc["declarant_reference"]] = result["declaration"]["id"]
                    if n == 2:
                        answered.set()

        client = threading.Thread(target=file_until_killed)
        client.start()
        assert answered.wait(timeout=300), failures
        time.sleep(0.15)  # the fourth request is in flight
        server.kill()
        client.join(timeout=60)
        assert not failures
        assert PER_REQUEST * 3 <= len(accepted) < TOTAL, "the kill must land in the middle of the batch"
        assert declaration_counts(scratch_pg.runtime)[0] < TOTAL

        server.start()  # restarted on the same database and port
        headers = server.token()
        replayed = filed = 0
        with httpx.Client(headers=headers, timeout=120) as http:
            for chunk in chunks:  # the whole batch again, same references
                response = http.post(f"{server.base}/declarations:batch", json={"declarations": chunk})
                assert response.status_code == 200, response.text[:500]
                body = response.json()
                assert body["failed"] == 0, body
                replayed += body["replayed"]
                filed += body["filed"]
                for doc, result in zip(chunk, body["results"], strict=True):
                    reference = doc["declarant_reference"]
                    if reference in accepted:  # answered before the kill: the same declaration, replayed
                        assert (result["status"], result["declaration"]["id"]) == (200, accepted[reference])
    finally:
        server.stop()
    assert replayed >= len(accepted) and replayed + filed == TOTAL
    assert declaration_counts(scratch_pg.runtime) == (TOTAL, TOTAL)
    assert audit_intact(scratch_pg.runtime).events_checked > 0
