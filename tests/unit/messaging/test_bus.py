from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from clearway.messaging.bus import InProcessBus, Message
from clearway.messaging.webhooks import sign


@given(st.text(min_size=1, max_size=30), st.dictionaries(st.text(max_size=10), st.integers()))
def test_messages_survive_the_wire(key, payload):
    message = Message("clearway.declaration.file", key, payload)
    assert Message.from_body(message.body()) == message


def test_handlers_get_matching_topics_only_after_commit():
    bus = InProcessBus()
    got: list[str] = []
    bus.subscribe("clearway.declaration.*", lambda m: got.append(m.key))
    bus.publish(Message("clearway.declaration.accept", "a", {}))
    bus.publish(Message("clearway.risk_criterion.create", "b", {}))
    assert got == []
    bus.after_commit()
    assert got == ["a"]


def test_a_failing_handler_does_not_stop_the_others():
    bus = InProcessBus()
    got: list[str] = []
    bus.subscribe("*", lambda m: 1 / 0)
    bus.subscribe("*", lambda m: got.append(m.key))
    bus.publish(Message("t", "k", {}))
    bus.after_commit()
    assert got == ["k"]


def test_signature_is_hmac_sha256_of_the_body():
    # echo -n '{"a":1}' | openssl dgst -sha256 -hmac secret
    assert (
        sign("secret", b'{"a":1}')
        == "sha256=aa9e2e3575f5d7098b6caccd790888c36d5fdb63342a73bada2d6a51747a8494"
    )
