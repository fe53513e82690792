"""Choose the bus for the settings and attach the in-process consumers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from clearway.config import Settings
from clearway.messaging.bus import InProcessBus, MessageBus, RabbitMQBus
from clearway.messaging.destinations import DestinationPolicy
from clearway.messaging.webhooks import DECLARATION_TOPICS, WebhookDeliverer


def make_bus(
    settings: Settings, sessions: sessionmaker[Session], clock: Callable[[], datetime]
) -> MessageBus:
    if settings.broker_url:
        return RabbitMQBus(settings.broker_url)
    bus = InProcessBus()
    policy = DestinationPolicy.of(settings.webhook_allowed_networks)
    bus.subscribe_batch(DECLARATION_TOPICS, WebhookDeliverer(sessions, clock, policy=policy).deliver_all)
    return bus
