"""The message-bus port and its adapters.

* :class:`InProcessBus` – the embedded default: handlers in this process. A *transactional* handler runs inside
  the relay's transaction (its effect and the "published" mark commit together: nothing lost, nothing twice);
  a plain handler runs after the commit.
* :class:`RabbitMQBus` – production: a durable topic exchange on RabbitMQ (AMQP 0-9-1, via pika). Every process
  that publishes declares the whole :class:`Topology` first (exchanges, the consumers' queues and bindings, an
  alternate exchange for what no consumer binds, a dead-letter exchange and queue), publishes with
  ``mandatory`` and publisher confirms, a batch at a time, and reports which messages the broker did not take
  (nacked, returned as unroutable, or unconfirmed when the connection broke): the relay keeps those.

Both implement :class:`MessageBus`, so the same relay runs against both (RabbitMQ in the tests when
``CLEARWAY_TEST_AMQP_URL`` is set).
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

import pika
import pika.exceptions
from pika.adapters.blocking_connection import BlockingChannel
from sqlalchemy.orm import Session

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
TransactionalHandler = Callable[[Session, list[Message]], object]


class MessageBus(ABC):
    #: whether handing messages over waits on another process (a broker): the relay then publishes outside any
    #: database write transaction, so a slow broker never holds SQLite's one write lock
    remote: bool = True

    @abstractmethod
    def publish(self, message: Message) -> None:
        """Deliver ``message`` to the bus; raise if it could not be handed over (the outbox retries)."""

    def publish_batch(self, messages: Sequence[Message], session: Session | None = None) -> dict[str, str]:
        """Hand ``messages`` over; returns ``{key: reason}`` for those the bus did not take (the outbox keeps
        them). ``session`` is the relay's open transaction (in-process consumers may write in it)."""
        failed: dict[str, str] = {}
        for i, message in enumerate(messages):
            try:
                self.publish(message)
            except Exception as error:  # the bus is down: this one and the rest stay in the outbox
                reason = f"{type(error).__name__}: {error}"[:1000]
                failed.update({m.key: reason for m in messages[i:]})
                break
        return failed

    def after_commit(self) -> None:  # noqa: B027 - optional
        """Called by the relay once the published messages are marked as such."""

    def close(self) -> None:  # noqa: B027 - optional
        """Release connections."""


class InProcessBus(MessageBus):
    """Handlers subscribed by topic pattern (``*`` matches within the dotted name)."""

    remote = False  # its transactional handlers write in the relay's transaction

    def __init__(self) -> None:
        self._handlers: list[tuple[str, BatchHandler]] = []
        self._transactional: list[tuple[str, TransactionalHandler]] = []
        self._ready: list[Message] = []

    def subscribe(self, pattern: str, handler: Handler) -> None:
        def each(messages: list[Message]) -> None:
            for m in messages:
                handler(m)

        self.subscribe_batch(pattern, each)

    def subscribe_batch(self, pattern: str, handler: BatchHandler) -> None:
        """``handler`` gets the matching messages of one relay round together, after the relay commits."""
        self._handlers.append((pattern, handler))

    def subscribe_in_transaction(self, pattern: str, handler: TransactionalHandler) -> None:
        """``handler`` gets the relay's session and the round's matching messages before the relay commits:
        what it writes commits with the "published" mark, or neither does."""
        self._transactional.append((pattern, handler))

    def publish(self, message: Message) -> None:
        self._ready.append(message)

    def publish_batch(self, messages: Sequence[Message], session: Session | None = None) -> dict[str, str]:
        if self._transactional and session is not None:
            for pattern, handler in self._transactional:
                matching = [m for m in messages if fnmatchcase(m.topic, pattern)]
                if matching:
                    handler(session, matching)  # raising rolls the relay round back: all retried
        self._ready.extend(messages)
        return {}

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


