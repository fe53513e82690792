"""Loading the official KCS rate file into the database: a complete file replaces the rates, a file that looks
truncated or is cut off is refused and the rates loaded before stay exactly as they were (one transaction);
the CLI prints the per-kind report. SQLite, and PostgreSQL in CI."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from benchmarks.tariff.kcs_workbook import OFFICIAL_HEADER, write_rows
from clearway.audit.service import Actor
from clearway.errors import ValidationFailed
from clearway.tariff import repository as repo
from clearway.tariff import service
from clearway.tariff.cli import app as tariff
from clearway.tariff.models import TariffMeasure
from clearway.tariff.nomenclature import bundled_nomenclature
from clearway.uow import unit_of_work

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADMIN = Actor("admin", None)
BEEF = "0202300000"


def complete_file(path: Path, basic: int = 8, codes: int | None = None) -> Path:
    """Every code of the nomenclature with an A row (the shape of a complete release), plus an FTA row."""
    rows = [
        (code, "A", basic, None, None, "1", None, "20260101", "20261231")
        for code in bundled_nomenclature().codes()[:codes]
    ]
    rows.append((BEEF, "FAU1", 8, None, None, "2", None, "20260101", "20261231"))
    return write_rows(path, {"2.12": rows})


def basic_rate(sessions) -> str:  # type: ignore[no-untyped-def]
    with unit_of_work(sessions) as session:
        found = repo.measures_for(session, [BEEF])[BEEF]
        return next(m.expression.text() for m in found if m.rate_code == "A")


def count(sessions) -> int:  # type: ignore[no-untyped-def]
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(TariffMeasure)) or 0


def test_a_complete_file_loads_and_a_truncated_one_changes_nothing(tariff_sessions, tmp_path: Path):
    with unit_of_work(tariff_sessions) as session:
        result = service.load_kcs_file(session, complete_file(tmp_path / "full.xlsx"), now=NOW, actor=ADMIN)
    report = result.report.as_dict()
    total = len(bundled_nomenclature())
    assert report["loaded"] == total + 1 and report["rows_per_kind"] == {"basic": total, "fta": 1}
    assert report["sheet"] == "2.12" and report["codes_without_basic_rate"] == 0
    assert basic_rate(tariff_sessions) == "8%" and count(tariff_sessions) == total + 1

    short = complete_file(tmp_path / "short.xlsx", basic=3, codes=2000)
    with pytest.raises(ValidationFailed) as info, unit_of_work(tariff_sessions) as session:
        service.load_kcs_file(session, short, now=NOW, actor=ADMIN)
    assert info.value.errors[0].code == "looks_truncated" and "2,000 of the 11,327" in str(info.value)
    assert basic_rate(tariff_sessions) == "8%" and count(tariff_sessions) == total + 1  # untouched

    cut = tmp_path / "cut.xlsx"
    data = (tmp_path / "full.xlsx").read_bytes()
    cut.write_bytes(data[: len(data) // 2])  # a download that stopped half-way
    with pytest.raises(ValidationFailed) as info, unit_of_work(tariff_sessions) as session:
        service.load_kcs_file(session, cut, now=NOW, actor=ADMIN)
    assert info.value.errors[0].code == "unreadable_file"
    assert basic_rate(tariff_sessions) == "8%" and count(tariff_sessions) == total + 1

    with unit_of_work(tariff_sessions) as session:  # a deliberate part of the tariff, added to the rest
        service.load_kcs_file(session, short, now=NOW, actor=ADMIN, partial=True, replace=False)
    assert count(tariff_sessions) == total + 1 + 2001


def test_a_file_of_refused_codes_only_is_refused_with_the_names(tariff_sessions, tmp_path: Path):
    path = write_rows(
        tmp_path / "x.xlsx", {"Sheet1": [(BEEF, "X", 20, None, None, "1", None, "20260101", "20261231")]}
    )
    with pytest.raises(ValidationFailed) as info, unit_of_work(tariff_sessions) as session:
        service.load_kcs_file(session, path, now=NOW, partial=True)
    assert "간이세율" in info.value.errors[0].message and info.value.errors[0].pointer == "/rows/2"


def test_fta_rate_from_the_file_through_the_rate_query(tariff_sessions, tmp_path: Path):
    path = write_rows(
        tmp_path / "r.xlsx",
        {
            "2.12": [
                (BEEF, "A", 40, None, None, "1", None, "20260101", "20261231"),
                (BEEF, "FAU1", 8, None, None, "2", None, "20260101", "20261231"),
            ]
        },
    )
    with unit_of_work(tariff_sessions) as session:
        service.load_kcs_file(session, path, now=NOW, partial=True)
    with unit_of_work(tariff_sessions) as session:
        au = {r["rate_code"]: r for r in service.rates_on(session, BEEF, date(2026, 3, 2), "AU")["rates"]}
        nz = {r["rate_code"]: r for r in service.rates_on(session, BEEF, date(2026, 3, 2), "NZ")["rates"]}
    assert au["FAU1"]["applies_to_origin"] is True and nz["FAU1"]["applies_to_origin"] is False
    assert au["FAU1"]["origins"] == "partners of the Korea–Australia FTA" and not au["FAU1"]["conditional"]


def test_cli_load_prints_the_report_and_refuses_a_truncated_file(
    database, tariff_sessions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", database.url)
    monkeypatch.setenv("CLEARWAY_HOME", str(tmp_path))
    path = write_rows(
        tmp_path / "관세율(2026).xlsx",
        {
            "1.1": [(BEEF, "A", 40, None, None, "1", None, "20260101", "20261231")],
            "2.12": [
                (BEEF, "A", 30, None, None, "1", None, "20260101", "20261231"),
                # dates as Excel serials: 2026-01-01 .. 2026-12-31
                (BEEF, "FAU1", 8, None, None, "2", None, 46023, 46387),
            ],
        },
    )
    runner = CliRunner()
    refused = runner.invoke(tariff, ["load", str(path)])
    assert refused.exit_code == 1 and "looks truncated" in refused.output
    loaded = runner.invoke(tariff, ["load", str(path), "--partial", "--json"])
    assert loaded.exit_code == 0, loaded.output
    report = json.loads(loaded.output)
    assert report["sheet"] == "2.12" and report["sheets_ignored"] == ["1.1"]
    assert report["rows_per_kind"] == {"basic": 1, "fta": 1}
    assert report["date_cells"] == {"text": 2, "excel_serial": 2}
    assert OFFICIAL_HEADER[0] == "품목번호" and basic_rate(tariff_sessions) == "30%"
