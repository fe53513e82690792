"""Finding 3: a webhook reaches public addresses only — checked at registration and again at each delivery,
connecting to the address that was checked (DNS rebinding) — unless the operator allow-lists a network."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from clearway.identity.service import principal_for_token
from clearway.messaging import webhooks
from clearway.messaging.bus import InProcessBus
from clearway.messaging.destinations import DestinationPolicy, DestinationRefused
from clearway.messaging.models import WebhookDelivery
from clearway.messaging.outbox import relay_once
from clearway.messaging.webhooks import WebhookDeliverer
from clearway.uow import unit_of_work
from tests.documents import import_declaration

PROBED = [
    "https://127.0.0.1:5432/",
    "https://169.254.169.254/latest/meta-data/",
    "https://10.0.0.1/",
    "https://[::1]:5672/",
    "https://2130706433/",
    "https://0x7f.1/",
    "https://0177.0.0.1/",
    "https://localhost/",
    "https://[::ffff:127.0.0.1]/",
    "https://0.0.0.0/",
    "https://224.0.0.1/",
    "https://192.168.1.1/",
    "https://[fe80::1]/",
    "https://240.0.0.1/",
    "https://100.64.0.1/",
]


@pytest.mark.parametrize("url", PROBED)
def test_internal_addresses_are_refused_at_registration(client, auth, url):  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/webhooks", json={"url": url}, headers=auth("trader"))
    assert response.status_code == 422, url
    assert response.json()["errors"][0]["code"] == "destination_not_allowed"


def test_a_public_address_is_accepted_and_an_allow_listed_network_is_the_operators_exception():
    assert DestinationPolicy().resolve("93.184.215.14", 443) == "93.184.215.14"
    with pytest.raises(DestinationRefused):
        DestinationPolicy().resolve("10.1.2.3", 443)
    assert DestinationPolicy.of(["10.0.0.0/8"]).resolve("10.1.2.3", 443) == "10.1.2.3"
    names = DestinationPolicy.of(["hooks.internal"], resolver=lambda host, port: ["10.9.9.9"])
    assert names.resolve("hooks.internal", 443) == "10.9.9.9"
    with pytest.raises(DestinationRefused):  # any resolved address not public refuses the host
        mixed = DestinationPolicy(resolver=lambda host, port: ["93.184.215.14", "127.0.0.1"])
        mixed.resolve("mixed.test", 443)


def test_delivery_checks_again_and_connects_to_the_checked_address(  # type: ignore[no-untyped-def]
    client,
    auth,
    runtime,
):
    answers = {"hooks.example.com": ["93.184.215.14"]}
    policy = DestinationPolicy(resolver=lambda host, port: answers[host])
    seen: list[httpx.Request] = []

    def transport(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    with unit_of_work(runtime.sessions) as session:  # registered while the name resolved to a public address
        token = auth("trader")["Authorization"].split()[1]
        principal = principal_for_token(session, token, now=runtime.clock())
        webhooks.register(
            session,
            principal,
            "https://hooks.example.com/cw",
            now=runtime.clock(),
            allow_http=False,
            policy=policy,
        )
    client.post("/api/v1/declarations", json=import_declaration("RB-1"), headers=auth("trader"))
    deliverer = WebhookDeliverer(
        runtime.sessions,
        runtime.clock,
        http=httpx.Client(transport=httpx.MockTransport(transport)),
        policy=policy,
    )
    bus = InProcessBus()
    bus.subscribe_batch("clearway.declaration.*", deliverer.deliver_all)
    relay_once(runtime.sessions, bus, runtime.clock)
    assert seen
    assert all(r.url.host == "93.184.215.14" and r.headers["host"] == "hooks.example.com" for r in seen)
    assert all(r.extensions.get("sni_hostname") == "hooks.example.com" for r in seen)

    # the name now resolves to the metadata service (DNS rebinding): refused, nothing is sent there
    answers["hooks.example.com"] = ["169.254.169.254"]
    sent = len(seen)
    client.post("/api/v1/declarations", json=import_declaration("RB-2"), headers=auth("trader"))
    relay_once(runtime.sessions, bus, runtime.clock)
    assert len(seen) == sent
    with runtime.sessions() as session:
        failed = select(WebhookDelivery.error).where(WebhookDelivery.error.is_not(None))
        errors = session.scalars(failed).all()
    assert errors and all("169.254.169.254" in e and e.startswith("refused") for e in errors)