@dataclass(frozen=True)
class Topology:
    """The broker objects every publishing process declares before it publishes.

    ``queues`` maps each consumer's durable queue to the routing patterns it binds (AMQP topic syntax: ``*``
    one word, ``#`` any). A message no queue binds goes to the alternate exchange's ``unrouted`` queue (kept,
    visible, never dropped); a message a consumer rejects goes to the dead-letter queue. ``prefix`` names them
    all (tests use a unique one)."""

    prefix: str = "clearway"
    queues: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: {"webhooks": ("clearway.declaration.#",)}
    )
    alternate: bool = True

    @property
    def exchange(self) -> str:
        return f"{self.prefix}.events"

    @property
    def unrouted_exchange(self) -> str:
        return f"{self.prefix}.unrouted"

    @property
    def unrouted_queue(self) -> str:
        return f"{self.prefix}.unrouted"

    @property
    def dead_letter_exchange(self) -> str:
        return f"{self.prefix}.dead"

    @property
    def dead_letter_queue(self) -> str:
        return f"{self.prefix}.dead-letter"

    def queue(self, consumer: str) -> str:
        return f"{self.prefix}.{consumer}"

    def declare(self, channel: BlockingChannel) -> None:
        channel.exchange_declare(self.dead_letter_exchange, exchange_type="fanout", durable=True)
        channel.queue_declare(self.dead_letter_queue, durable=True)
        channel.queue_bind(self.dead_letter_queue, self.dead_letter_exchange)
        arguments: dict[str, Any] = {}
        if self.alternate:
            channel.exchange_declare(self.unrouted_exchange, exchange_type="fanout", durable=True)
            channel.queue_declare(self.unrouted_queue, durable=True)
            channel.queue_bind(self.unrouted_queue, self.unrouted_exchange)
            arguments["alternate-exchange"] = self.unrouted_exchange
        channel.exchange_declare(self.exchange, exchange_type="topic", durable=True, arguments=arguments)
        for consumer, patterns in self.queues.items():
            name = self.queue(consumer)
            channel.queue_declare(
                name, durable=True, arguments={"x-dead-letter-exchange": self.dead_letter_exchange}
            )
            for pattern in patterns:
                channel.queue_bind(name, self.exchange, routing_key=pattern)

    def delete(self, channel: BlockingChannel) -> None:
        """Remove everything declared (tests)."""
        for name in [self.queue(c) for c in self.queues] + [self.unrouted_queue, self.dead_letter_queue]:
            channel.queue_delete(name)
        for name in (self.exchange, self.unrouted_exchange, self.dead_letter_exchange):
            channel.exchange_delete(name)


