"""The RabbitMQ bus against the machine's broker: the topology is declared before the first publish, publishing
is mandatory and confirmed, and what the broker does not take stays in the outbox (CLEARWAY_TEST_AMQP_URL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pika
import pytest
from sqlalchemy import select

from clearway.messaging.bus import Message, RabbitMQBus, Topology
from clearway.messaging.models import OutboxMessage
from clearway.messaging.outbox import relay_once
from tests.documents import import_declaration

AMQP = os.environ.get("CLEARWAY_TEST_AMQP_URL", "")
pytestmark = pytest.mark.skipif(not AMQP, reason="CLEARWAY_TEST_AMQP_URL not set")
URL = "/api/v1/declarations"


def _channel() -> pika.adapters.blocking_connection.BlockingChannel:
    return pika.BlockingConnection(pika.URLParameters(AMQP)).channel()


@pytest.fixture
def topology() -> Iterator[Topology]:
    topo = Topology(prefix=f"test-{uuid.uuid4().hex[:10]}")
    yield topo
    channel = _channel()
    topo.delete(channel)
    channel.connection.close()


def _outbox(runtime) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    with runtime.sessions() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_the_first_publish_reaches_a_consumer_that_has_never_run(client, auth, runtime, topology):
    """The publisher declares the consumers' queues: nothing is dropped on a first deployment."""
    bus = RabbitMQBus(AMQP, topology)
    try:
        client.post(URL, json=import_declaration("MQ-1"), headers=auth("trader"))
        assert relay_once(runtime.sessions, bus, runtime.clock) == 4
        assert all(m.published_at is not None for m in _outbox(runtime))
        consumer = RabbitMQBus(AMQP, topology)
        got = list(consumer.consume("webhooks", limit=4, inactivity_timeout=5))
        consumer.close()
        assert [(m.topic, m.key) for m in got] == [(r.topic, r.key) for r in _outbox(runtime)]
        assert got[0].topic == "clearway.declaration.file"
    finally:
        bus.close()


def test_an_unroutable_message_is_returned_and_stays_in_the_outbox(client, auth, runtime, topology):
    # no consumer queue and no alternate exchange: the broker has nowhere to put the messages
    bare = Topology(prefix=topology.prefix, queues={}, alternate=False)
    bus = RabbitMQBus(AMQP, bare)
    try:
        client.post(URL, json=import_declaration("MQ-2"), headers=auth("trader"))
        assert relay_once(runtime.sessions, bus, runtime.clock) == 0
        rows = _outbox(runtime)
        assert all(r.published_at is None and "unroutable" in (r.last_error or "") for r in rows)
    finally:
        bus.close()
    # once a consumer's queue is declared, the same messages go out, each once
    channel = _channel()
    channel.exchange_delete(bare.exchange)  # redeclared with its alternate exchange below
    channel.connection.close()
    bus = RabbitMQBus(AMQP, topology)
    try:
        assert relay_once(runtime.sessions, bus, runtime.clock) == 4
        assert relay_once(runtime.sessions, bus, runtime.clock) == 0
        consumer = RabbitMQBus(AMQP, topology)
        got = [m.key for m in consumer.consume("webhooks", limit=10, inactivity_timeout=1)]
        assert got == [r.key for r in _outbox(runtime)]
        consumer.close()
    finally:
        bus.close()


def test_an_event_no_consumer_binds_is_kept_in_the_unrouted_queue(topology):
    bus = RabbitMQBus(AMQP, topology)
    try:
        failed = bus.publish_batch(
            [
                Message("clearway.webhook.webhook_registered", "event-1", {"seq": 1}),
                Message("clearway.declaration.file", "event-2", {"seq": 2}),
            ]
        )
        assert failed == {}
        channel = _channel()
        kept = channel.queue_declare(topology.unrouted_queue, passive=True).method.message_count
        webhooks = channel.queue_declare(topology.queue("webhooks"), passive=True).method.message_count
        channel.connection.close()
        assert (kept, webhooks) == (1, 1)
    finally:
        bus.close()


def test_an_unreachable_broker_keeps_every_message(client, auth, runtime, topology):
    bus = RabbitMQBus("amqp://guest:guest@127.0.0.1:1/%2F", topology)  # nothing listens there
    client.post(URL, json=import_declaration("MQ-3"), headers=auth("trader"))
    assert relay_once(runtime.sessions, bus, runtime.clock) == 0
    rows = _outbox(runtime)
    assert all(r.published_at is None and r.attempts == 1 and r.last_error for r in rows)
    assert all(r.lease_owner is None for r in rows)  # handed back for the next round


def test_a_large_batch_is_confirmed_in_one_round(topology):
    bus = RabbitMQBus(AMQP, topology)
    try:
        messages = [Message("clearway.declaration.file", f"event-{i}", {"seq": i}) for i in range(2000)]
        assert bus.publish_batch(messages) == {}
        channel = _channel()
        count = channel.queue_declare(topology.queue("webhooks"), passive=True).method.message_count
        channel.connection.close()
        assert count == 2000
    finally:
        bus.close()
