"""The message-bus port and its adapters.

* :class:`InProcessBus` – the embedded default: handlers in this process, called as messages are relayed.
* :class:`RabbitMQBus` – production: a durable topic exchange on RabbitMQ (AMQP 0-9-1, via pika); workers on
  other machines consume from durable queues bound to it.

Both implement :class:`MessageBus`, so code that publishes or consumes cannot tell them apart, and the tests run
the same relay against both (RabbitMQ when ``CLEARWAY_TEST_AMQP_URL`` is set).
"""

from __future__ import annotations

import json
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel

EXCHANGE = "clearway.events"
log = logging.getLogger("clearway.bus")


@dataclass(frozen=True, slots=True)
class Message:
    topic: str
    key: str
    payload: dict[str, Any]

    def body(self) -> bytes:
        return json.dumps(
            {"topic": self.topic, "key": self.key, "payload": self.payload}, ensure_ascii=False, default=str
        ).encode("utf-8")

    @classmethod
    def from_body(cls, body: bytes) -> Message:
        data = json.loads(body)
        return cls(data["topic"], data["key"], data["payload"])


Handler = Callable[[Message], None]
BatchHandler = Callable[[list[Message]], None]


class MessageBus(ABC):
    @abstractmethod
    def publish(self, message: Message) -> None:
        """Deliver ``message`` to the bus; raise if it could not be handed over (the outbox retries)."""

    def after_commit(self) -> None:  # noqa: B027 - optional
        """Called by the relay once the published messages are marked as such."""

    def close(self) -> None:  # noqa: B027 - optional
        """Release connections."""


class InProcessBus(MessageBus):
    """Handlers subscribed by topic pattern (``*`` matches within the dotted name). Published messages are
    handed to them after the relay's transaction commits, so a handler may write to the database itself
    (SQLite has a single writer)."""

    def __init__(self) -> None:
        self._handlers: list[tuple[str, BatchHandler]] = []
        self._ready: list[Message] = []

    def subscribe(self, pattern: str, handler: Handler) -> None:
        def each(messages: list[Message]) -> None:
            for m in messages:
                handler(m)

        self.subscribe_batch(pattern, each)

    def subscribe_batch(self, pattern: str, handler: BatchHandler) -> None:
        """``handler`` gets the matching messages of one relay round together (one transaction for all)."""
        self._handlers.append((pattern, handler))

    def publish(self, message: Message) -> None:
        self._ready.append(message)

    def after_commit(self) -> None:
        ready, self._ready = self._ready, []
        for pattern, handler in self._handlers:
            matching = [m for m in ready if fnmatchcase(m.topic, pattern)]
            if not matching:
                continue
            try:
                handler(matching)
            except Exception:  # one failing consumer must not starve the others
                log.exception("handler for %s failed", pattern)


class RabbitMQBus(MessageBus):
    """Publishes persistent messages with publisher confirms to a durable topic exchange."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._connection: pika.BlockingConnection | None = None
        self._channel: BlockingChannel | None = None

    def _open(self) -> BlockingChannel:
        if self._channel is None or self._channel.is_closed:
            self._connection = pika.BlockingConnection(pika.URLParameters(self.url))
            self._channel = self._connection.channel()
            self._channel.exchange_declare(EXCHANGE, exchange_type="topic", durable=True)
            self._channel.confirm_delivery()
        return self._channel

    def publish(self, message: Message) -> None:
        channel = self._open()
        channel.basic_publish(
            EXCHANGE,
            message.topic,
            message.body(),
            pika.BasicProperties(
                content_type="application/json",
                delivery_mode=pika.DeliveryMode.Persistent,
                message_id=message.key,
            ),
            mandatory=False,
        )

    def consume(
        self, queue: str, pattern: str, *, limit: int | None = None, inactivity_timeout: float | None = None
    ) -> Iterator[Message]:
        """Messages from a durable queue bound to ``pattern`` (AMQP topic syntax: ``*`` one word, ``#`` many).
        Each is acknowledged once the caller asks for the next one."""
        channel = self._open()
        channel.queue_declare(queue, durable=True)
        channel.queue_bind(queue, EXCHANGE, routing_key=pattern)
        consumed = channel.consume(queue, inactivity_timeout=inactivity_timeout)
        for count, (method, _props, body) in enumerate(consumed, start=1):
            if method is None:
                break
            yield Message.from_body(body)
            channel.basic_ack(method.delivery_tag)
            if limit is not None and count >= limit:
                break
        channel.cancel()

    def close(self) -> None:
        if self._connection is not None and self._connection.is_open:
            self._connection.close()
        self._connection = self._channel = None
