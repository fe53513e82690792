"""Trade statistics: the refresh job (declarations per second, full and incremental) and the statistics queries
over the cells of one million declarations, on PostgreSQL (or SQLite).

    .venv/bin/python benchmarks/trade_statistics.py --postgres postgresql://postgres@127.0.0.1:5432/test \\
        --refresh 5000 --declarations 1000000

Refresh: ``--refresh`` accepted declarations (content and assessment as filing stores them) are inserted in bulk
(not timed), then ``statistics.refresh.refresh`` runs as the job does: a full first refresh, then an
incremental one after 1% of them changed (a new version with another lane), and one with nothing changed.

Queries: ``--declarations`` generated declarations (2,000 importers, each with a portfolio of HS codes, origins,
an office and transport modes, 24 months, 1–3 lines each) go through the same pure ``statistics.core.contribution``
the job applies; the resulting cells are loaded with COPY (the refresh's result, without running the job a
million times). Each query is the API's ``statistics.service.query`` (published view, suppression, paging),
timed 7 times; the median and the worst are reported. Writes benchmarks/results/trade_statistics[_postgresql].json.
``--queries-only`` times the queries again on the database the last PostgreSQL run left (after a query change).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics as stats_lib
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, make_url, select, text, update

from benchmarks.record import RESULTS, write
from clearway.config import Settings
from clearway.db import allocate_ids, bulk_insert, scratch_database
from clearway.declaration.models import Declaration, DeclarationVersion
from clearway.demo.run import seed
from clearway.identity.core import Principal, Role, scopes_for
from clearway.identity.models import Company, User
from clearway.migrate import upgrade
from clearway.reference.codes import agreements
from clearway.runtime import build_runtime
from clearway.statistics import core, refresh, service
from clearway.statistics.core import CELL_KEYS, CELL_MEASURES, FTA_KEYS, FTA_MEASURES
from clearway.statistics.models import TradeStatCell, TradeStatFta
from clearway.tariff.service import load_demo_tariff
from clearway.uow import unit_of_work

START = date(2025, 1, 1)
MONTHS = 24
COUNTRIES = ["CN", "US", "JP", "VN", "DE", "AU", "TW", "IT", "FR", "TH", "IN", "GB", "NZ", "CL", "MY", "ID"]
OFFICES = ["020", "030", "040", "060", "110", "120"]
MODES = ["sea", "sea", "sea", "air", "air", "road"]
USD = Decimal(1400)


def hs_codes() -> list[str]:
    path = resources.files("clearway.data").joinpath("hs", "hsk_codes.csv")
    with path.open(encoding="utf-8-sig") as f:
        return [row["hs10"] for row in csv.DictReader(f)]


def month_start(i: int) -> date:
    y, m = divmod(START.month - 1 + i, 12)
    return date(START.year + y, m + 1, 1)


# ---- part 1: the refresh job ------------------------------------------------------------------------------
def _document(i: int, rng: random.Random, codes: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    lines = rng.randint(1, 3)
    items, assessed = [], []
    for n in range(1, lines + 1):
        value = rng.randint(1_000_000, 500_000_000)
        duty = value * 8 // 100 // 10 * 10
        items.append(
            {
                "line_number": n,
                "commodity_code": rng.choice(codes),
                "description": "benchmark goods",
                "origin_country": rng.choice(COUNTRIES),
                "quantity": str(rng.randint(1, 5000)),
                "quantity_unit": "U",
                "net_mass_kg": str(rng.randint(1, 20000)),
                "invoice_amount": str(Decimal(value) / USD),
                "currency": "USD",
                "incoterm": "CIF",
                "preference": {"agreement": "KR-CN", "certificate_reference": "C"}
                if rng.random() < 0.2
                else None,
            }
        )
        assessed.append(
            {
                "line_number": n,
                "customs_value_krw": str(value),
                "duty_krw": str(duty),
                "taxes_krw": str((value + duty) // 10 // 10 * 10),
            }
        )
    content = {
        "kind": "import",
        "buyer": {"country": "KR"},
        "consignment": {"transport_mode": rng.choice(MODES), "customs_office": rng.choice(OFFICES)},
        "items": items,
    }
    return content, {"lines": assessed}


def refresh_benchmark(runtime: Any, count: int) -> dict[str, Any]:
    rng = random.Random(17)
    codes = hs_codes()
    now = datetime(2026, 11, 20, tzinfo=UTC)
    with unit_of_work(runtime.sessions) as session:
        companies = [c.id for c in session.scalars(select(Company).where(Company.kind == "trader"))]
        user = session.scalars(select(User)).first()
        assert user is not None
        ids = allocate_ids(session, Declaration.__table__, count)
        version_ids = allocate_ids(session, DeclarationVersion.__table__, count)
        declarations, versions = [], []
        for i, (did, vid) in enumerate(zip(ids, version_ids, strict=True)):
            content, assessment = _document(i, rng, codes)
            filed = now - timedelta(days=rng.randrange(300))
            company = rng.choice(companies)
            declarations.append(
                {
                    "id": did,
                    "kind": "import",
                    "filer_company_id": company,
                    "filer_user_id": user.id,
                    "declarant_reference": f"BENCH-{i:08d}",
                    "content_hash": "0" * 64,
                    "current_version": 1,
                    "status": "released",
                    "lane": rng.choice(["green"] * 8 + ["yellow", "red"]),
                    "party_company_id": company,
                    "customs_office": content["consignment"]["customs_office"],
                    "filed_on": filed.date(),
                    "filed_at": filed,
                    "updated_at": filed,
                }
            )
            versions.append(
                {
                    "id": vid,
                    "declaration_id": did,
                    "version": 1,
                    "status": "released",
                    "lane": declarations[-1]["lane"],
                    "content": content,
                    "assessment": assessment,
                    "created_at": filed,
                    "created_by": user.id,
                }
            )
        bulk_insert(session, Declaration.__table__, declarations)
        bulk_insert(session, DeclarationVersion.__table__, versions)
    timings = {}
    t = time.perf_counter()
    with unit_of_work(runtime.sessions) as session:
        first = refresh.refresh(session, now=now)
    timings["full_seconds"] = round(time.perf_counter() - t, 3)
    changed = ids[: max(1, count // 100)]
    later = now + timedelta(hours=1)
    with unit_of_work(runtime.sessions) as session:
        session.execute(
            update(Declaration).where(Declaration.id.in_(changed)).values(lane="red", updated_at=later)
        )
    t = time.perf_counter()
    with unit_of_work(runtime.sessions) as session:
        second = refresh.refresh(session, now=later)
    timings["incremental_seconds"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    with unit_of_work(runtime.sessions) as session:
        third = refresh.refresh(session, now=later)
    timings["idle_seconds"] = round(time.perf_counter() - t, 3)
    return {
        "declarations": count,
        "full": first.as_dict() | {"seconds": timings["full_seconds"]},
        "declarations_per_second_full": round(count / timings["full_seconds"]),
        "incremental_1_percent": second.as_dict() | {"seconds": timings["incremental_seconds"]},
        "nothing_changed": third.as_dict() | {"seconds": timings["idle_seconds"]},
    }


# ---- part 2: queries over a million declarations ----------------------------------------------------------
def generate_cells(count: int) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    rng = random.Random(2026)
    codes = hs_codes()
    pacts = list(agreements().values())
    rates = {"USD": USD}
    portfolios = []
    for company in range(1, 2001):
        portfolios.append(
            (
                company,
                rng.sample(codes[rng.randrange(len(codes) - 400) :][:400], rng.randint(2, 8)),
                rng.sample(COUNTRIES, rng.randint(1, 3)),
                rng.choice(OFFICES),
                rng.sample(MODES[:4], rng.randint(1, 2)),
            )
        )
    weights = [1 / (i + 1) ** 0.8 for i in range(len(portfolios))]  # a few large importers, many small ones
    cells: dict[str, list[int]] = {}
    fta: dict[str, list[int]] = {}
    chosen = rng.choices(portfolios, weights=weights, k=count)
    for i, (company, hs, countries, office, modes) in enumerate(chosen):
        items = []
        for _ in range(rng.randint(1, 3)):
            value = Decimal(rng.randint(1_000_000, 300_000_000))
            country = rng.choice(countries)
            claimed = "KR-CN" if country == "CN" and rng.random() < 0.6 else None
            items.append(
                core.Item(
                    rng.choice(hs),
                    country,
                    Decimal(rng.randint(1, 5000)),
                    Decimal(rng.randint(1, 20000)),
                    value / USD,
                    "USD",
                    value,
                    value * 8 // 100,
                    value // 10,
                    claimed,
                    claimed is not None and rng.random() < 0.8,
                )
            )
        lane = rng.choice(["green"] * 8 + ["yellow", "red"])
        source = core.Source(
            i + 1,
            1,
            "import",
            "released",
            lane,
            company,
            month_start(rng.randrange(MONTHS)) + timedelta(days=rng.randrange(28)),
            office,
            rng.choice(modes),
            lane in core.CHECK_LANES,
            rng.random() < 0.1,
            tuple(items),
        )
        part = core.contribution(source, rates, pacts)
        for target, more in ((cells, part["cells"]), (fta, part["fta"])):
            for key, values in more.items():
                row = target.setdefault(key, [0] * len(values))
                for j, v in enumerate(values):
                    row[j] += v
    return cells, fta


def load_cells(runtime: Any, cells: dict[str, list[int]], fta: dict[str, list[int]]) -> float:
    with unit_of_work(runtime.sessions) as session:
        session.execute(delete(TradeStatCell))
        session.execute(delete(TradeStatFta))
        rows = []
        for key, values in cells.items():
            rows.append(
                dict(zip(CELL_KEYS, core.parse_cell_key(key), strict=True))
                | dict(zip(CELL_MEASURES, values, strict=True))
            )
            if len(rows) == 50_000:
                bulk_insert(session, TradeStatCell.__table__, rows)
                rows = []
        bulk_insert(session, TradeStatCell.__table__, rows)
        bulk_insert(
            session,
            TradeStatFta.__table__,
            [
                dict(zip(FTA_KEYS, core.parse_fta_key(k), strict=True))
                | dict(zip(FTA_MEASURES, v, strict=True))
                for k, v in fta.items()
            ],
        )
    with runtime.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ANALYZE trade_stat_cell"))
            conn.execute(text("ANALYZE trade_stat_fta"))
            conn.commit()
    # The refresh job's second step, for every month at once: the rollup the published queries read.
    t = time.perf_counter()
    with unit_of_work(runtime.sessions) as session:
        refresh.rebuild_rollup(session, [("import", month_start(i)) for i in range(MONTHS)])
    seconds = time.perf_counter() - t
    with runtime.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ANALYZE trade_stat_rollup"))
            conn.commit()
    return seconds


QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("by HS chapter, all months", {"group": "hs2"}),
    (
        "by HS heading, 12 months",
        {"group": "hs4", "month_from": month_start(12), "month_to": month_start(23)},
    ),
    ("by HS10, all 24 months, page 1", {"group": "hs10"}),
    (
        "by HS10, last 12 months, page 1",
        {"group": "hs10", "month_from": month_start(12), "month_to": month_start(23)},
    ),
    (
        "by HS10, 12 months not aligned to a year, page 1",
        {"group": "hs10", "month_from": month_start(8), "month_to": month_start(19)},
    ),
    (
        "by HS10, one month, page 1",
        {"group": "hs10", "month_from": month_start(23), "month_to": month_start(23)},
    ),
    ("by country, chapter 85 (cells)", {"group": "country", "hs": "85"}),
    ("by month (time series)", {"group": "month"}),
    ("by office, one month", {"group": "office", "month_from": month_start(23), "month_to": month_start(23)}),
    ("by transport mode, country CN (cells)", {"group": "mode", "country": "CN"}),
    ("by HS heading within chapter 84", {"group": "hs4", "hs": "84"}),
]


def query_benchmark(runtime: Any, repeat: int = 7) -> list[dict[str, Any]]:
    reader = Principal(0, "bench", Role.OFFICER, None, scopes_for(Role.OFFICER))
    out = []
    for name, params in QUERIES:
        q = service.Query(view="published", **params)
        times = []
        for _ in range(repeat):
            with runtime.sessions() as session:
                t = time.perf_counter()
                answer = service.query(session, reader, q, page_size=50)
                times.append((time.perf_counter() - t) * 1000)
        out.append(
            {
                "query": name,
                "groups": answer["total"],
                "median_ms": round(stats_lib.median(times), 1),
                "max_ms": round(max(times), 1),
            }
        )
    times = []
    for _ in range(repeat):
        with runtime.sessions() as session:
            t = time.perf_counter()
            service.fta_utilisation(session, reader, month_from=None, month_to=None, view="published")
            times.append((time.perf_counter() - t) * 1000)
    out.append(
        {
            "query": "FTA utilisation",
            "median_ms": round(stats_lib.median(times), 1),
            "max_ms": round(max(times), 1),
        }
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", help="a PostgreSQL URL; a scratch database beside it is used")
    parser.add_argument("--refresh", type=int, default=5000, help="declarations for the refresh job")
    parser.add_argument("--declarations", type=int, default=1_000_000, help="declarations behind the cells")
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="time the queries again on the last run's PostgreSQL database",
    )
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="cw-trade-bench-"))
    if args.queries_only:
        base = make_url(args.postgres)
        again = base.set(database=f"{base.database}_trade_bench").render_as_string(hide_password=False)
        upgrade(again)  # a rollup left by an older schema gets its quarters and years here
        runtime = build_runtime(Settings(home=home, database_url=again, inprocess_worker=False))
        queries = query_benchmark(runtime)
        for q in queries:
            print(q, flush=True)
        previous = json.loads((RESULTS / "trade_statistics_postgresql.json").read_text("utf-8"))
        kept = {k: v for k, v in previous.items() if k not in ("benchmark", "at", "commit", "machine")}
        kept.update(queries=queries, worst_median_ms=max(q["median_ms"] for q in queries))
        print(f"written {write('trade_statistics_postgresql', kept)}")
        return
    url = (
        scratch_database(args.postgres, "trade_bench")
        if args.postgres
        else f"sqlite:///{home / 'bench.sqlite3'}"
    )
    upgrade(url)
    runtime = build_runtime(Settings(home=home, database_url=url, inprocess_worker=False))
    with unit_of_work(runtime.sessions) as session:
        seed(session, runtime)
        load_demo_tariff(session, now=datetime(2026, 11, 20, tzinfo=UTC))
    print(f"refresh job over {args.refresh} declarations …", flush=True)
    refresh = refresh_benchmark(runtime, args.refresh)
    print(refresh, flush=True)
    t = time.perf_counter()
    cells, fta = generate_cells(args.declarations)
    generated = time.perf_counter() - t
    print(
        f"{args.declarations} declarations → {len(cells)} cells in {generated:.0f} s; loading …", flush=True
    )
    rollup_seconds = load_cells(runtime, cells, fta)
    print(f"rollup of {MONTHS} months rebuilt in {rollup_seconds:.1f} s", flush=True)
    queries = query_benchmark(runtime)
    for q in queries:
        print(q, flush=True)
    result = {
        "database": "postgresql" if args.postgres else "sqlite",
        "refresh": refresh,
        "query_declarations": args.declarations,
        "cells": len(cells),
        "fta_rows": len(fta),
        "rollup_rebuild_all_months_seconds": round(rollup_seconds, 1),
        "queries": queries,
        "worst_median_ms": max(q["median_ms"] for q in queries),
        "target_ms": 300,
    }
    path = write("trade_statistics_postgresql" if args.postgres else "trade_statistics", result)
    print(f"written {path}")
    runtime.close()


if __name__ == "__main__":
    main()
