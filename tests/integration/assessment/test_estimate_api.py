"""POST /api/v1/estimates and GET /api/v1/tariff/{code}: through HTTP, as a trader would."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.assessment.api import router as estimate_router
from clearway.tariff import service as tariff
from clearway.tariff.api import router as tariff_router
from clearway.uow import unit_of_work
from tests.documents import import_declaration

NOW = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


@pytest.fixture
def api(runtime, tariff_sessions) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    runtime.close = lambda: None  # the engine is shared by the test session
    app = create_app(runtime.settings, runtime=runtime)
    mounted = {getattr(r, "path", "") for r in app.routes}
    if "/api/v1/estimates" not in mounted:  # until the core mounts the routers
        app.include_router(estimate_router, prefix="/api/v1")
        app.include_router(tariff_router, prefix="/api/v1")
    with unit_of_work(runtime.sessions) as session:
        tariff.load_demo_tariff(session, now=NOW)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_estimate_with_explanations(api, auth):
    body = {
        "items": [
            {
                "commodity_code": "0409000000",
                "origin_country": "VN",
                "quantity": "100",
                "quantity_unit": "KGM",
                "net_mass_kg": "100",
                "invoice_amount": "30",
                "currency": "USD",
                "incoterm": "CIF",
            }
        ]
    }
    response = api.post("/api/v1/estimates", json=body, headers=auth("trader"))
    assert response.status_code == 200, response.text
    result = response.json()
    # the clock says 2026-11-20; DEMO USD 1,400: 30 x 1,400 = 42,000; greater of 243% (102,060) and
    # 1,864 won/kg x 100 kg (186,400) = 186,400; VAT (42,000 + 186,400) x 10% = 22,840
    assert result["on"] == "2026-11-20" and result["total_due_krw"] == "209240"
    duty = result["lines"][0]["figures"][0]
    assert duty["computation"] == (
        "greater of (42,000 × 243% = 102,060; 100 KGM × 1,864 KRW = 186,400) = 186,400"
    )
    assert result["demo_data"] is True


def test_estimate_what_if_rate_and_cannot_assess_line(api, auth):
    body = {
        "exchange_rates": {"USD": "1500"},
        "items": [
            {
                "commodity_code": "8471300000",
                "origin_country": "CN",
                "quantity": "1",
                "quantity_unit": "U",
                "invoice_amount": "1000",
                "currency": "USD",
                "incoterm": "FOB",
            }
        ],
    }
    result = api.post("/api/v1/estimates", json=body, headers=auth("trader")).json()
    assert result["can_assess"] is False and result["total_due_krw"] is None
    assert result["lines"][0]["reasons"][0]["code"] == "freight_missing"
    body["items"][0]["freight"] = "-3"
    result = api.post("/api/v1/estimates", json=body, headers=auth("trader")).json()
    assert result["lines"][0]["reasons"][0]["code"] == "negative_freight"


def test_estimate_bad_request_is_a_problem(api, auth):
    response = api.post("/api/v1/estimates", json={"items": []}, headers=auth("trader"))
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert api.post("/api/v1/estimates", json={"items": []}).status_code == 401


def test_tariff_rates_for_an_origin(api, auth):
    response = api.get(
        "/api/v1/tariff/2711.11-0000", params={"on": "2026-05-04", "origin": "au"}, headers=auth("trader")
    )
    assert response.status_code == 200, response.text
    rates = {r["rate_code"]: r for r in response.json()["rates"]}
    assert rates["P3"]["rate"] == "2%" and rates["P3"]["demo"] is False and rates["A"]["demo"] is True
    assert rates["FAU1"]["applies_to_origin"] is True
    empty = api.get("/api/v1/tariff/0101211000", headers=auth("trader")).json()
    assert empty["no_rate_loaded"] is True
    assert api.get("/api/v1/tariff/12", headers=auth("trader")).status_code == 422
    assert (
        api.get("/api/v1/tariff/8471300000", params={"origin": "ZZ"}, headers=auth("trader")).status_code
        == 422
    )


def test_parameters_endpoint(api, auth):
    rows = api.get("/api/v1/tariff/parameters", params={"on": "2026-11-20"}, headers=auth("officer")).json()
    keys = {r["key"] for r in rows}
    assert {"vat.rate_pct", "minimum_collection.amount_krw", "traveller.allowance_usd"} <= keys


def test_a_use_specific_rate_from_the_kcs_file_needs_the_declared_use(api, auth, runtime, tmp_path):
    """용도세율구분: the declaration's optional per-line use; a declaration without it is read as before."""
    rates = tmp_path / "use.csv"
    rates.write_text(
        "품목번호,관세율구분,관세율,단위당세액,기준가격,적용국가구분,용도세율구분,적용개시일,적용만료일\n"
        "4202211090,A,8,,,1,,20260101,20261231\n"
        "4202211090,C,2,,,1,77,20260101,20261231\n",  # rates made up for the test
        encoding="utf-8",
    )
    with unit_of_work(runtime.sessions) as session:
        tariff.load_kcs_file(session, rates, now=NOW, partial=True, replace=False)

    def duty(use: str | None) -> str:
        document = import_declaration(
            "USE-1",
            items__0__use_type=use if use else ...,
            items__0__commodity_code="4202211090",
            items__0__description="Handbag",
        )
        response = api.post("/api/v1/estimates", json={"declaration": document}, headers=auth("trader"))
        assert response.status_code == 200, response.text
        figures = response.json()["lines"][0]["figures"]
        return next(f for f in figures if f["tax"] == "customs_duty")["rate_code"]

    assert duty("77") == "C"
    assert duty(None) != "C" and duty("12") != "C"
