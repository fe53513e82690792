"""Administrator and analyst pages through the ASGI app (no browser): roles, CSRF, forms, Korean words."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from clearway.audit.models import AuditEvent
from clearway.audit.service import Actor
from clearway.identity.models import User
from clearway.party.models import Mandate
from clearway.risk.learning import modelops
from clearway.risk.models import RiskModelVersion
from clearway.tariff import service as tariff
from clearway.uow import unit_of_work
from tests.documents import BROKER, DAEHAN, HANBIT, broker_declaration, import_declaration, party
from tests.e2e.test_page_errors import browser_for, sign_in
from tests.unit.risk.test_benchmark import write_csv

ADMIN_PAGES = (
    "/admin/users",
    "/admin/companies",
    "/admin/mandates",
    "/admin/tariff",
    "/admin/parameters",
    "/admin/audit",
    "/admin/webhooks",
)
ANALYST_PAGES = ("/analyst/criteria", "/analyst/models", "/analyst/report")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.mark.parametrize("username", ["trader", "broker", "officer", "analyst"])
def test_administrator_pages_are_for_administrators_only(client: TestClient, username: str) -> None:
    csrf = sign_in(client, username)
    for address in ADMIN_PAGES:
        assert client.get(address).status_code == 403, address
    r = client.post("/admin/mandates/1/revoke", data={"csrf_token": csrf, "reason": "not mine"})
    assert r.status_code == 403


@pytest.mark.parametrize("username", ["trader", "broker", "officer"])
def test_analyst_pages_are_for_analysts_and_administrators(client: TestClient, username: str) -> None:
    sign_in(client, username)
    for address in ANALYST_PAGES:
        assert client.get(address).status_code == 403, address
    for who in ("analyst", "admin"):
        other = browser_for(client)
        sign_in(other, who)
        for address in ANALYST_PAGES:
            assert other.get(address).status_code == 200, (who, address)


def test_every_admin_and_analyst_page_renders_in_both_languages_with_csrf_forms(client: TestClient) -> None:
    sign_in(client, "admin")
    for address in (*ADMIN_PAGES, *ANALYST_PAGES):
        for lang in ("en", "ko"):
            page = client.get(address, params={"lang": lang})
            assert page.status_code == 200, (address, page.text[:500])
            for form in re.findall(r'<form method="post".*?</form>', page.text, flags=re.S):
                assert 'name="csrf_token"' in form, (address, form[:200])
        assert HANGUL.search(re.sub(r"<[^>]+>", "", page.text))


def test_admin_records_and_revokes_a_mandate_and_the_broker_files_accordingly(client, runtime, auth) -> None:  # type: ignore[no-untyped-def]
    csrf = sign_in(client, "admin")
    companies = {
        c["brn"]: c["id"] for c in client.get("/api/v1/parties/companies", headers=auth("admin")).json()
    }
    r = client.post(
        "/admin/mandates",
        data={
            "csrf_token": csrf,
            "broker_company_id": companies[BROKER.brn],
            "client_company_id": companies[DAEHAN.brn],
            "scope": "import",
            "valid_from": "2026-01-01",
            "valid_to": "2025-01-01",
        },
    )
    assert r.status_code == 422 and "before_start" in r.text
    r = client.post(
        "/admin/mandates",
        data={
            "csrf_token": csrf,
            "broker_company_id": companies[BROKER.brn],
            "client_company_id": companies[DAEHAN.brn],
            "scope": "import",
            "valid_from": "2026-01-01",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    broker = browser_for(client)
    broker_csrf = sign_in(broker, "broker")
    form = broker.get("/declarations/new").text
    assert DAEHAN.name in form  # the new client is offered
    with runtime.sessions() as session:
        mandate = session.scalars(select(Mandate).order_by(Mandate.id.desc())).first()
    document = json.dumps(broker_declaration("ADM-1", importer=party(DAEHAN)))
    assert (
        broker.post(
            "/declarations/new",
            data={"csrf_token": broker_csrf, "document": document},
            follow_redirects=False,
        ).status_code
        == 303
    )
    r = client.post(
        f"/admin/mandates/{mandate.id}/revoke",
        data={"csrf_token": csrf, "reason": "contract ended"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    document = json.dumps(broker_declaration("ADM-2", importer=party(DAEHAN)))
    refused = broker.post("/declarations/new", data={"csrf_token": broker_csrf, "document": document})
    assert refused.status_code == 422 and "no_mandate" in refused.text
    with runtime.sessions() as session:
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.subject_type == "mandate")).all()
    assert actions == ["record", "revoke"]


def test_the_broker_picks_a_client_and_the_trader_files_for_itself(client: TestClient, runtime) -> None:  # type: ignore[no-untyped-def]
    broker_csrf = sign_in(client, "broker")
    page = client.get("/declarations/new").text
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', page)
    names = [name for _, name in options]
    assert any("Gangnam Footwear" in n for n in names) and not any(
        "Seoul Customs Brokerage" in n for n in names
    )
    gangnam = next(value for value, name in options if "Gangnam" in name)
    r = client.post(
        "/declarations/new",
        data={
            "csrf_token": broker_csrf,
            "party": gangnam,
            "document": json.dumps(broker_declaration("PICK-1")),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    detail = client.get(r.headers["location"]).text
    assert "Gangnam Footwear Co." in detail
    trader = browser_for(client)
    trader_csrf = sign_in(trader, "trader")
    form = trader.get("/declarations/new").text
    assert '<select id="party"' not in form and HANBIT.name in form
    r = trader.post(
        "/declarations/new",
        data={
            "csrf_token": trader_csrf,
            "party": gangnam,
            "document": json.dumps(import_declaration("PICK-2")),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303  # a trader's choice is fixed to its own company whatever is posted


def test_admin_creates_a_user_changes_the_role_and_deactivates(
    client: TestClient, runtime, unique: str
) -> None:  # type: ignore[no-untyped-def]
    csrf = sign_in(client, "admin")
    with runtime.sessions() as session:
        daehan_id = session.scalar(select(User.company_id).where(User.username == "trader2"))
    data = {
        "csrf_token": csrf,
        "username": f"u{unique}",
        "display_name": "New Person",
        "password": "short",
        "role": "trader",
        "company_id": str(daehan_id),
    }
    bad = client.post("/admin/users", data=data)
    assert bad.status_code == 422 and "/password" in bad.text
    assert (
        client.post(
            "/admin/users", data={**data, "password": "long-enough-1"}, follow_redirects=False
        ).status_code
        == 303
    )
    with runtime.sessions() as session:
        user = session.scalar(select(User).where(User.username == f"u{unique}"))
    wrong = client.post(f"/admin/users/{user.id}/role", data={"csrf_token": csrf, "role": "officer"})
    assert wrong.status_code == 422  # an officer belongs to customs, not to a trading company
    assert (
        client.post(
            f"/admin/users/{user.id}/active", data={"csrf_token": csrf}, follow_redirects=False
        ).status_code
        == 303
    )
    with runtime.sessions() as session:
        assert session.get(User, user.id).active is False
    no_token = client.post(f"/admin/users/{user.id}/active", data={"active": "on"})
    assert no_token.status_code == 403


def test_audit_verification_and_parameter_correction_pages(client: TestClient, runtime, clock) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(runtime.sessions) as session:
        tariff.load_bundled(session, now=clock())
    csrf = sign_in(client, "admin")
    result = client.post("/admin/audit", data={"csrf_token": csrf}, params={"lang": "ko"})
    assert result.status_code == 200 and "체인이 온전합니다" in result.text
    key = "minimum_collection.amount_krw"
    assert key in client.get("/admin/parameters").text
    missing_note = client.post(
        "/admin/parameters",
        data={"csrf_token": csrf, "key": key, "value": "20000", "valid_from": "2027-01-01", "note": ""},
    )
    assert missing_note.status_code == 422 and "/note" in missing_note.text
    done = client.post(
        "/admin/parameters",
        data={
            "csrf_token": csrf,
            "key": key,
            "value": "20000",
            "valid_from": "2027-01-01",
            "note": "gazette 2026-12",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    later = client.get("/admin/parameters", params={"on": "2027-02-01"}).text
    row = re.search(rf"<code>{re.escape(key)}</code></td><td><code>([^<]+)</code>", later)
    assert row is not None and row.group(1) == "20000"
    with runtime.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET reason = 'nothing to see' WHERE seq = 1"))
    tampered = client.post("/admin/audit", data={"csrf_token": csrf}, params={"lang": "en"})
    assert (
        "The chain is broken: 1 finding(s)." in tampered.text
        and "edited after it was written" in tampered.text
    )


def test_a_korean_field_error_is_korean_with_a_one_based_line_and_a_jump(client: TestClient) -> None:
    csrf = sign_in(client, "trader")
    bad = import_declaration("KO-1", items__0__currency="XYZ")
    bad["items"].append({**bad["items"][0], "line_number": 2, "currency": "USD", "quantity": "-1"})
    raw = json.dumps(bad, indent=2)
    page = client.post(
        "/declarations/check", data={"csrf_token": csrf, "document": raw}, params={"lang": "ko"}
    ).text
    assert "1번째 품목" in page and "2번째 품목" in page
    assert "알 수 없는 통화 코드입니다" in page and "0보다 커야 합니다" in page
    assert "is not an ISO 4217" not in page  # the service's English sentence is not shown in Korean
    quantity_line = raw.splitlines().index('      "quantity": "-1",') + 1
    assert f'data-line="{quantity_line}"' in page


def test_tariff_and_exchange_rate_loads_show_their_report(client: TestClient, tmp_path) -> None:  # type: ignore[no-untyped-def]
    csrf = sign_in(client, "admin")
    fx = "통화부호,과세환율,적용개시일자\nUSD,1385.2,20260301\nJPY(100),921.5,20260301\nXXX,abc,20260301\n"
    r = client.post(
        "/admin/tariff",
        data={"csrf_token": csrf, "kind": "exchange_rates"},
        files={"file": ("fx.csv", fx.encode("utf-8"), "text/csv")},
        params={"lang": "en"},
    )
    assert r.status_code == 200, r.text
    report = re.search(r'<section class="card" aria-labelledby="report-h">(.*?)</section>', r.text, re.S)
    assert report is not None and "fx.csv" in report.group(1)
    facts = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", report.group(1)))
    assert facts["Rows loaded"] == "2" and facts["Rows skipped"] == "1"
    bad = client.post(
        "/admin/tariff",
        data={"csrf_token": csrf, "kind": "rates"},
        files={"file": ("rates.csv", b"nothing,useful\n1,2\n", "text/csv")},
        params={"lang": "ko"},
    )
    assert bad.status_code == 422 and "관세율표 파일을 적재하지 못했습니다" in bad.text
    wrong_type = client.post(
        "/admin/tariff",
        data={"csrf_token": csrf, "kind": "rates"},
        files={"file": ("rates.exe", b"MZ", "application/octet-stream")},
    )
    assert wrong_type.status_code == 422


def test_analyst_promotes_rolls_back_and_dry_runs(client: TestClient, runtime, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    versions = []
    for seed in (1, 2):
        clock.advance(minutes=1)
        with unit_of_work(runtime.sessions) as session:
            _, _, version = modelops.train_from_files(
                session,
                [write_csv(tmp_path / f"train{seed}.csv", 300, seed)],
                models_dir=runtime.settings.models_dir,
                actor=Actor("analyst"),
                now=clock(),
            )
        versions.append(version)
    csrf = sign_in(client, "analyst")
    for version in versions:
        missing_note = client.post(
            f"/analyst/models/{version}/promote", data={"csrf_token": csrf, "note": ""}
        )
        assert missing_note.status_code == 422
        assert (
            client.post(
                f"/analyst/models/{version}/promote",
                data={"csrf_token": csrf, "note": "holdout"},
                follow_redirects=False,
            ).status_code
            == 303
        )
    page = client.get("/analyst/models", params={"lang": "en"}).text
    assert "Roll back to this version" in page  # the first version, retired
    assert (
        client.post(
            f"/analyst/models/{versions[0]}/promote",
            data={"csrf_token": csrf, "note": "v2 drifted"},
            follow_redirects=False,
        ).status_code
        == 303
    )
    with runtime.sessions() as session:
        status = {v: s for v, s in session.execute(select(RiskModelVersion.version, RiskModelVersion.status))}
    assert status == {versions[0]: "promoted", versions[1]: "retired"}
    ok = client.post(
        "/analyst/criteria/dry-run",
        data={
            "csrf_token": csrf,
            "condition": json.dumps({"field": "origin_country", "op": "eq", "value": "CN"}),
        },
    )
    assert ok.status_code == 200 and 'id="dry-run-result"' in ok.text
    bad = client.post("/analyst/criteria/dry-run", data={"csrf_token": csrf, "condition": "{nope"})
    assert bad.status_code == 422 and "/condition" in bad.text
    officer = browser_for(client)
    officer_csrf = sign_in(officer, "officer")
    refused = officer.post(
        f"/analyst/models/{versions[1]}/promote", data={"csrf_token": officer_csrf, "note": "x"}
    )
    assert refused.status_code == 403


def test_the_risk_report_draws_its_charts_as_inline_svg(client: TestClient, auth) -> None:  # type: ignore[no-untyped-def]
    client.post("/api/v1/declarations", json=import_declaration("REP-1"), headers=auth("trader"))
    sign_in(client, "analyst")
    page = client.get("/analyst/report", params={"lang": "ko"}).text
    assert page.count('<svg class="chart"') == 3
    assert "검사구분별 신고 건수" in page and 'id="drift-alert"' in page
    assert "<script" not in page.split("<main", 1)[1]  # drawn on the server, no script


def test_a_trader_mandates_its_broker_on_its_own_page_and_revokes_it(client: TestClient, runtime) -> None:  # type: ignore[no-untyped-def]
    csrf = sign_in(client, "trader2")
    page = client.get("/mandates", params={"lang": "ko"}).text
    assert "위임 관리" in page and "관세사에게 위임" in page
    broker_id = re.search(r'<select id="m-broker" name="broker_company_id"><option value="(\d+)"', page)
    assert broker_id is not None
    data = {"csrf_token": csrf, "broker_company_id": broker_id.group(1), "scope": "both", "valid_from": ""}
    assert client.post("/mandates", data=data).status_code == 422  # no start date
    done = client.post("/mandates", data={**data, "valid_from": "2026-11-01"}, follow_redirects=False)
    assert done.status_code == 303
    broker = browser_for(client)
    broker_csrf = sign_in(broker, "broker")
    held = broker.get("/mandates").text
    assert DAEHAN.name in held and "관세사에게 위임" not in held and "Mandate a broker" not in held
    refused = broker.post("/mandates", data={**data, "csrf_token": broker_csrf, "valid_from": "2026-11-01"})
    assert refused.status_code == 403  # a broker cannot mandate itself
    document = json.dumps(broker_declaration("OWN-M1", importer=party(DAEHAN)))
    assert (
        broker.post(
            "/declarations/new",
            data={"csrf_token": broker_csrf, "document": document},
            follow_redirects=False,
        ).status_code
        == 303
    )
    with runtime.sessions() as session:
        mandate = session.scalars(select(Mandate).order_by(Mandate.id.desc())).first()
    assert mandate is not None and mandate.scope == "both" and mandate.revoked_on is None
    revoked = client.post(
        f"/mandates/{mandate.id}/revoke",
        data={"csrf_token": csrf, "reason": "new broker"},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    other = browser_for(client)
    other_csrf = sign_in(other, "trader")  # Hanbit: not a party to Daehan's mandate
    assert (
        other.post(
            f"/mandates/{mandate.id}/revoke", data={"csrf_token": other_csrf, "reason": "x"}
        ).status_code
        == 404
    )
    officer = browser_for(client)
    sign_in(officer, "officer")
    assert officer.get("/mandates").status_code == 403
