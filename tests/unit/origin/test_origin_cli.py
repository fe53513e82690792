"""``clearway origin`` as a user runs it (the sub-app; the core registers it under the root command)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from clearway.origin.cli import app
from tests.unit.origin.samples import UK_KR_INVOICE, pdf_with_text, pdf_without_text

runner = CliRunner()

BOM = {
    "agreement": "UK-KR",
    "product": {
        "hs": "8501.52",
        "description": "AC induction motor 7.5 kW",
        "ex_works_price": "1000.00",
        "fob_price": "1050.00",
        "currency": "GBP",
        "producer_country": "GB",
        "processes": ["winding", "assembly", "testing"],
    },
    "materials": [
        {
            "hs": "8503.00",
            "description": "stator laminations",
            "value": "300",
            "origin_country": "CN",
            "originating": False,
        },
        {
            "hs": "7408.11",
            "description": "copper winding wire",
            "value": "120",
            "origin_country": "KR",
            "originating": True,
        },
        {
            "hs": "8482.10",
            "description": "ball bearings",
            "value": "80",
            "origin_country": "JP",
            "originating": False,
        },
        {
            "hs": "8501.10",
            "description": "cooling fan motor",
            "value": "60",
            "origin_country": "CN",
            "originating": False,
        },
    ],
    "transit": [],
}


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    return path


def test_check_prints_the_reasoning_and_exits_zero_when_originating(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(write(tmp_path, "bom.json", BOM))])
    assert result.exit_code == 0, result.output
    assert "ORIGINATING under UK-KR" in result.output
    assert "tolerance used" in result.output and "6.00%" in result.output


def test_check_json_and_the_agreement_option(tmp_path: Path) -> None:
    bom = {k: v for k, v in BOM.items() if k != "agreement"}
    result = runner.invoke(
        app, ["check", str(write(tmp_path, "bom.json", bom)), "--agreement", "UK-KR", "--json"]
    )
    assert result.exit_code == 0
    body = json.loads(result.output)
    assert body["status"] == "originating" and body["rules"][0]["applied_alternative"] == 1


def test_check_exits_one_when_not_originating(tmp_path: Path) -> None:
    bom = json.loads(json.dumps(BOM))
    bom["materials"][3]["value"] = "300"  # the same-heading fan motor is now 30 %; MaxNOM 68 %
    bom["materials"][0]["value"] = "300"
    result = runner.invoke(app, ["check", str(write(tmp_path, "bom.json", bom))])
    assert result.exit_code == 1
    assert "NOT ORIGINATING" in result.output


def test_check_exits_two_on_bad_input(tmp_path: Path) -> None:
    bom = json.loads(json.dumps(BOM))
    bom["materials"][0]["value"] = "5000"
    result = runner.invoke(app, ["check", str(write(tmp_path, "bom.json", bom))])
    assert result.exit_code == 2
    assert "materials_exceed_price" in result.output
    result = runner.invoke(app, ["check", str(tmp_path / "missing.json")])
    assert result.exit_code == 2 and "no such file" in result.output


def test_certificate_read(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["certificate", "read", str(write(tmp_path, "inv.pdf", pdf_with_text(UK_KR_INVOICE))), "--json"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert (
        body["agreement"] == "UK-KR"
        and body["fields"]["exporter_authorisation"]["value"] == "GBAEO/UKKR/0042"
    )
    human = runner.invoke(app, ["certificate", "read", str(tmp_path / "inv.pdf")])
    assert "exporter_name" in human.output and "Thames Precision Motors" in human.output


def test_certificate_read_of_a_scan(tmp_path: Path) -> None:
    result = runner.invoke(app, ["certificate", "read", str(write(tmp_path, "scan.pdf", pdf_without_text()))])
    assert result.exit_code == 2 and "no text layer" in result.output


def test_rules_and_cases() -> None:
    result = runner.invoke(app, ["rules", "8501.52", "--agreement", "UK-KR"])
    assert result.exit_code == 0 and "MaxNOM 45% EXW" in result.output
    result = runner.invoke(app, ["cases", "--json"])
    body = json.loads(result.output)
    assert body["agreement_cases"]["reproduced"] == 27 and body["textile_cases"]["country_reproduced"] == 12
