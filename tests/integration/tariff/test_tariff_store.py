"""Loading the tariff into the database and reading it back (SQLite, and PostgreSQL in CI)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from clearway.audit.models import AuditEvent
from clearway.audit.service import Actor
from clearway.errors import NotFound, ValidationFailed
from clearway.tariff import demo, service
from clearway.tariff import repository as repo
from clearway.tariff.models import TariffMeasure
from clearway.tariff.uk import UK_SOURCE, fixture_commodity
from clearway.uow import unit_of_work

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADMIN = Actor("admin", None)

KCS = """품목번호,관세율구분,관세율,단위당세액,기준가격,적용국가구분,용도구분,적용개시일자,적용만료일자
8471300000,A,8,,,1,,20260101,99991231
8471300000,CIT,0,,,1,,20260101,99991231
0409000000,A,243,1864,,1,,20260101,99991231
8471300000,A,x,,,1,,20260101,99991231
"""


def test_kcs_file_load_replaces_earlier_loads(tariff_sessions, tmp_path: Path):
    path = tmp_path / "rates.csv"
    path.write_text(KCS, encoding="utf-8")
    with unit_of_work(tariff_sessions) as session:  # other tests' loads may be in the audit trail already
        before = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "tariff_loaded")
        )
    with unit_of_work(tariff_sessions) as session:
        result = service.load_kcs_file(session, path, now=NOW, actor=ADMIN, partial=True)
        assert result.report.loaded == 3 and len(result.report.skipped) == 1
    with unit_of_work(tariff_sessions) as session:
        service.load_kcs_file(session, path, now=NOW, actor=ADMIN, partial=True)
    with unit_of_work(tariff_sessions) as session:
        assert session.scalar(select(func.count()).select_from(TariffMeasure)) == 3
        honey = repo.measures_for(session, ["0409000000"])["0409000000"][0]
        assert honey.expression.text() == "243% or 1,864 KRW/KGM, whichever is the greater"
        assert (
            session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "tariff_loaded")
            )
            == before + 2
        )


def test_a_file_without_rates_is_refused_with_reasons(tariff_sessions, tmp_path: Path):
    path = tmp_path / "bad.csv"
    path.write_text("품목번호,관세율구분,관세율,적용개시일자\nabc,A,8,20260101\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as info, unit_of_work(tariff_sessions) as session:
        service.load_kcs_file(session, path, now=NOW, partial=True)
    assert info.value.errors[0].pointer == "/rows/2"
    other = tmp_path / "rates.pdf"
    other.write_text("x")
    with pytest.raises(ValidationFailed, match=r"csv or \.xlsx"), unit_of_work(tariff_sessions) as session:
        service.load_kcs_file(session, other, now=NOW)


def test_exchange_rate_file_load_and_replacement(tariff_sessions, tmp_path: Path):
    path = tmp_path / "fx.csv"
    path.write_text(
        "통화부호,과세환율,적용개시일자\nUSD,1385.2,20260301\nJPY(100),921.5,20260301\n", encoding="utf-8"
    )
    with unit_of_work(tariff_sessions) as session:
        service.load_exchange_rate_file(session, path, now=NOW)
    path.write_text("통화부호,과세환율,적용개시일자\nUSD,1390.0,20260301\n", encoding="utf-8")
    with unit_of_work(tariff_sessions) as session:
        service.load_exchange_rate_file(session, path, now=NOW)
    with unit_of_work(tariff_sessions) as session:
        rates = {r.currency: r for r in repo.exchange_rates_on(session, date(2026, 3, 4))}
        assert rates["USD"].rate_krw == Decimal("1390.0") and rates["JPY"].per == 100
        assert repo.exchange_rates_on(session, date(2026, 3, 8)) == []


def test_demo_tariff_is_idempotent_and_labelled(tariff_sessions):
    with unit_of_work(tariff_sessions) as session:
        first = service.load_demo_tariff(session, now=NOW)
    with unit_of_work(tariff_sessions) as session:
        second = service.load_demo_tariff(session, now=NOW)
        assert first == second
        counts = repo.counts(session)
        assert (
            counts["measures"]
            == first["quota_measures"] + first["reference_measures"] + first["demo_measures"]
        )
        laptop = repo.measures_for(session, ["8471300000"])["8471300000"]
        assert {m.rate_code for m in laptop} == {"A", "CIT"} and all(m.demo for m in laptop)
        assert all("DEMO" in m.source for m in laptop)
        lng = repo.measures_for(session, ["2711110000"])["2711110000"]
        assert any(m.rate_code == "P3" and not m.demo and "KCSTARIFF" in m.source for m in lng)
        assert len(demo.DEMO_CODES) == first["demo_codes"]


def test_rates_on_a_date_for_an_origin(tariff_sessions):
    with unit_of_work(tariff_sessions) as session:
        service.load_demo_tariff(session, now=NOW)
    with unit_of_work(tariff_sessions) as session:
        shown = service.rates_on(session, "0201300000", date(2026, 3, 4), "US")
        by_code = {r["rate_code"]: r for r in shown["rates"]}
        assert by_code["FUS1"]["applies_to_origin"] is True and by_code["FAU1"]["applies_to_origin"] is False
        assert shown["nomenclature"]["name_en"] == "Boneless"
        assert shown["internal_taxes"][0]["tax"] == "vat_exemption"
        nothing = service.rates_on(session, "0101211000", date(2026, 3, 4), None)
        assert (
            nothing["no_rate_loaded"] and nothing["message"] == "no rate loaded for 0101211000 on 2026-03-04"
        )


def test_administrator_corrects_a_parameter(tariff_sessions):
    with unit_of_work(tariff_sessions) as session:
        service.load_bundled(session, now=NOW)
    with unit_of_work(tariff_sessions) as session:
        service.set_parameter(
            session,
            key="traveller.self_declaration_cap_krw",
            value=150000,
            valid_from=date(2026, 7, 1),
            now=NOW,
            actor=ADMIN,
            note="per the 2026 decree",
        )
    with unit_of_work(tariff_sessions) as session:
        on_june = {p["key"]: p for p in service.parameter_list(session, date(2026, 6, 30))}
        on_july = {p["key"]: p for p in service.parameter_list(session, date(2026, 7, 1))}
        assert on_june["traveller.self_declaration_cap_krw"]["value"] == {"decimal": "200000"}
        assert on_july["traveller.self_declaration_cap_krw"]["value"] == {"decimal": "150000"}
        assert on_july["traveller.self_declaration_cap_krw"]["status"] == "sourced"
        with pytest.raises(NotFound):
            service.set_parameter(
                session, key="nope", value=1, valid_from=date(2026, 7, 1), now=NOW, actor=ADMIN, note=""
            )
    # reloading the bundled data keeps the administrator's correction
    with unit_of_work(tariff_sessions) as session:
        service.load_bundled(session, now=NOW)
    with unit_of_work(tariff_sessions) as session:
        on_july = {p["key"]: p for p in service.parameter_list(session, date(2026, 7, 1))}
        assert on_july["traveller.self_declaration_cap_krw"]["value"] == {"decimal": "150000"}


def test_the_uk_pack_round_trips_through_the_same_tables(tariff_sessions):
    measures = [m.measure for m in fixture_commodity().measures]
    with unit_of_work(tariff_sessions) as session:
        source = repo.add_source(
            session, kind="uk_fixture", label=UK_SOURCE, country="GB", rows=len(measures), demo=False, now=NOW
        )
        repo.insert_measures(session, source, measures)
    with unit_of_work(tariff_sessions) as session:
        back = repo.measures_for(session, ["7202118000"], country="GB")["7202118000"]
        assert repo.measures_for(session, ["7202118000"])["7202118000"] == []  # not in the Korean pack
    assert sorted(back, key=lambda m: m.sid) == sorted(measures, key=lambda m: m.sid)


def test_every_process_sees_a_new_tariff_once_it_is_committed(tariff_sessions, tmp_path: Path):
    """The tariff read is shared between requests; a committed load gives it a new generation, so the next
    transaction reads the new rates, while an uncommitted (rolled back) one changes nothing."""
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(KCS, encoding="utf-8")
    second.write_text(KCS.replace("8471300000,A,8,", "8471300000,A,3,"), encoding="utf-8")

    def basic_rate() -> str:
        with unit_of_work(tariff_sessions) as session:
            snapshot = service.snapshot_for(session, ["8471300000"], [date(2026, 3, 2)])
            return next(
                m.expression.text()
                for m in snapshot.measures.on("8471300000", date(2026, 3, 2))
                if m.rate_code == "A"
            )

    with unit_of_work(tariff_sessions) as session:
        service.load_kcs_file(session, first, now=NOW, actor=ADMIN, partial=True)
    assert basic_rate() == "8%"
    assert basic_rate() == "8%"  # read from the shared cache
    with pytest.raises(RuntimeError), unit_of_work(tariff_sessions) as session:
        service.load_kcs_file(session, second, now=NOW, actor=ADMIN, partial=True)
        raise RuntimeError("the administrator's transaction fails")
    assert basic_rate() == "8%"
    with unit_of_work(tariff_sessions) as session:
        service.load_kcs_file(session, second, now=NOW, actor=ADMIN, partial=True)
    assert basic_rate() == "3%"
