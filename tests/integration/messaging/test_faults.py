"""Faults against the real broker (CLEARWAY_TEST_AMQP_URL) and the real workers: the broker cut off behind a TCP
proxy while traders keep filing, a relay worker process killed with SIGKILL, a dead webhook endpoint beside a
healthy one. Each test checks that no accepted declaration or event is lost or doubled and that the audit chain
verifies afterwards."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pika
import pytest
from sqlalchemy import func, select

from clearway.audit.service import verify
from clearway.clock import utcnow
from clearway.declaration.models import Declaration
from clearway.messaging.bus import InProcessBus, Message, RabbitMQBus, Topology
from clearway.messaging.destinations import DestinationPolicy
from clearway.messaging.models import OutboxMessage, ProcessedEvent, WebhookJob
from clearway.messaging.outbox import Relay, backlog
from clearway.messaging.reliability import Breaker, RetryPolicy
from clearway.messaging.webhooks import CONSUMER, DECLARATION_TOPICS, WebhookDeliverer
from tests.documents import daehan_declaration, import_declaration
from tests.integration.messaging.helpers import Endpoint, TcpProxy

AMQP = os.environ.get("CLEARWAY_TEST_AMQP_URL", "")
pytestmark = [
    pytest.mark.fault,
    pytest.mark.slow,
    pytest.mark.skipif(not AMQP, reason="CLEARWAY_TEST_AMQP_URL not set"),
]
BATCH = "/api/v1/declarations:batch"
SRC = Path(__file__).resolve().parents[3] / "src"


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.fixture
def topology() -> Iterator[Topology]:
    topo = Topology(prefix=f"fault-{uuid.uuid4().hex[:10]}")
    yield topo
    channel = pika.BlockingConnection(pika.URLParameters(AMQP)).channel()
    topo.delete(channel)
    channel.connection.close()


def file_batch(client, auth, references: list[str], username: str = "trader") -> None:  # type: ignore[no-untyped-def]
    make = import_declaration if username == "trader" else daehan_declaration
    body = {"declarations": [make(r) for r in references]}
    response = client.post(BATCH, json=body, headers=auth(username))
    assert response.status_code == 200, response.text
    assert all(r["status"] == 201 for r in response.json()["results"]), response.text


def declaration_events(runtime) -> list[str]:  # type: ignore[no-untyped-def]
    with runtime.sessions() as session:
        return list(
            session.scalars(
                select(OutboxMessage.key)
                .where(OutboxMessage.topic.like("clearway.declaration.%"))
                .order_by(OutboxMessage.id)
            )
        )


def drain(topology: Topology, consumer: str = "webhooks") -> Counter[str]:
    """Every message left in the consumer's queue, counted by event id (raw deliveries, before any dedup)."""
    bus = RabbitMQBus(AMQP, topology)
    seen: Counter[str] = Counter()
    for message in bus.consume(consumer, inactivity_timeout=2):
        seen[message.key] += 1
    bus.close()
    return seen


def assert_intact(runtime, references: list[str]) -> None:  # type: ignore[no-untyped-def]
    with runtime.sessions() as session:
        filed = Counter(session.scalars(select(Declaration.declarant_reference)))
        assert verify(session).intact
    assert all(filed[r] == 1 for r in references), "a declaration is missing or doubled"


