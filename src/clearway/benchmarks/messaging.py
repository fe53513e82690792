"""Relay throughput: outbox messages published to RabbitMQ per second (mandatory, publisher-confirmed batches,
marked published on PostgreSQL or SQLite), and the webhook consumer's rate taking them off the queue
(deduplicated by event id into the delivery queue).

The outbox is filled first with messages shaped like a declaration's events (the payload of a filed
declaration's ``file`` event), not timed; then the relay runs round after round until the outbox is empty.
A unique topology (exchange and queues) is declared and deleted afterwards. For comparison, a sample is also
published one message at a time with a blocking confirm each (the previous relay's way).
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pika
from sqlalchemy import text

from clearway.db import bulk_insert, make_engine, make_session_factory
from clearway.messaging.bus import Message, RabbitMQBus, Topology
from clearway.messaging.models import OutboxMessage
from clearway.messaging.outbox import backlog, relay_once
from clearway.migrate import upgrade

ACTIONS = ("file", "assess", "assign_lane", "accept")


def _payload(seq: int, i: int) -> dict[str, Any]:
    return {
        "seq": seq,
        "occurred_at": "2026-11-20T01:00:00.000000Z",
        "actor": "trader",
        "subject_type": "declaration",
        "subject_id": 1_500_000_000 + i // 4,  # no such declaration: the consumer writes no jobs
        "action": ACTIONS[i % 4],
        "reason": None,
        "data": {"reference": f"BENCH-{i // 4}", "lane": "green", "total_due_krw": "1234567", "lines": 3},
    }


def run(
    database_url: str, broker_url: str, messages: int = 20_000, batch: int = 500, relays: int = 2
) -> dict[str, Any]:
    """``relays`` relay workers (and as many webhook consumers) run side by side (threads here; processes in
    production): on PostgreSQL each relay claims its own rows (SKIP LOCKED), so one's database work overlaps
    another's wait for confirms; the consumers share the queue."""
    upgrade(database_url)
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    start = datetime(2026, 11, 20, tzinfo=UTC)
    ticks = iter(range(10**9))

    def clock() -> datetime:
        return start + timedelta(microseconds=next(ticks))

    with engine.begin() as conn:
        conn.execute(text("DELETE FROM outbox_message"))
        conn.execute(text("DELETE FROM processed_event WHERE consumer = 'webhooks'"))
    offset = uuid.uuid4().int % 10**12 * 1000  # event ids unique across runs
    with sessions() as session, session.begin():
        for first in range(0, messages, 5000):
            rows = [
                {
                    "topic": f"clearway.declaration.{ACTIONS[i % 4]}",
                    "key": f"event-{offset + i}",
                    "payload": _payload(offset + i, i),
                    "created_at": start,
                    "attempts": 0,
                }
                for i in range(first, min(messages, first + 5000))
            ]
            bulk_insert(session, OutboxMessage.__table__, rows)
    topology = Topology(prefix=f"bench-{uuid.uuid4().hex[:8]}")
    buses = [RabbitMQBus(broker_url, topology) for _ in range(relays)]
    try:
        counts = [0] * relays
        rounds = [0] * relays

        def relay(n: int) -> None:
            while count := relay_once(sessions, buses[n], clock, batch=batch):
                counts[n] += count
                rounds[n] += 1

        started = time.perf_counter()
        threads = [threading.Thread(target=relay, args=(n,)) for n in range(relays)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        relay_seconds = time.perf_counter() - started
        published = sum(counts)
        left = backlog(sessions)

        from clearway.messaging.webhooks import WebhookDeliverer

        deliverer = WebhookDeliverer(sessions, clock)
        taken: list[int] = []

        def handle(batch_messages: list[Message]) -> None:
            deliverer.consume(batch_messages)
            taken.append(len(batch_messages))

        def consume() -> None:
            consumer = RabbitMQBus(broker_url, topology)
            consumer.consume_batches(
                "webhooks", handle, stop=lambda: sum(taken) >= published, batch=200, wait=0.5
            )
            consumer.close()

        started = time.perf_counter()
        threads = [threading.Thread(target=consume) for _ in range(relays)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        consume_seconds = time.perf_counter() - started
        deliverer.stop()

        sample = min(2000, messages)
        channel = pika.BlockingConnection(pika.URLParameters(broker_url)).channel()
        channel.confirm_delivery()
        started = time.perf_counter()
        for i in range(sample):
            channel.basic_publish(
                topology.exchange,
                "clearway.declaration.file",
                Message("clearway.declaration.file", f"one-{i}", _payload(i, i)).body(),
                pika.BasicProperties(delivery_mode=pika.DeliveryMode.Persistent, message_id=f"one-{i}"),
                mandatory=True,
            )
        one_by_one = sample / (time.perf_counter() - started)
        topology.delete(channel)
        channel.connection.close()
    finally:
        for bus in buses:
            bus.close()
        engine.dispose()
    return {
        "load_average_1min": round(os.getloadavg()[0], 1),
        "database": engine.dialect.name,
        "messages": messages,
        "batch": batch,
        "published": published,
        "left_in_outbox": left,
        "relays": relays,
        "relay_rounds": sum(rounds),
        "relay_seconds": round(relay_seconds, 2),
        "relay_messages_per_second": round(published / relay_seconds),
        "consumers": relays,
        "consumer_messages": sum(taken),
        "consumer_seconds": round(consume_seconds, 2),
        "consumer_messages_per_second": round(sum(taken) / consume_seconds),
        "one_confirm_per_message_per_second": round(one_by_one),
    }