class RabbitMQBus(MessageBus):
    """Publishes persistent messages to the topology's topic exchange, ``mandatory``, with publisher confirms
    collected per batch (one round trip per batch, not per message)."""

    def __init__(self, url: str, topology: Topology | None = None, confirm_timeout: float = 15.0) -> None:
        self.url = url
        self.topology = topology or Topology()
        self.confirm_timeout = confirm_timeout
        self._connection: pika.BlockingConnection | None = None
        self._channel: BlockingChannel | None = None
        self._confirming = False
        self._next_tag = 0
        self._pending: dict[int, str] = {}  # delivery tag → message key, not yet confirmed
        self._failed: dict[str, str] = {}
        self._returned: set[str] = set()
        self._confirmed: set[str] = set()

    # -- connection --------------------------------------------------------------------------------------
    def _open(self) -> BlockingChannel:
        if self._channel is None or self._channel.is_closed or not self._connection_open():
            self.close()
            params = pika.URLParameters(self.url)
            params.connection_attempts = 1
            params.socket_timeout = 5
            params.blocked_connection_timeout = 30
            self._connection = pika.BlockingConnection(params)
            self._channel = self._connection.channel()
            self.topology.declare(self._channel)
            self._confirming = False
        return self._channel

    def connect(self) -> None:
        """Connect and declare the topology now (a worker's start-up) rather than at the first publish."""
        self._open()

    def _connection_open(self) -> bool:
        return self._connection is not None and self._connection.is_open

    def _enable_confirms(self, channel: BlockingChannel) -> None:
        if self._confirming:
            return
        ready: list[bool] = []
        impl = channel._impl  # the async channel: confirms collected by callback, not one blocking wait each
        impl.confirm_delivery(ack_nack_callback=self._on_confirm, callback=lambda _frame: ready.append(True))
        impl.add_on_return_callback(self._on_return)
        assert self._connection is not None
        deadline = time.monotonic() + self.confirm_timeout
        while not ready:
            if time.monotonic() > deadline:
                raise pika.exceptions.AMQPError("the broker did not enable publisher confirms")
            self._connection.process_data_events(time_limit=0.05)
        self._confirming, self._next_tag, self._pending = True, 0, {}

    def _on_confirm(self, frame: Any) -> None:
        method = frame.method
        tags = (
            [t for t in self._pending if t <= method.delivery_tag]
            if method.multiple
            else [method.delivery_tag]
        )
        nack = isinstance(method, pika.spec.Basic.Nack)
        for tag in tags:
            key = self._pending.pop(tag, None)
            if key is None:
                continue
            if nack:
                self._failed[key] = "nacked by the broker"
            elif key not in self._failed:  # a returned message is acked after its return: still a failure
                self._confirmed.add(key)

    def _on_return(self, _channel: Any, method: Any, properties: Any, _body: bytes) -> None:
        key = properties.message_id
        if key:
            self._returned.add(key)
            self._failed[key] = f"unroutable: returned by the broker ({method.reply_text})"

    # -- publishing --------------------------------------------------------------------------------------
    def publish(self, message: Message) -> None:
        failed = self.publish_batch([message])
        if failed:
            raise ConnectionError(failed[message.key])

    def publish_batch(self, messages: Sequence[Message], session: Session | None = None) -> dict[str, str]:
        if not messages:
            return {}
        try:
            return self._publish_batch(messages)
        except (pika.exceptions.AMQPError, OSError, AssertionError) as error:
            reason = f"{type(error).__name__}: {error}"[:1000] or "broker unreachable"
            log.warning("bus: publishing %d messages failed: %s", len(messages), reason)
            self.close()
            # what the broker confirmed before the break is published; the rest stays in the outbox
            return {m.key: self._failed.get(m.key, reason) for m in messages if m.key not in self._confirmed}

    def _publish_batch(self, messages: Sequence[Message]) -> dict[str, str]:
        self._failed, self._returned, self._pending, self._confirmed = {}, set(), {}, set()
        channel = self._open()
        self._enable_confirms(channel)
        assert self._connection is not None
        impl = channel._impl
        for message in messages:
            self._next_tag += 1
            self._pending[self._next_tag] = message.key
            impl.basic_publish(
                self.topology.exchange,
                message.topic,
                message.body(),
                pika.BasicProperties(
                    content_type="application/json",
                    delivery_mode=pika.DeliveryMode.Persistent,
                    message_id=message.key,
                ),
                mandatory=True,
            )
        deadline = time.monotonic() + self.confirm_timeout
        while self._pending:
            if time.monotonic() > deadline:
                raise pika.exceptions.AMQPError(f"{len(self._pending)} messages not confirmed in time")
            self._connection.process_data_events(time_limit=0.05)
        return dict(self._failed)

    # -- consuming (workers and tests) -------------------------------------------------------------------
    def consume(
        self,
        consumer: str,
        *,
        limit: int | None = None,
        inactivity_timeout: float | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> Iterator[Message]:
        """Messages from the topology's queue for ``consumer``, each acknowledged when the caller asks for
        the next one; on ``stop()`` (checked between messages) the consumer is cancelled and unacknowledged
        messages go back to the queue."""
        channel = self._open()
        channel.basic_qos(prefetch_count=1)
        consumed = channel.consume(self.topology.queue(consumer), inactivity_timeout=inactivity_timeout)
        try:
            for count, (method, _props, body) in enumerate(consumed, start=1):
                if method is None:
                    if stop is not None and stop():
                        break
                    if stop is None:
                        break
                    continue
                yield Message.from_body(body)
                channel.basic_ack(method.delivery_tag)
                if (limit is not None and count >= limit) or (stop is not None and stop()):
                    break
        finally:
            if channel.is_open:
                channel.cancel()

    def consume_batches(
        self,
        consumer: str,
        handle: Callable[[list[Message]], object],
        *,
        stop: Callable[[], bool],
        batch: int = 200,
        wait: float = 0.2,
    ) -> None:
        """Hand the consumer's messages to ``handle`` in batches; a batch is acknowledged (all at once) after
        ``handle`` returns, so a crash before that leaves it in the queue (the consumer deduplicates). A message
        that cannot be read is rejected to the dead-letter queue. On ``stop()`` unacknowledged messages are
        handed back (nack with requeue) and the consumer is cancelled."""
        channel = self._open()
        channel.basic_qos(prefetch_count=batch * 2)
        held: list[tuple[int, Message]] = []
        started = time.monotonic()
        try:
            for method, _props, body in channel.consume(
                self.topology.queue(consumer), inactivity_timeout=wait
            ):
                if method is not None:
                    try:
                        held.append((method.delivery_tag, Message.from_body(body)))
                    except (ValueError, KeyError, TypeError):
                        channel.basic_nack(method.delivery_tag, requeue=False)  # → dead-letter queue
                if held and (len(held) >= batch or method is None or time.monotonic() - started > wait):
                    handle([m for _, m in held])
                    channel.basic_ack(held[-1][0], multiple=True)
                    held, started = [], time.monotonic()
                if stop():
                    break
        finally:
            if held and channel.is_open:
                channel.basic_nack(held[-1][0], multiple=True, requeue=True)
            if channel.is_open:
                channel.cancel()

    def close(self) -> None:
        connection, self._connection, self._channel, self._confirming = self._connection, None, None, False
        if connection is not None and connection.is_open:
            with contextlib.suppress(pika.exceptions.AMQPError, OSError):
                connection.close()