def test_the_broker_cut_off_while_filing_loses_and_doubles_nothing(client, auth, runtime, topology, database):
    """The relay and the webhook consumer reach RabbitMQ through a proxy that is cut while traders keep
    filing; the webhook endpoint fails meanwhile and recovers later."""
    proxy = TcpProxy(("127.0.0.1", 5672))
    via_proxy = AMQP.replace("127.0.0.1:5672", f"127.0.0.1:{proxy.port}")
    endpoint = Endpoint(status=503)
    runtime.settings.allow_http_webhooks = True
    runtime.settings.webhook_allowed_networks = ["127.0.0.1/32"]
    assert (
        client.post("/api/v1/webhooks", json={"url": endpoint.url}, headers=auth("trader")).status_code == 201
    )
    relay = Relay(runtime.sessions, RabbitMQBus(via_proxy, topology), runtime.clock, interval=0.1, batch=50)
    deliverer = WebhookDeliverer(
        runtime.sessions,
        utcnow,
        policy=DestinationPolicy.of(["127.0.0.1/32"]),
        timeout=1.0,
        retry=RetryPolicy(base_seconds=0.3, factor=2, jitter=0.5, max_attempts=3),
        breaker=Breaker(threshold=1000),
    )
    stop = threading.Event()
    deliveries: Counter[str] = Counter()

    def consume(batch: list[Any]) -> None:
        deliveries.update(m.key for m in batch)
        deliverer.consume(batch)

    def webhook_worker() -> None:  # as `clearway worker webhooks` does: reconnect until stopped
        bus = RabbitMQBus(via_proxy, topology)
        while not stop.is_set():
            try:
                bus.consume_batches(CONSUMER, consume, stop=stop.is_set, batch=20, wait=0.2)
            except Exception:
                bus.close()
                stop.wait(0.3)
        bus.close()

    worker = threading.Thread(target=webhook_worker)
    references: list[str] = []
    try:
        relay.start()
        deliverer.start(interval=0.1)
        worker.start()
        for n in range(3):
            batch = [f"CUT-A{n}-{i}" for i in range(10)]
            file_batch(client, auth, batch)
            references += batch
        proxy.cut()
        for n in range(3):  # the broker is unreachable: filing goes on, the outbox keeps the events
            batch = [f"CUT-B{n}-{i}" for i in range(10)]
            file_batch(client, auth, batch)
            references += batch
        time.sleep(1.0)
        events = declaration_events(runtime)
        assert backlog(runtime.sessions) > 0
        with runtime.sessions() as session:
            kept = session.scalar(
                select(func.count()).where(OutboxMessage.published_at.is_(None), OutboxMessage.attempts > 0)
            )
        assert kept, "the relay tried while the broker was away and kept what it could not publish"
        proxy.restore()
        wait_for(lambda: backlog(runtime.sessions) == 0, 120, "the outbox to drain")
        wait_for(lambda: set(deliveries) >= set(events), 120, "every event at the webhook consumer")
        wait_for(
            lambda: _jobs_by_state(runtime).get("pending", 0) == 0, 180, "deliveries to be retried to the end"
        )
    except BaseException:
        deliverer.stop()
        raise
    finally:
        stop.set()
        worker.join(timeout=30)
        relay.stop()
    # each event handled once by the deduplicating consumer, whatever the broker redelivered
    with runtime.sessions() as session:
        processed = Counter(
            session.scalars(select(ProcessedEvent.event_id).where(ProcessedEvent.consumer == CONSUMER))
        )
    assert set(processed) == set(events) and max(processed.values()) == 1
    assert len(events) == len(set(events)) >= 3 * len(references)

    # the endpoint failed all along: retried with backoff, then dead-lettered for the administrator
    assert len(endpoint.received) >= 3 * len(_job_events(runtime))
    assert _jobs_by_state(runtime) == {"dead": len(_job_events(runtime))}
    dead = client.get("/api/v1/webhooks/dead-letters", headers=auth("admin")).json()
    assert sorted(d["event_id"] for d in dead) == sorted(_job_events(runtime))
    endpoint.status = 204
    replayed = client.post("/api/v1/webhooks/dead-letters:replay", headers=auth("admin")).json()
    assert replayed["replayed"] == len(dead)
    try:
        wait_for(lambda: _jobs_by_state(runtime) == {"delivered": len(dead)}, 180, "the replayed deliveries")
    finally:
        deliverer.stop()
    accepted = Counter(endpoint.accepted())
    assert set(accepted) == set(_job_events(runtime)) and max(accepted.values()) == 1
    endpoint.close()
    proxy.close()
    assert_intact(runtime, references)


