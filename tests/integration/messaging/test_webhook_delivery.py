"""Webhooks go through a queue per subscription: retried with backoff, dead-lettered after the last attempt,
replayed by an administrator; an event handed over twice is delivered once; a dead endpoint's circuit opens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from clearway.audit.service import verify
from clearway.messaging.bus import InProcessBus, Message
from clearway.messaging.destinations import DestinationPolicy
from clearway.messaging.models import OutboxMessage, WebhookDelivery, WebhookJob
from clearway.messaging.outbox import relay_once
from clearway.messaging.reliability import Breaker, RetryPolicy
from clearway.messaging.webhooks import DECLARATION_TOPICS, WebhookDeliverer
from tests.documents import daehan_declaration, import_declaration
from tests.e2e.test_page_errors import sign_in
from tests.integration.messaging.helpers import Endpoint, closed_port

URL = "/api/v1/declarations"


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    e = Endpoint()
    yield e
    e.close()


def _subscribe(client, auth, runtime, username: str, url: str) -> None:  # type: ignore[no-untyped-def]
    runtime.settings.allow_http_webhooks = True
    runtime.settings.webhook_allowed_networks = ["127.0.0.1/32"]
    assert client.post("/api/v1/webhooks", json={"url": url}, headers=auth(username)).status_code == 201


def _deliverer(runtime, **kwargs) -> WebhookDeliverer:  # type: ignore[no-untyped-def]
    return WebhookDeliverer(
        runtime.sessions,
        runtime.clock,
        policy=DestinationPolicy.of(["127.0.0.1/32"]),
        timeout=2.0,
        draw=lambda: 0.0,  # no jitter: the schedule is exact
        **kwargs,
    )


def _relay(runtime, deliverer: WebhookDeliverer) -> None:  # type: ignore[no-untyped-def]
    bus = InProcessBus()
    bus.subscribe_in_transaction(DECLARATION_TOPICS, deliverer.enqueue)
    while relay_once(runtime.sessions, bus, runtime.clock):
        pass


def _drain(deliverer: WebhookDeliverer) -> None:
    while deliverer.run_due(wait=True):
        pass


def _jobs(runtime) -> list[WebhookJob]:  # type: ignore[no-untyped-def]
    with runtime.sessions() as session:
        return list(session.scalars(select(WebhookJob).order_by(WebhookJob.id)))


def test_failures_are_retried_with_backoff_then_dead_lettered_and_an_admin_replays_them(
    client, auth, runtime, clock, endpoint
):
    _subscribe(client, auth, runtime, "trader", endpoint.url)
    endpoint.status = 503
    deliverer = _deliverer(
        runtime, retry=RetryPolicy(base_seconds=10, factor=2, jitter=0, max_attempts=3), breaker=Breaker(100)
    )
    client.post(URL, json=import_declaration("RT-1"), headers=auth("trader"))
    _relay(runtime, deliverer)
    events = [m.key for m in _outbox_keys(runtime)]
    assert [j.event_id for j in _jobs(runtime)] == events

    _drain(deliverer)
    jobs = _jobs(runtime)
    assert {(j.state, j.attempts, j.next_attempt_at - clock()) for j in jobs} == {
        ("pending", 1, timedelta(seconds=10))
    }
    _drain(deliverer)  # nothing is due yet: nothing is sent
    assert len(endpoint.received) == len(events)
    clock.advance(seconds=10)
    _drain(deliverer)
    assert {(j.attempts, j.next_attempt_at - clock()) for j in _jobs(runtime)} == {(2, timedelta(seconds=20))}
    clock.advance(seconds=20)
    _drain(deliverer)
    assert {(j.state, j.attempts) for j in _jobs(runtime)} == {("dead", 3)}
    assert len(endpoint.received) == 3 * len(events)

    assert client.get("/api/v1/webhooks/dead-letters", headers=auth("trader")).status_code == 403
    listed = client.get("/api/v1/webhooks/dead-letters", headers=auth("admin")).json()
    assert sorted(d["event_id"] for d in listed) == sorted(events)
    assert all(d["last_status"] == 503 and d["url"] == endpoint.url for d in listed)
    csrf = sign_in(client, "admin")
    page = client.get("/admin/webhooks", params={"lang": "en"}).text
    assert all(f"<code>{e}</code>" in page for e in events) and f"{len(events)} dead letter(s)." in page

    endpoint.status = 204
    one = listed[0]["id"]
    replayed = client.post(f"/api/v1/webhooks/dead-letters/{one}/replay", headers=auth("admin"))
    assert replayed.json() == {"replayed": 1}
    _drain(deliverer)
    assert endpoint.accepted() == [listed[0]["event_id"]]
    page_replay = client.post("/admin/webhooks/replay", data={"csrf_token": csrf}, follow_redirects=False)
    assert page_replay.status_code == 303
    _drain(deliverer)
    assert sorted(endpoint.accepted()) == sorted(events)  # each accepted exactly once
    assert {j.state for j in _jobs(runtime)} == {"delivered"}
    assert client.get("/api/v1/webhooks/dead-letters", headers=auth("admin")).json() == []
    with runtime.sessions() as session:
        assert verify(session).intact


def _outbox_keys(runtime) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    with runtime.sessions() as session:
        rows = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.topic.like("clearway.declaration.%"))
            .order_by(OutboxMessage.id)
        )
        return list(rows)


def test_an_event_handed_over_twice_is_delivered_once(client, auth, runtime, endpoint):
    _subscribe(client, auth, runtime, "trader", endpoint.url)
    deliverer = _deliverer(runtime)
    client.post(URL, json=import_declaration("DD-1"), headers=auth("trader"))
    messages = [Message(r.topic, r.key, r.payload) for r in _outbox_keys(runtime)]
    assert deliverer.consume(messages) == len(messages)
    assert deliverer.consume(messages[:2] + messages) == 0  # the broker redelivers: nothing new
    _drain(deliverer)
    assert sorted(endpoint.accepted()) == sorted(m.key for m in messages)


def test_a_dead_endpoint_opens_its_circuit_and_does_not_hold_back_another_company(
    client, auth, runtime, clock, endpoint
):
    dead = f"http://127.0.0.1:{closed_port()}/hook"
    _subscribe(client, auth, runtime, "trader", dead)
    _subscribe(client, auth, runtime, "trader2", endpoint.url)
    deliverer = _deliverer(
        runtime,
        retry=RetryPolicy(base_seconds=1, jitter=0, max_attempts=50),
        breaker=Breaker(threshold=3, cool_down=timedelta(seconds=60)),
    )
    for i in range(4):
        client.post(URL, json=import_declaration(f"CB-{i}"), headers=auth("trader"))
        client.post(URL, json=daehan_declaration(f"CB2-{i}"), headers=auth("trader2"))
    _relay(runtime, deliverer)
    for _ in range(5):  # several rounds, the dead endpoint's jobs due again each second
        _drain(deliverer)
        clock.advance(seconds=2)

    def attempts_on_dead() -> int:
        with runtime.sessions() as session:
            return int(
                session.scalar(
                    select(func.count(WebhookDelivery.id)).where(WebhookDelivery.status_code.is_(None))
                )
                or 0
            )

    healthy = {j.event_id for j in _jobs(runtime) if j.state == "delivered"}
    assert len(endpoint.accepted()) == len(healthy) > 0  # every job of the healthy endpoint, once
    assert attempts_on_dead() == 3  # the circuit opened after 3 failures: no more attempts
    clock.advance(seconds=60)
    _drain(deliverer)
    assert attempts_on_dead() == 4  # half-open: one trial, which failed
    assert deliverer.breakers[dead].opened_at == clock()
