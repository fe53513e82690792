"""Events leave the system through the outbox: same transaction, in order, retried, signed webhooks."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest
from sqlalchemy import func, select

from clearway.declaration.lifecycle import Lane
from clearway.declaration.steps import FilingSteps, LaneSelection, LaneSelector
from clearway.messaging.bus import InProcessBus, Message, MessageBus
from clearway.messaging.destinations import DestinationPolicy
from clearway.messaging.models import OutboxMessage, WebhookDelivery
from clearway.messaging.outbox import Relay, relay_once
from clearway.messaging.webhooks import WebhookDeliverer, sign
from tests.documents import daehan_declaration, import_declaration

URL = "/api/v1/declarations"


class RedLane(LaneSelector):
    def select(self, session, content, context, assessment, advice):  # type: ignore[no-untyped-def]
        return LaneSelection(
            Lane.RED, "test", False, [{"kind": "criterion", "message": "secret criterion C-7"}], score=0.97
        )


@pytest.fixture
def steps() -> FilingSteps:
    return FilingSteps(lane_selector=RedLane())


def _outbox(runtime) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    with runtime.sessions() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_each_event_becomes_a_message_in_the_same_transaction(client, auth, runtime):
    client.post(URL, json=import_declaration("OB-1"), headers=auth("trader"))
    topics = [m.topic for m in _outbox(runtime)]
    assert topics == [
        "clearway.declaration.file",
        "clearway.declaration.assess",
        "clearway.declaration.assign_lane",
        "clearway.declaration.start_inspection",
    ]
    client.post(URL, json=import_declaration("OB-2", items__0__currency="XXX1"), headers=auth("trader"))
    assert len(_outbox(runtime)) == 4  # a refused filing announces nothing


def test_relay_publishes_in_order_and_keeps_messages_while_the_bus_is_down(client, auth, runtime):
    client.post(URL, json=import_declaration("OB-3"), headers=auth("trader"))

    class Down(MessageBus):
        def publish(self, message: Message) -> None:
            raise ConnectionError("broker unreachable")

    assert relay_once(runtime.sessions, Down(), runtime.clock) == 0
    first = _outbox(runtime)[0]
    assert first.published_at is None and first.attempts == 1 and "unreachable" in first.last_error
    received: list[str] = []
    bus = InProcessBus()
    bus.subscribe("clearway.declaration.*", lambda m: received.append(m.topic.rsplit(".", 1)[1]))
    assert relay_once(runtime.sessions, bus, runtime.clock) == 4
    assert received == ["file", "assess", "assign_lane", "start_inspection"]
    assert relay_once(runtime.sessions, bus, runtime.clock) == 0  # each message once


class Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver():  # type: ignore[no-untyped-def]
    Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


def test_webhooks_are_signed_and_do_not_reveal_why_a_lane_was_chosen(client, auth, runtime, receiver):
    assert client.post("/api/v1/webhooks", json={"url": receiver}, headers=auth("trader")).status_code == 422
    runtime.settings.allow_http_webhooks = True
    refused = client.post("/api/v1/webhooks", json={"url": receiver}, headers=auth("trader"))
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "destination_not_allowed"
    runtime.settings.webhook_allowed_networks = ["127.0.0.1/32"]  # the operator's exception for this receiver
    created = client.post("/api/v1/webhooks", json={"url": receiver}, headers=auth("trader"))
    assert created.status_code == 201
    secret = created.json()["secret"]
    assert client.get("/api/v1/webhooks", headers=auth("trader")).json()[0]["secret"] is None
    declaration = client.post(URL, json=import_declaration("WH-1"), headers=auth("trader")).json()
    client.post(URL, json=daehan_declaration("WH-2"), headers=auth("trader2"))  # another company: not sent
    bus = InProcessBus()
    policy = DestinationPolicy.of(runtime.settings.webhook_allowed_networks)
    bus.subscribe_batch(
        "clearway.declaration.*", WebhookDeliverer(runtime.sessions, runtime.clock, policy=policy).deliver_all
    )
    relay_once(runtime.sessions, bus, runtime.clock)
    assert len(Receiver.received) == 4
    headers, body = Receiver.received[2]
    assert headers["Clearway-Signature"] == sign(secret, body)
    event = json.loads(body)
    assert event["declaration_id"] == declaration["id"] and event["action"] == "assign_lane"
    assert event["data"]["lane"] == "red"
    assert "reasons" not in event["data"] and "score" not in event["data"]
    with runtime.sessions() as session:
        assert (
            session.scalar(select(func.count(WebhookDelivery.id)).where(WebhookDelivery.status_code == 204))
            == 4
        )


def test_the_filer_sees_the_lane_but_not_the_reasons_customs_sees_both(client, auth):
    d = client.post(URL, json=import_declaration("DS-1"), headers=auth("trader")).json()
    assert d["lane"] == "red" and "reasons" not in d["lane_selection"] and "score" not in d["lane_selection"]
    officer_view = client.get(f"{URL}/{d['id']}", headers=auth("officer")).json()
    assert officer_view["lane_selection"]["reasons"][0]["message"] == "secret criterion C-7"
    events = client.get(f"{URL}/{d['id']}/events", headers=auth("trader")).json()
    assert "reasons" not in events[2]["data"]


def test_the_in_process_worker_relays_in_the_background(client, auth, runtime):
    received = threading.Event()
    bus = InProcessBus()
    bus.subscribe("clearway.declaration.start_inspection", lambda m: received.set())
    relay = Relay(runtime.sessions, bus, runtime.clock, interval=0.05)
    relay.start()
    try:
        client.post(URL, json=import_declaration("BG-1"), headers=auth("trader"))
        assert received.wait(timeout=20)
    finally:
        relay.stop()
    assert all(m.published_at is not None for m in _outbox(runtime))
