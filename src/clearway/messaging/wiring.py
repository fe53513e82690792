"""Choose the bus for the settings, attach the in-process consumers, and run the embedded default's workers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from clearway.config import Settings
from clearway.messaging.bus import InProcessBus, MessageBus, RabbitMQBus, Topology
from clearway.messaging.destinations import DestinationPolicy
from clearway.messaging.outbox import Relay
from clearway.messaging.webhooks import DECLARATION_TOPICS, WebhookDeliverer


def make_deliverer(
    settings: Settings, sessions: sessionmaker[Session], clock: Callable[[], datetime]
) -> WebhookDeliverer:
    return WebhookDeliverer(sessions, clock, policy=DestinationPolicy.of(settings.webhook_allowed_networks))


def make_bus(
    settings: Settings,
    sessions: sessionmaker[Session],
    clock: Callable[[], datetime],
    deliverer: WebhookDeliverer | None = None,
) -> MessageBus:
    """RabbitMQ when a broker is configured; else the in-process bus whose webhook consumer writes the delivery
    jobs in the relay's own transaction (``deliverer``, or one made for the settings)."""
    if settings.broker_url:
        return RabbitMQBus(settings.broker_url, Topology(prefix=settings.broker_prefix))
    bus = InProcessBus()
    deliverer = deliverer or make_deliverer(settings, sessions, clock)
    bus.subscribe_in_transaction(DECLARATION_TOPICS, deliverer.enqueue)
    return bus


class InProcessWorkers:
    """The embedded default's background work in threads of the API process: the outbox relay and (without a
    broker) the webhook dispatcher. With a broker, ``clearway worker webhooks`` delivers."""

    def __init__(self, settings: Settings, sessions: sessionmaker[Session], clock: Callable[[], datetime]):
        self.deliverer = None if settings.broker_url else make_deliverer(settings, sessions, clock)
        self.relay = Relay(sessions, make_bus(settings, sessions, clock, self.deliverer), clock)

    def start(self) -> None:
        self.relay.start()
        if self.deliverer is not None:
            self.deliverer.start()

    def stop(self) -> None:
        self.relay.stop()
        if self.deliverer is not None:
            self.deliverer.stop()
