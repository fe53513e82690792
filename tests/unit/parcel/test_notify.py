"""The notifier port's webhook adapter: signed JSON to the gateway; a refusal raises (the notice stays pending)."""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx
import pytest

from clearway.parcel.notify import Notice, WebhookNotifier, render


def test_a_notice_is_posted_signed_and_a_refusal_raises() -> None:
    seen: list[httpx.Request] = []

    def gateway(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(503 if b"refuse" in request.content else 202)

    notifier = WebhookNotifier(
        "https://sms.example/send", "gateway-secret", httpx.Client(transport=httpx.MockTransport(gateway))
    )
    text = render("parcel_checked", {"house_bill": "HB1", "result": "clear"})
    notifier.deliver(Notice(7, "010-1234-5678", "parcel_checked", text))
    body = json.loads(seen[0].content)
    assert body == {"id": 7, "to": "010-1234-5678", "event": "parcel_checked", "text": text}
    expected = "sha256=" + hmac.new(b"gateway-secret", seen[0].content, hashlib.sha256).hexdigest()
    assert seen[0].headers["Clearway-Signature"] == expected
    with pytest.raises(httpx.HTTPStatusError):
        notifier.deliver(Notice(8, "010-1234-5678", "x", "refuse"))