def _job_events(runtime) -> list[str]:  # type: ignore[no-untyped-def]
    """The events that become webhook jobs (those the disclosure policy shows to filers)."""
    with runtime.sessions() as session:
        return sorted(set(session.scalars(select(WebhookJob.event_id))))


def _jobs_by_state(runtime) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with runtime.sessions() as session:
        rows = session.execute(select(WebhookJob.state, func.count()).group_by(WebhookJob.state))
        return {state: count for state, count in rows}


def _worker(runtime, topology: Topology, *args: str, broker: str = AMQP) -> subprocess.Popen[bytes]:  # type: ignore[no-untyped-def]
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "CLEARWAY_HOME": str(runtime.settings.home),
        "CLEARWAY_DATABASE_URL": runtime.settings.resolved_database_url,
        "CLEARWAY_BROKER_URL": broker,
        "CLEARWAY_BROKER_PREFIX": topology.prefix,
        "CLEARWAY_INPROCESS_WORKER": "false",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "clearway.cli.main", "worker", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def test_a_relay_worker_killed_while_relaying_repeats_at_most_its_batch(client, auth, runtime, topology):
    references = [f"KILL-{i}" for i in range(200)]
    for first in range(0, len(references), 50):
        file_batch(client, auth, references[first : first + 50])
    events = declaration_events(runtime)
    total = backlog(runtime.sessions)
    batch = 10
    # the first relay reaches a slow broker (each confirm 0.2 s late), so the kill lands while it relays
    slow = TcpProxy(("127.0.0.1", 5672), latency=0.2)
    via_slow = AMQP.replace("127.0.0.1:5672", f"127.0.0.1:{slow.port}")
    relaying = ("relay", "--batch", str(batch), "--interval", "0.05", "--lease", "2")
    relay = _worker(runtime, topology, *relaying, broker=via_slow)
    try:
        wait_for(lambda: backlog(runtime.sessions) < total - 2 * batch, 120, "the relay to get going")
        relay.send_signal(signal.SIGKILL)
        relay.wait(timeout=30)
        left = backlog(runtime.sessions)
        assert 0 < left < total, "killed while relaying"
    finally:
        if relay.poll() is None:
            relay.kill()
        slow.cut()
    again = _worker(runtime, topology, *relaying)
    try:
        wait_for(lambda: backlog(runtime.sessions) == 0, 120, "the restarted relay to drain the outbox")
        again.send_signal(signal.SIGTERM)  # graceful: finishes its round, releases leases, exits 0
        assert again.wait(timeout=30) == 0, again.stdout.read().decode() if again.stdout else ""
    finally:
        if again.poll() is None:
            again.kill()
    at_broker = drain(topology)
    assert set(at_broker) == set(events)  # nothing lost
    doubled = sum(n - 1 for n in at_broker.values())
    assert doubled <= batch, f"{doubled} messages published twice; at most the in-flight batch of {batch}"
    # the consumer deduplicates by event id: each event handled exactly once
    deliverer = WebhookDeliverer(runtime.sessions, runtime.clock)
    keys = [k for k, n in at_broker.items() for _ in range(n)]
    with runtime.sessions() as session:
        rows = {
            r.key: r for r in session.scalars(select(OutboxMessage).where(OutboxMessage.key.in_(set(keys))))
        }
    deliverer.consume([Message(rows[k].topic, k, rows[k].payload) for k in keys])
    with runtime.sessions() as session:
        processed = list(
            session.scalars(select(ProcessedEvent.event_id).where(ProcessedEvent.consumer == CONSUMER))
        )
    assert sorted(processed) == sorted(events)
    assert_intact(runtime, references)


