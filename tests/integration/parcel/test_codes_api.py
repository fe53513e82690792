"""Personal customs codes through the API: issue, verify as a carrier does, view (audited), suspend, reissue,
bulk reissue as a leak response."""

from __future__ import annotations

from sqlalchemy import select, text

from clearway.audit.models import AuditEvent
from clearway.parcel import codes


def test_issue_verify_view_and_reissue(api, auth, issue, runtime):  # type: ignore[no-untyped-def]
    first = issue("900101-1234567", "김민수", "010-1234-5678")
    code = first["code"]
    assert codes.check_code(code) is None and first["status"] == "active"
    assert first["phone"] == "010-****-5678" and first["name"] == "김*수"

    again = api.post(
        "/api/v1/parcels/codes",
        json={"person_id": "900101-1234567", "name": "김민수", "phone": "010-1234-5678"},
        headers=auth("officer"),
    )
    assert again.status_code == 409  # one active code per person

    # a carrier verifies before filing: name + code + the phone's last four digits
    def verify(**kw):
        return api.post(
            "/api/v1/parcels/codes/verify",
            headers=auth("trader"),
            json={"code": code, "name": "김민수", "phone": "01099995678", **kw},
        ).json()

    assert verify() == {"valid": True, "problems": []}
    assert [p["code"] for p in verify(name="김민준")["problems"]] == ["name_mismatch"]
    assert [p["code"] for p in verify(phone="010-1234-0000")["problems"]] == ["phone_mismatch"]
    mistyped = code[:-1] + str((int(code[-1]) + 1) % 10)
    assert [p["code"] for p in verify(code=mistyped)["problems"]] == ["code_invalid"]

    # lists are masked; the full record needs a purpose and is audited
    listed = api.get("/api/v1/parcels/codes", headers=auth("officer"))
    assert code not in listed.text and "김민수" not in listed.text and "1234-5678" not in listed.text
    assert api.get(f"/api/v1/parcels/codes/{first['id']}", headers=auth("officer")).status_code == 422
    full = api.get(
        f"/api/v1/parcels/codes/{first['id']}",
        params={"purpose": "holder called the help desk"},
        headers=auth("officer"),
    ).json()
    assert full["code"] == code and full["name"] == "김민수" and full["phone"] == "010-1234-5678"

    # carriers cannot issue or view codes
    assert (
        api.post(
            "/api/v1/parcels/codes",
            json={"person_id": "X1", "name": "A", "phone": "01011112222"},
            headers=auth("trader"),
        ).status_code
        == 403
    )
    assert (
        api.get(
            f"/api/v1/parcels/codes/{first['id']}", params={"purpose": "curious"}, headers=auth("trader")
        ).status_code
        == 403
    )

    reissued = api.post(
        f"/api/v1/parcels/codes/{first['id']}/reissue", json={"reason": "lost phone"}, headers=auth("officer")
    )
    assert reissued.status_code == 201, reissued.text
    new = reissued.json()
    assert new["code"] != code and new["replaces_id"] == first["id"]
    assert [p["code"] for p in verify()["problems"]] == ["code_reissued"]  # the old code stops at once
    assert verify(code=new["code"])["valid"] is True
    assert (
        api.post(
            f"/api/v1/parcels/codes/{first['id']}/reissue", json={"reason": "again"}, headers=auth("officer")
        ).status_code
        == 409
    )

    with runtime.sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.subject_type == "personal_code")).all()
        actions = [e.action for e in events]
        assert {"issued", "verified", "personal_data_viewed", "reissued"} <= set(actions)
        assert all(code not in str(e.data) and "김민수" not in str(e.data) for e in events)


def test_a_stored_code_is_encrypted(api, issue, runtime):  # type: ignore[no-untyped-def]
    issued = issue("P-555", "John Smith", "+82 10 5555 1234")
    with runtime.sessions() as session:
        row = (
            session.execute(text("SELECT * FROM personal_code WHERE id = :i"), {"i": issued["id"]})
            .mappings()
            .one()
        )
    stored = " ".join(str(v) for v in row.values())
    assert issued["code"] not in stored and "John Smith" not in stored and "5555" not in stored


def test_bulk_reissue_is_idempotent_and_reports(api, auth, issue):  # type: ignore[no-untyped-def]
    issued = [issue(f"BULK-{i}", f"Buyer {i}", f"010-2000-{i:04d}") for i in range(12)]
    leaked = [c["code"] for c in issued[:10]]
    unknown = codes.make_code("12345678901")
    body = {
        "key": "leak-2025-12",
        "reason": "December 2025 data leak",
        "codes": [*leaked, leaked[0], unknown, "P123"],
    }
    response = api.post("/api/v1/parcels/code-reissue-jobs", json=body, headers=auth("officer"))
    assert response.status_code == 201, response.text
    job = response.json()
    assert job["status"] == "done" and job["progress"] == 1.0
    assert job["report"] == {
        "total": 11,
        "invalid": 1,
        "reissued": 10,
        "not_found": 1,
        "already_reissued": 0,
        "held_parcels": 0,
    }

    replay = api.post("/api/v1/parcels/code-reissue-jobs", json=body, headers=auth("officer"))
    assert replay.status_code == 200 and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json()["report"]["reissued"] == 10  # nothing reissued twice
    other = api.post(
        "/api/v1/parcels/code-reissue-jobs", headers=auth("officer"), json={**body, "codes": leaked[:3]}
    )
    assert other.status_code == 409

    verify = api.post(
        "/api/v1/parcels/codes/verify",
        headers=auth("trader"),
        json={"code": leaked[3], "name": "Buyer 3", "phone": "01020000003"},
    ).json()
    assert verify["problems"][0]["code"] == "code_reissued"
    still = api.post(
        "/api/v1/parcels/codes/verify",
        headers=auth("trader"),
        json={"code": issued[11]["code"], "name": "Buyer 11", "phone": "01020000011"},
    ).json()
    assert still["valid"] is True
    active = api.get("/api/v1/parcels/codes", params={"status": "active"}, headers=auth("officer")).json()
    assert len(active) == 12  # 10 new + 2 untouched; one active code per person
    again = api.get(f"/api/v1/parcels/code-reissue-jobs/{job['id']}", headers=auth("officer"))
    assert again.json()["status"] == "done"
