"""``clearway tariff`` and ``clearway duty`` as a user runs them (typer's runner, the test database)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clearway.assessment.cli import app as duty
from clearway.tariff.cli import app as tariff

runner = CliRunner()


@pytest.fixture
def env(database, tariff_sessions, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", database.url)
    monkeypatch.setenv("CLEARWAY_HOME", str(tmp_path))
    result = runner.invoke(tariff, ["load-demo", "--json"])
    assert result.exit_code == 0, result.output
    return tmp_path


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_estimate_prints_every_figure_with_its_basis(env: Path):
    request = write(
        env / "shipment.json",
        {
            "on": "2026-11-20",
            "items": [
                {
                    "commodity_code": "4202211090",
                    "origin_country": "IT",
                    "quantity": "2",
                    "quantity_unit": "U",
                    "net_mass_kg": "3",
                    "invoice_amount": "5000",
                    "currency": "EUR",
                    "incoterm": "CIF",
                }
            ],
        },
    )
    result = runner.invoke(duty, ["estimate", str(request)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    # EUR 5,000 x 1,520 (DEMO) = 7,600,000; duty 8% 608,000; ICT 20% of (8,208,000 - 4,000,000) = 841,600;
    # education 252,480; rural 84,160; VAT 938,620 → total 2,724,860
    assert "total due: 2,724,860 won" in result.output
    assert "개별소비세" in result.output and "관세법 제50조" in result.output and "DEMO DATA" in result.output


def test_estimate_json_with_a_what_if_rate(env: Path):
    request = write(
        env / "s.json",
        {
            "items": [
                {
                    "commodity_code": "8471300000",
                    "origin_country": "CN",
                    "quantity": "1",
                    "quantity_unit": "U",
                    "invoice_amount": "1000",
                    "currency": "USD",
                    "incoterm": "CIF",
                }
            ]
        },
    )
    result = runner.invoke(
        duty, ["estimate", str(request), "--on", "2026-11-20", "--rate", "USD=1500", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["lines"][0]["customs_value_krw"] == "1500000" and data["what_if_exchange_rates"] == {
        "USD": "1500"
    }


def test_estimate_exit_codes(env: Path):
    no_rate = write(
        env / "n.json",
        {
            "on": "2026-11-20",
            "items": [
                {
                    "commodity_code": "0101211000",
                    "origin_country": "CN",
                    "quantity": "1",
                    "quantity_unit": "U",
                    "invoice_amount": "1000",
                    "currency": "USD",
                    "incoterm": "CIF",
                }
            ],
        },
    )
    result = runner.invoke(duty, ["estimate", str(no_rate)])
    assert result.exit_code == 1 and "no rate loaded for 0101211000 on 2026-11-20" in result.output
    bad = write(env / "b.json", {"items": [{"commodity_code": "8471300000"}]})
    assert runner.invoke(duty, ["estimate", str(bad)]).exit_code == 2
    assert runner.invoke(duty, ["estimate", str(env / "missing.json")]).exit_code == 2


def test_tariff_show_status_parameters_and_correction(env: Path):
    shown = runner.invoke(tariff, ["show", "2711110000", "--on", "2026-05-04", "--origin", "AU", "--json"])
    assert shown.exit_code == 0 and any(r["rate_code"] == "P3" for r in json.loads(shown.output)["rates"])
    assert runner.invoke(tariff, ["status"]).exit_code == 0
    fixed = runner.invoke(
        tariff,
        [
            "set-parameter",
            "minimum_collection.amount_krw",
            "20000",
            "--from",
            "2027-01-01",
            "--note",
            "test correction",
            "--json",
        ],
    )
    assert fixed.exit_code == 0, fixed.output
    params = json.loads(runner.invoke(tariff, ["parameters", "--on", "2027-01-01", "--json"]).output)
    assert {p["key"]: p["value"] for p in params}["minimum_collection.amount_krw"] == {"decimal": "20000"}
    unknown = runner.invoke(tariff, ["set-parameter", "nope", "1", "--from", "2027-01-01", "--note", "x"])
    assert unknown.exit_code == 1


def test_loading_a_file(env: Path):
    rates = env / "fx.csv"
    rates.write_text("통화부호,과세환율,적용개시일자\nUSD,1391.5,20261122\n", encoding="utf-8")
    result = runner.invoke(tariff, ["load-rates", str(rates), "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["loaded"] == 1
    bad = env / "rates.csv"
    bad.write_text("nothing,here\n1,2\n", encoding="utf-8")
    result = runner.invoke(tariff, ["load", str(bad)])
    assert result.exit_code == 1 and "품목번호" in result.output