def test_a_dead_endpoint_does_not_delay_another_companys_notifications(client, auth, runtime):
    """One company's endpoint hangs (every request times out); another company's healthy endpoint gets all its
    events before the dead endpoint's first event is even retried a second time."""
    dead, healthy = Endpoint(), Endpoint()
    _hang(dead, seconds=10.0)
    runtime.settings.allow_http_webhooks = True
    runtime.settings.webhook_allowed_networks = ["127.0.0.1/32"]
    subscriptions = {}
    for username, endpoint in (("trader", dead), ("trader2", healthy)):
        created = client.post("/api/v1/webhooks", json={"url": endpoint.url}, headers=auth(username))
        assert created.status_code == 201
        subscriptions[username] = created.json()["id"]
    deliverer = WebhookDeliverer(
        runtime.sessions,
        utcnow,
        policy=DestinationPolicy.of(["127.0.0.1/32"]),
        timeout=1.0,
        retry=RetryPolicy(base_seconds=3, factor=2, jitter=0.5, max_attempts=5),
        breaker=Breaker(threshold=3, cool_down=timedelta(seconds=5)),
        concurrency=4,
    )
    bus = InProcessBus()
    bus.subscribe_in_transaction(DECLARATION_TOPICS, deliverer.enqueue)
    relay = Relay(runtime.sessions, bus, runtime.clock, interval=0.05)
    references = [f"SLOW-{i}" for i in range(5)]
    others = [f"FAST-{i}" for i in range(5)]

    def first_dead_event_attempts() -> list[float]:
        with dead.lock:
            first = dead.received[0][0] if dead.received else None
            return [t for e, t, _s in dead.received if e == first]

    try:
        deliverer.start(interval=0.05)
        relay.start()
        file_batch(client, auth, references, "trader")
        file_batch(client, auth, others, "trader2")
        wait_for(lambda: backlog(runtime.sessions) == 0, 60, "the relay")
        wait_for(lambda: len(first_dead_event_attempts()) >= 3, 90, "the dead endpoint's second retry")
        second_retry = first_dead_event_attempts()[2]
        arrived = sorted(t for _e, t, _s in healthy.received)
        with runtime.sessions() as session:
            healthy_jobs = session.scalar(
                select(func.count(WebhookJob.id)).where(
                    WebhookJob.subscription_id == subscriptions["trader2"]
                )
            )
        assert healthy_jobs and len(healthy.accepted()) == healthy_jobs
        assert arrived[-1] < second_retry, "the healthy company waited behind the dead endpoint"
    finally:
        relay.stop()
        deliverer.stop()
        dead.close()
        healthy.close()
    assert Counter(healthy.accepted()).most_common(1)[0][1] == 1  # none twice
    assert_intact(runtime, references + others)


def _hang(endpoint: Endpoint, seconds: float) -> None:
    """Make the endpoint accept the connection, record the request and never answer in time."""
    handler = endpoint.server.RequestHandlerClass

    def slow(self: Any) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with endpoint.lock:
            endpoint.received.append((json.loads(body)["event_id"], time.monotonic(), 0))
        time.sleep(seconds)

    handler.do_POST = slow  # type: ignore[attr-defined]


def test_the_webhook_worker_takes_events_from_the_queue_and_stops_cleanly_on_sigterm(
    client, auth, runtime, topology
):
    references = [f"TERM-{i}" for i in range(20)]
    file_batch(client, auth, references)
    events = declaration_events(runtime)
    worker = _worker(runtime, topology, "webhooks", "--batch", "10")
    relay = _worker(runtime, topology, "relay", "--batch", "25")
    try:
        wait_for(lambda: backlog(runtime.sessions) == 0, 120, "the relay")
        relay.send_signal(signal.SIGTERM)
        assert relay.wait(timeout=30) == 0

        def processed() -> set[str]:
            with runtime.sessions() as session:
                rows = session.scalars(
                    select(ProcessedEvent.event_id).where(ProcessedEvent.consumer == CONSUMER)
                )
                return set(rows)

        wait_for(lambda: processed() == set(events), 120, "the webhook worker to take every event")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
        output = worker.stdout.read().decode() if worker.stdout else ""
        assert "webhook worker stopped" in output
    finally:
        for process in (worker, relay):
            if process.poll() is None:
                process.kill()
    assert drain(topology) == Counter()  # every message acknowledged, none left or handed back unread
    assert_intact(runtime, references)
