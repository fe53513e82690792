"""Findings 9-14: bounded amounts (and a batch that answers item by item), validated edges, normalised
references and refused invisible characters, one precision, optimistic concurrency on amend, 413 when
chunked."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import select

from clearway.declaration.assessed import AssessedLine
from clearway.declaration.content import DeclarationContent
from clearway.declaration.models import DeclarationLine
from clearway.declaration.service import MAX_STORABLE, unstorable_amounts
from clearway.declaration.steps import AssessmentOutcome, AssessmentStep, FilingSteps
from clearway.declaration.validation import parse_declaration
from clearway.errors import ValidationFailed
from clearway.tariff.nomenclature import bundled_nomenclature
from tests.documents import import_declaration

URL = "/api/v1/declarations"


class WonScaleAssessment(AssessmentStep):
    """A plug-in assessment step (the filing pipeline's extension point) whose figures are the invoice amount
    scaled to won at 100,000 per unit: a large invoice then exceeds what NUMERIC(20,4) can hold."""

    def assess(self, session, content, context):  # type: ignore[no-untyped-def]
        results = tuple(
            AssessedLine(
                i.line_number,
                can_assess=True,
                customs_value_krw=i.invoice_amount * 100_000,
                duty_krw=Decimal(0),
                taxes_krw=Decimal(0),
                due_krw=Decimal(0),
            )
            for i in content.items
        )
        lines = [
            {"line_number": r.line_number, "customs_value_krw": str(r.customs_value_krw), "duty_krw": "0"}
            for r in results
        ]
        # something is due, so an accepted declaration waits for payment (and can still be amended)
        return AssessmentOutcome(
            method="won-scale", placeholder=True, total_due_krw=Decimal(10_000), lines=lines, results=results
        )


@pytest.fixture
def steps() -> FilingSteps:
    return FilingSteps(assessment=WonScaleAssessment())


def test_a_total_beyond_the_bound_is_a_named_422(client, auth):  # type: ignore[no-untyped-def]
    document = import_declaration("BIG-1", items__0__invoice_amount="1000000000000", items__0__freight="1")
    r = client.post(URL, json=document, headers=auth("trader"))
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "total_too_large"


def test_unstorable_figures_are_refused_and_a_batch_answers_each_item(  # type: ignore[no-untyped-def]
    client,
    auth,
):
    huge = import_declaration("BIG-2", items__0__invoice_amount="100000000000")  # 1e16 won: beyond 20,4
    fine = import_declaration("OK-2")
    r = client.post(
        f"{URL}:batch",
        json={"declarations": [fine, huge, import_declaration("OK-3")]},
        headers=auth("trader"),
    )
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["status"] for x in results] == [201, 422, 201]
    assert results[1]["problem"]["errors"][0] == {
        "pointer": "/items/0/invoice_amount",
        "code": "amount_too_large",
        "message": f"the assessed figures exceed {MAX_STORABLE:f} won",
    }
    assert client.post(URL, json=huge, headers=auth("trader")).status_code == 422


def test_the_storage_bound_is_exact():
    content = parse_declaration(import_declaration("B-1"), nomenclature=bundled_nomenclature(), on=None)

    def outcome(value: Decimal) -> AssessmentOutcome:
        line = AssessedLine(1, can_assess=True, customs_value_krw=value)
        return AssessmentOutcome("m", False, Decimal(0), results=(line,))

    assert unstorable_amounts(content, outcome(MAX_STORABLE)) == []
    over = unstorable_amounts(content, outcome(MAX_STORABLE + Decimal("0.0001")))
    assert over[0].code == "amount_too_large"


def test_out_of_range_values_at_the_edge_are_422_not_500(  # type: ignore[no-untyped-def]
    client,
    auth,
    tokens,
):
    filed = client.post(URL, json=import_declaration("EDGE-1"), headers=auth("trader")).json()
    client.cookies.set("clearway_session", tokens["trader"])
    page = client.get(f"/declarations/{filed['id']}?version=2147483648")
    assert page.status_code == 422
    client.cookies.clear()
    api = client.get(f"{URL}/{filed['id']}", params={"version": 2147483648}, headers=auth("trader"))
    assert api.status_code == 422
    scope = client.post(
        "/api/v1/auth/token",
        json={
            "username": "trader",
            "password": "trader-demo-2026",
            "scopes": ["declarations:read", "no:such"],
        },
    )
    assert scope.status_code == 422


def test_invisibly_different_references_are_one_reference_or_refused(  # type: ignore[no-untyped-def]
    client,
    auth,
):
    first = client.post(URL, json=import_declaration("ZW-13636"), headers=auth("trader"))
    assert first.status_code == 201
    fullwidth = client.post(URL, json=import_declaration("ＺＷ－１３６３６"), headers=auth("trader"))
    assert fullwidth.status_code == 200 and fullwidth.json()["id"] == first.json()["id"]  # the same, replayed
    for sneaky in ("ZW-\u200b13636", "ZW-13636\u202e", "ZW-\u00ad13636", "ZW-1363\u20636"):
        r = client.post(URL, json=import_declaration(sneaky), headers=auth("trader"))
        assert r.status_code == 422, sneaky
        assert r.json()["errors"][0]["pointer"] == "/declarant_reference"
        assert r.json()["errors"][0]["code"] == "invisible_character"
    listing = client.get(URL, headers=auth("trader")).json()
    assert listing["total"] == 1


def test_raw_del_c1_and_bidi_controls_are_refused_in_free_text(client, auth):  # type: ignore[no-untyped-def]
    document = import_declaration("TXT-1")
    for bad, code in (
        ("\x7f", "control_character"),
        ("\x85", "control_character"),
        ("\u202e", "invisible_character"),
        ("\u2066", "invisible_character"),
    ):
        document["items"][0]["description"] = f"Laptop{bad} computers"
        raw = json.dumps(document, ensure_ascii=False).encode("utf-8")  # the character itself, not an escape
        r = client.post(URL, content=raw, headers={**auth("trader"), "Content-Type": "application/json"})
        assert r.status_code == 422, repr(bad)
        error = r.json()["errors"][0]
        assert (error["pointer"], error["code"]) == ("/items/0/description", code)
    assert client.get(URL, headers=auth("trader")).json()["total"] == 0


def test_files_and_forms_follow_the_same_rule():
    # a file read by the CLI or a page goes through the document's validators
    with pytest.raises(ValidationFailed) as refused:
        parse_declaration(import_declaration("ZW-\u200b1"), nomenclature=bundled_nomenclature(), on=None)
    assert refused.value.errors[0].code == "invisible_character"
    content = DeclarationContent.model_validate(import_declaration("ＩＮＶ－２０２６/７"))
    assert content.declarant_reference == "INV-2026/7"


def test_one_precision_for_quantities_and_masses(client, auth, runtime):  # type: ignore[no-untyped-def]
    finer = import_declaration("PR-1", items__0__net_mass_kg="1.123456")
    r = client.post(URL, json=finer, headers=auth("trader"))
    assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "/items/0/net_mass_kg"
    ok = client.post(
        URL,
        json=import_declaration("PR-2", items__0__net_mass_kg="1.1234", items__0__quantity="2.5001"),
        headers=auth("trader"),
    )
    assert ok.status_code == 201
    assert ok.json()["content"]["items"][0]["net_mass_kg"] == "1.1234"
    with runtime.sessions() as session:
        assert session.scalar(select(DeclarationLine.net_mass_kg)) == Decimal("1.1234")


def test_amend_needs_the_current_version(client, auth):  # type: ignore[no-untyped-def]
    d = client.post(URL, json=import_declaration("OC-1"), headers=auth("trader")).json()
    corrected = {
        "reason": "quantity corrected",
        "declaration": import_declaration("OC-1", items__0__quantity="7"),
    }
    missing = client.post(f"{URL}/{d['id']}/amend", json=corrected, headers=auth("trader"))
    assert missing.status_code == 428
    etag = client.get(f"{URL}/{d['id']}", headers=auth("trader")).headers["etag"]
    assert etag == '"1"'
    ok = client.post(f"{URL}/{d['id']}/amend", json=corrected, headers={**auth("trader"), "If-Match": etag})
    assert ok.status_code == 200, ok.text
    assert ok.json()["version"] == 2
    stale = client.post(
        f"{URL}/{d['id']}/amend", json={**corrected, "base_version": 1}, headers=auth("trader")
    )
    assert stale.status_code == 409 and stale.json()["current_version"] == 2


def test_parallel_amends_from_one_version_keep_one_and_refuse_the_rest(  # type: ignore[no-untyped-def]
    client,
    auth,
    database,
):
    if database.backend != "postgresql":
        pytest.skip("row locks under real concurrency: PostgreSQL")
    d = client.post(URL, json=import_declaration("OC-2"), headers=auth("trader")).json()
    codes: list[int] = []

    def amend(n: int) -> None:
        body = {
            "reason": f"correction {n}",
            "base_version": 1,
            "declaration": import_declaration("OC-2", items__0__quantity=str(10 + n)),
        }
        codes.append(client.post(f"{URL}/{d['id']}/amend", json=body, headers=auth("trader")).status_code)

    threads = [threading.Thread(target=amend, args=(n,)) for n in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [200] + [409] * 9
    full = client.get(f"{URL}/{d['id']}", headers=auth("trader")).json()
    assert [v["version"] for v in full["versions"]] == [1, 2]


def test_a_chunked_body_over_the_limit_is_413(client, auth, runtime):  # type: ignore[no-untyped-def]
    def chunks() -> Iterator[bytes]:
        yield b'{"declarations": ["'
        for _ in range(9):
            yield b"x" * (1024 * 1024)
        yield b'"]}'

    headers = {**auth("trader"), "Content-Type": "application/json"}
    r = client.post(f"{URL}:batch", content=chunks(), headers=headers)
    assert r.status_code == 413 and r.headers["content-type"].startswith("application/problem+json")
    body = json.dumps({"declarations": [import_declaration("CH-1")]}).encode()
    small = client.post(f"{URL}:batch", content=iter([body]), headers=headers)
    assert small.status_code == 200 and small.json()["filed"] == 1
