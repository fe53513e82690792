"""Direct-purchase parcels: list clearance (parcels/s routed, assessed, stored, holders notified) and bulk
reissue of personal customs codes (codes/s), through the services as served, on SQLite or PostgreSQL.

    .venv/bin/python benchmarks/parcel.py --codes 20000 --parcels 20000 [--postgres postgresql://.../test]

Setup (codes issued in bulk, the demo tariff loaded) is not timed. Lists of ``--list-size`` parcels are each
one transaction, as a carrier's API call is; the reissue job runs chunk by chunk, one transaction each, as the
CLI does. Writes benchmarks/results/parcel.json (or parcel_postgresql.json).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from benchmarks.record import write
from clearway.audit.service import Actor
from clearway.config import Settings
from clearway.db import allocate_ids, bulk_insert, scratch_database
from clearway.demo.run import principal_of, seed
from clearway.migrate import upgrade
from clearway.parcel import clearance, code_service, codes
from clearway.parcel import repository as repo
from clearway.parcel.models import PersonalCode
from clearway.parcel.protection import cipher_for
from clearway.parcel.screener import screener_for
from clearway.risk.learning.modelops import PRETRAINED_FILE, pretrained_document
from clearway.risk.versions import promote, register_document
from clearway.runtime import build_runtime
from clearway.tariff.service import load_demo_tariff
from clearway.uow import unit_of_work

ARRIVAL = date(2026, 11, 20)
GOODS = [
    ("cotton t-shirt", "6109101000", None),
    ("leather handbag", "4202211090", None),
    ("paperback", "4901999000", None),
    ("skin cream", "3304991000", "cosmetics"),
    ("vitamins", None, "health_supplement"),
    ("red wine", "2204211000", None),
]


def parcel(i: int, holder: int, code: str, rng: random.Random) -> dict[str, Any]:
    """Parcel ``i`` of the code holder number ``holder`` (name and phone as issued)."""
    description, hs, category = GOODS[rng.randrange(len(GOODS))]
    price = rng.choice(["12.50", "39.90", "89", "140", "175", "320", "990", "2400"])
    return {
        "house_bill": f"BM{i:09d}",
        "buyer_name": f"Buyer {holder}",
        "personal_code": code,
        "buyer_phone": f"010-5{holder % 1000:03d}-{holder % 10_000:04d}",
        "address": "Seoul",
        "arrival_date": (ARRIVAL + timedelta(days=rng.randrange(3))).isoformat(),
        "dispatch_country": rng.choice(["CN", "US", "JP", "DE"]),
        "shop": f"shop{rng.randrange(50)}",
        "items": [
            {
                "description": description,
                "quantity": "1",
                "unit_price": price,
                "currency": "USD",
                "hs_code": hs,
                "category": category,
            }
        ],
    }


def submit_lists(
    runtime: Any,
    carrier: Any,
    parcels: list[dict[str, Any]],
    starts: list[int],
    size: int,
    screener: Any,
    now: Any,
) -> tuple[dict[str, int], dict[str, int]]:
    """Submit the lists beginning at ``starts``, one transaction each; the routes and checks counted."""
    cipher = cipher_for(runtime.settings.personal_data_key)
    routes: dict[str, int] = {}
    checks: dict[str, int] = {}
    for start in starts:
        with unit_of_work(runtime.sessions) as session:
            document = {
                "reference": f"B{start}",
                "carrier_kind": "express",
                "parcels": parcels[start : start + size],
            }
            answer = clearance.submit_list(
                session, cipher, document, principal=carrier, now=now, screener=screener
            )
        for key, value in answer["counts"].items():
            routes[key] = routes.get(key, 0) + value
        for r in answer["results"]:
            if r.get("check"):
                checks[r["check"]] = checks.get(r["check"], 0) + 1
    return routes, checks


_JOB: list[Any] = []


def _worker(starts: list[int]) -> tuple[dict[str, int], dict[str, int]]:
    runtime, carrier, parcels, size, screener, now = _JOB
    runtime.engine.dispose(close=False)  # the forked child opens its own connections
    return submit_lists(runtime, carrier, parcels, starts, size, screener, now)


def backend_cpu(runtime: Any) -> tuple[int | None, float | None]:
    """The PostgreSQL backend serving the pool's connection, and its CPU seconds so far (a local server)."""
    if runtime.engine.dialect.name != "postgresql":
        return None, None
    with unit_of_work(runtime.sessions) as session:
        pid = int(session.execute(text("SELECT pg_backend_pid()")).scalar_one())
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return pid, None
    return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--codes", type=int, default=20_000)
    parser.add_argument("--parcels", type=int, default=20_000)
    parser.add_argument("--list-size", type=int, default=1000)
    parser.add_argument("--chunk", type=int, default=code_service.JOB_CHUNK)
    parser.add_argument("--postgres", help="base URL; a scratch database beside it is used")
    parser.add_argument(
        "--no-model",
        action="store_true",
        help="screen without a promoted risk model (criteria, watchlists, exploration only)",
    )
    parser.add_argument("--no-screening", action="store_true", help="route only (the figure before issue 19)")
    parser.add_argument(
        "--workers", type=int, default=1, help="parallel submitters (forked processes, PostgreSQL only)"
    )
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="parcel-bench-"))
    url = (
        scratch_database(args.postgres, "parcel_bench")
        if args.postgres
        else f"sqlite:///{home / 'clearway.sqlite3'}"
    )
    upgrade(url)
    runtime = build_runtime(Settings(home=home, database_url=url, inprocess_worker=False))
    cipher = cipher_for(runtime.settings.personal_data_key)
    rng = random.Random(19)
    now = runtime.clock()
    with unit_of_work(runtime.sessions) as session:
        users = seed(session, runtime)
        load_demo_tariff(session, now=now)
        if not args.no_model:  # the KCS-pretrained risk model promoted, as `clearway setup-models` builds it
            pretrained = Path(__file__).resolve().parent.parent / "var/models/risk" / PRETRAINED_FILE
            target = runtime.settings.models_dir / "risk"
            target.mkdir(parents=True, exist_ok=True)
            if pretrained.exists():
                shutil.copy(pretrained, target / PRETRAINED_FILE)
            bench = Actor("benchmark")
            doc = pretrained_document(runtime.settings.models_dir, now)
            register_document(session, doc, models_dir=runtime.settings.models_dir, actor=bench, now=now)
            promote(
                session, version=doc["version"], models_dir=runtime.settings.models_dir, actor=bench, now=now
            )
        serials = rng.sample(range(10**11), args.codes)
        clear = [codes.make_code(f"{s:011d}") for s in serials]
        ids = allocate_ids(session, PersonalCode.__table__, len(clear))
        rows = []
        for i, (row_id, code) in enumerate(zip(ids, clear, strict=True)):
            person = cipher.index("person", f"BENCH-{i}")
            rows.append(
                {
                    "id": row_id,
                    **code_service._new_row(
                        cipher,
                        code,
                        person_index=person,
                        name_enc=cipher.encrypt(f"Buyer {i}"),
                        name_masked=codes.mask_name(f"Buyer {i}"),
                        phone_enc=cipher.encrypt(f"010-5{i % 1000:03d}-{i % 10_000:04d}"),
                        phone_masked="010-****-0000",
                        replaces_id=None,
                        now=now,
                    ),
                }
            )
        bulk_insert(session, PersonalCode.__table__, rows)
    carrier = principal_of(users["trader"])
    officer = principal_of(users["officer"])
    actor = Actor(officer.username, officer.user_id)

    parcels = [parcel(i, i % len(clear), clear[i % len(clear)], rng) for i in range(args.parcels)]
    load_before = os.getloadavg()
    pid_before, pg_before = backend_cpu(runtime)
    cpu_before = time.process_time()
    routes: dict[str, int] = {}
    checks: dict[str, int] = {}
    screener = None if args.no_screening else screener_for(runtime)
    starts = list(range(0, len(parcels), args.list_size))
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    if args.workers <= 1:
        found = [submit_lists(runtime, carrier, parcels, starts, args.list_size, screener, now)]
    else:  # forked submitters, each with its own connections, as several carriers' API calls would be
        runtime.engine.dispose(close=False)
        shares = [starts[w :: args.workers] for w in range(args.workers)]
        context = multiprocessing.get_context("fork")
        _JOB[:] = [runtime, carrier, parcels, args.list_size, screener, now]  # inherited by the fork
        with context.Pool(args.workers) as pool:
            found = pool.map(_worker, shares)
    for r, c in found:
        for key, value in r.items():
            routes[key] = routes.get(key, 0) + value
        for key, value in c.items():
            checks[key] = checks.get(key, 0) + value
    list_seconds = time.perf_counter() - began
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_python = (
        time.process_time()
        - cpu_before
        + (children.ru_utime + children.ru_stime - children_before.ru_utime - children_before.ru_stime)
    )
    load_after = os.getloadavg()
    pid_after, pg_after = backend_cpu(runtime)
    cpu_pg = (
        pg_after - pg_before
        if args.workers <= 1 and pid_before == pid_after and pg_after is not None and pg_before is not None
        else None  # several backends: not measured
    )
    cpu_total = cpu_python + (cpu_pg or 0.0)

    began = time.perf_counter()
    with unit_of_work(runtime.sessions) as session:
        job_id = code_service.start_job(
            session, cipher, key="bench-leak", code_texts=clear, reason="benchmark", actor=actor, now=now
        ).job.id
    more = True
    while more:
        with unit_of_work(runtime.sessions) as session:
            job = repo.job(session, job_id)
            assert job is not None
            more = code_service.run_chunk(session, cipher, job, actor=actor, now=now, chunk=args.chunk)
            report = dict(job.report)
    reissue_seconds = time.perf_counter() - began
    backend = "postgresql" if args.postgres else "sqlite"
    results = {
        "backend": backend,
        "command": " ".join(["benchmarks/parcel.py", *sys.argv[1:]]),
        "list_clearance": {
            "parcels": args.parcels,
            "list_size": args.list_size,
            "workers": args.workers,
            "seconds": round(list_seconds, 2),
            "parcels_per_second": round(args.parcels / list_seconds, 1),
            "load_average_1m": {"before": round(load_before[0], 2), "after": round(load_after[0], 2)},
            # CPU seconds spent on the lists (this process + its PostgreSQL backend): independent of how many
            # other processes share the cores; parcels per CPU-second x 2 cores is what an idle 2-core machine
            # running two submitters could reach
            "cpu_seconds": {"python": round(cpu_python, 2), "postgres_backend": cpu_pg and round(cpu_pg, 2)},
            "parcels_per_cpu_second": round(args.parcels / cpu_total, 1),
            "outcomes": routes,
            "checks": checks,
            "screening": not args.no_screening,
            "risk_model": None if args.no_model or args.no_screening else "KCS-pretrained, promoted",
        },
        "bulk_reissue": {
            "codes": args.codes,
            "chunk": args.chunk,
            "seconds": round(reissue_seconds, 2),
            "codes_per_second": round(report["reissued"] / reissue_seconds, 1),
            "report": report,
        },
    }
    path = write("parcel" if backend == "sqlite" else "parcel_postgresql", results)
    print(
        f"list clearance: {results['list_clearance']['parcels_per_second']} parcels/s "
        f"({results['list_clearance']['parcels_per_cpu_second']} per CPU-second, load "
        f"{load_before[0]:.1f}); bulk reissue: "
        f"{results['bulk_reissue']['codes_per_second']} codes/s ({backend}) → {path}"
    )
    runtime.close()


if __name__ == "__main__":
    main()
