"""CUSCAR through the API: one answer per message; a rejected message stores nothing, the others stand."""

from __future__ import annotations

from pathlib import Path

GOLDEN = Path(__file__).parents[2] / "unit" / "cargo" / "golden"
URL = "/api/v1/cargo/manifests:cuscar"


def _post(client, auth, name):  # type: ignore[no-untyped-def]
    body = (GOLDEN / name).read_bytes()
    r = client.post(URL, content=body, headers={**auth("carrier"), "Content-Type": "application/edifact"})
    assert r.status_code == 200, r.text
    return r.json()


def test_original_then_replacement_then_a_mixed_interchange(client, auth):  # type: ignore[no-untyped-def]
    first = _post(client, auth, "accepted_sea_manifest.edi")
    assert first["accepted"] == 1 and first["messages"][0]["status"] == "accepted"
    manifest_id = first["messages"][0]["manifest_id"]
    replaced = _post(client, auth, "accepted_replace.edi")
    assert replaced["messages"][0]["manifest_id"] == manifest_id
    m = client.get(f"/api/v1/cargo/manifests/{manifest_id}", headers=auth("officer")).json()
    assert m["version"] == 2 and m["bills"][0]["packages"] == 12
    assert m["bills"][0]["risk"]["level"] in ("low", "medium", "high")
    mixed = _post(client, auth, "mixed_two_messages.edi")
    statuses = [(x["reference"], x["status"]) for x in mixed["messages"]]
    # message 1 repeats the stored manifest's original content under the same reference → a conflict now
    assert statuses == [("1", "rejected"), ("2", "rejected")]
    assert mixed["messages"][0]["errors"][0]["code"] == "duplicate_manifest"
    assert mixed["messages"][1]["errors"][0]["code"] == "bad_segment_count"
    assert len(client.get("/api/v1/cargo/manifests", headers=auth("carrier")).json()) == 1


def test_bad_messages_are_rejected_with_their_codes(client, auth):  # type: ignore[no-untyped-def]
    for name, code in [
        ("rejected_bad_check_digit.edi", "bad_check_digit"),
        ("rejected_unknown_locode.edi", "unknown_locode"),
        ("rejected_segment_order.edi", "segment_order"),
        ("rejected_not_edifact.edi", "malformed_edifact"),
    ]:
        answer = _post(client, auth, name)
        assert answer["rejected"] == 1 and answer["messages"][0]["errors"][0]["code"] == code, name
    assert client.get("/api/v1/cargo/manifests", headers=auth("carrier")).json() == []


def test_unknown_replacement_and_a_two_message_interchange(client, auth):  # type: ignore[no-untyped-def]
    answer = _post(client, auth, "accepted_replace.edi")
    assert answer["messages"][0]["status"] == "rejected"
    assert answer["messages"][0]["errors"][0]["code"] == "unknown_manifest"
    mixed = _post(client, auth, "mixed_two_messages.edi")
    assert [x["status"] for x in mixed["messages"]] == ["accepted", "rejected"]
    assert len(client.get("/api/v1/cargo/manifests", headers=auth("carrier")).json()) == 1
