"""CUSDEC over HTTP and through the drop directory: every interchange answered with CUSRES; the declarations
are those the JSON API files (same validation, idempotency, lane and audit)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clearway.declaration.validation import parse_declaration
from clearway.filing.cusdec_out import interchange
from clearway.filing.cusres import read_response
from clearway.filing.watch import DropWatcher
from clearway.identity.core import Principal, Role, scopes_for
from clearway.identity.service import user_by_username
from clearway.tariff.nomenclature import bundled_nomenclature
from tests.documents import daehan_declaration, import_declaration

GOLDEN = Path(__file__).parents[2] / "unit" / "filing" / "golden"
URL = "/api/v1/edifact"


def _post(
    client: Any, auth: Any, body: str | bytes, user: str = "trader"
) -> tuple[Any, list[dict[str, Any]]]:
    r = client.post(URL, content=body, headers={**auth(user), "Content-Type": "application/edifact"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/edifact")
    return r, read_response(r.text)


def _cusdec(document: dict[str, Any], control: str = "T1", release: str = "96B") -> str:
    content = parse_declaration(
        document, nomenclature=bundled_nomenclature(), on=__import__("datetime").date(2026, 11, 20)
    )
    return interchange([content], sender="HANBIT01", control=control, release=release)


def test_an_accepted_declaration_is_answered_with_its_number_and_lane(client, auth) -> None:  # type: ignore[no-untyped-def]
    r, answers = _post(client, auth, (GOLDEN / "accepted_import_d96b.edi").read_bytes())
    assert r.headers["Clearway-Accepted"] == "1" and r.headers["Clearway-Rejected"] == "0"
    [answer] = answers
    assert answer["status"] == "accepted" and answer["lane"] in ("green", "yellow", "red", "blue")
    number = answer["references"]["ABT"]
    assert answer["references"]["ABE"] == "CUSDEC-IMP-1" and answer["references"]["ACW"] == "1"
    page = client.get("/api/v1/declarations?reference=CUSDEC-IMP-1", headers=auth("trader")).json()
    assert [d["number"] for d in page["items"]] == [number]
    stored = client.get(f"/api/v1/declarations/{page['items'][0]['id']}", headers=auth("trader")).json()
    assert stored["lane"] == answer["lane"] and len(stored["content"]["items"]) == 2
    events = client.get(f"/api/v1/declarations/{stored['id']}/events", headers=auth("trader")).json()
    assert events and events[0]["action"] == "file"
    # the same interchange again: the same declaration (idempotent), not a second one
    _, again = _post(client, auth, (GOLDEN / "accepted_import_d96b.edi").read_bytes())
    assert again[0]["status"] == "accepted" and again[0]["references"]["ABT"] == number
    assert (
        client.get("/api/v1/declarations?reference=CUSDEC-IMP-1", headers=auth("trader")).json()["total"] == 1
    )


def test_json_and_cusdec_file_the_same_declaration(client, auth) -> None:  # type: ignore[no-untyped-def]
    document = import_declaration("SAME-1")
    first = client.post("/api/v1/declarations", json=document, headers=auth("trader"))
    assert first.status_code == 201, first.text
    for release in ("96B", "01B"):
        _, [answer] = _post(client, auth, _cusdec(document, release=release))
        # recognised as the very same declaration: the content the JSON API stored, byte for byte
        assert answer["status"] == "accepted" and answer["references"]["ABT"] == first.json()["number"]


def test_rejections_point_at_segment_and_element_and_store_nothing(client, auth) -> None:  # type: ignore[no-untyped-def]
    r, [answer] = _post(client, auth, (GOLDEN / "rejected_field_errors.edi").read_bytes())
    assert r.headers["Clearway-Rejected"] == "1" and answer["status"] == "rejected"
    by_field = {e["field"]: e for e in answer["errors"]}
    origin = by_field["/items/1/origin_country"]
    assert (origin["code"], origin["segment"], origin["segment_number"], origin["element"]) == (
        "unknown_country",
        "LOC",
        28,
        2,
    )
    _, [order] = _post(client, auth, (GOLDEN / "rejected_segment_order.edi").read_bytes())
    assert order["errors"][0]["code"] == "segment_order" and order["errors"][0]["segment"] == "DTM"
    _, [garbage] = _post(client, auth, b"not edifact at all")
    assert garbage["status"] == "rejected" and garbage["errors"][0]["code"] == "malformed_edifact"
    assert client.get("/api/v1/declarations", headers=auth("trader")).json()["total"] == 0


def test_a_mixed_interchange_files_the_good_message_only(client, auth) -> None:  # type: ignore[no-untyped-def]
    _, answers = _post(client, auth, (GOLDEN / "mixed_good_and_bad_count.edi").read_bytes())
    assert [a["status"] for a in answers] == ["accepted", "rejected"]
    assert answers[1]["errors"][0]["code"] == "bad_segment_count"
    assert client.get("/api/v1/declarations", headers=auth("trader")).json()["total"] == 1


def test_party_binding_errors_point_at_the_nad_segment(client, auth) -> None:  # type: ignore[no-untyped-def]
    # Daehan's trader files a declaration naming Hanbit as importer: the service refuses the party
    document = import_declaration("NOT-MINE-1")
    _, [answer] = _post(client, auth, _cusdec(document), user="trader2")
    assert answer["status"] == "rejected"
    assert answer["errors"][0]["segment"] == "NAD", answer
    _, [own] = _post(client, auth, _cusdec(daehan_declaration("MINE-1")), user="trader2")
    assert own["status"] == "accepted"


def test_filing_needs_the_write_scope(client, auth) -> None:  # type: ignore[no-untyped-def]
    r = client.post(URL, content=b"UNA", headers={**auth("officer"), "Content-Type": "application/edifact"})
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")


def test_the_drop_directory_files_and_moves_each_interchange(runtime, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tmp_path = tmp_path / "drop"
    tmp_path.mkdir()
    for name in ("accepted_import_d96b.edi", "rejected_bad_item_count.edi"):
        (tmp_path / name).write_bytes((GOLDEN / name).read_bytes())
    (tmp_path / "half-written.edi.part").write_text("UNA")

    def trader(session):  # type: ignore[no-untyped-def]
        user = user_by_username(session, "trader")
        return Principal(
            user.id, user.username, Role(user.role), user.company_id, scopes_for(Role(user.role))
        )

    watcher = DropWatcher(runtime.sessions, runtime.declarations, trader, tmp_path, settle=0)
    processed = {p.source: p for p in watcher.run_once()}
    assert set(processed) == {"accepted_import_d96b.edi", "rejected_bad_item_count.edi"}
    assert (tmp_path / "done" / "accepted_import_d96b.edi").exists()
    good = read_response((tmp_path / "done" / "accepted_import_d96b.edi.cusres.edi").read_text())
    assert good[0]["status"] == "accepted" and good[0]["references"]["ABT"].startswith("CW-")
    bad = read_response((tmp_path / "failed" / "rejected_bad_item_count.edi.cusres.edi").read_text())
    assert bad[0]["errors"][0]["code"] == "bad_item_count"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["half-written.edi.part"]
    assert watcher.run_once() == []  # nothing left to do
    # the same file name dropped again: filed again (the same declaration), the first answer kept
    (tmp_path / "accepted_import_d96b.edi").write_bytes((GOLDEN / "accepted_import_d96b.edi").read_bytes())
    [again] = watcher.run_once()
    assert again.destination.name == "accepted_import_d96b.2.edi"
    assert again.response.name == "accepted_import_d96b.2.edi.cusres.edi"
    assert read_response(again.response.read_text())[0]["references"] == good[0]["references"]
