"""Cargo speed: manifest ingest (house-bill lines per second, submitted in manifests of 2,000 bills
through the service, checked, numbered, screened and stored in bulk) and the pre-arrival screening of one
2,000-bill vessel manifest, on SQLite and (with --postgres URL) on PostgreSQL, with the demo's risk criteria
and watchlist.

    PYTHONPATH=src .venv/bin/python benchmarks/cargo.py --postgres postgresql://postgres@127.0.0.1:5432/test

Writes benchmarks/results/cargo.json.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.record import write
from clearway.cargo import service
from clearway.cargo.core import container_check_digit
from clearway.cargo.manifest import parse_manifest
from clearway.config import Settings
from clearway.db import scratch_database
from clearway.demo import risk as risk_demo
from clearway.demo.run import principal_of, seed
from clearway.migrate import upgrade
from clearway.runtime import build_runtime
from clearway.uow import unit_of_work

BILLS = 2000
GOODS = [
    ("Notebook computers 14 inch", "847130"),
    ("Frozen shrimp", "030617"),
    ("Cotton T-shirts", "610910"),
    ("general cargo", None),
    ("Lithium-ion batteries", "850760"),
    ("Stainless steel bolts", "731815"),
]


def container(i: int) -> str:
    first = f"BMKU{i:06d}"
    return first + str(container_check_digit(first))


def vessel_manifest(tag: str, n: int = BILLS) -> dict[str, Any]:
    houses = []
    for i in range(n):
        description, hs6 = GOODS[i % len(GOODS)]
        houses.append(
            {
                "house_bill": f"{tag}{i:07d}",
                "shipper": {"name": f"Shipper {i % 97}", "country": "CN"},
                "consignee": {
                    "name": f"Consignee {i % 389}",
                    "brn": f"{1000000000 + i % 389}",
                    "country": "KR",
                },
                "description": description,
                "hs6": hs6,
                "packages": 1 + i % 40,
                "package_type": "CT",
                "gross_weight_kg": str(50 + (i * 37) % 4000),
                "containers": [container(i % 400)],
            }
        )
    return {
        "reference": tag,
        "voyage": {
            "mode": "sea",
            "carrier_code": "BMKU",
            "number": tag[-6:],
            "imo": "9074729",
            "port_of_loading": "CNSHA",
            "port_of_discharge": "KRPUS",
            "departure_date": "2026-11-15",
            "arrival_date": "2026-11-19",
        },
        "containers": [{"number": container(i)} for i in range(400)],
        "masters": [
            {"master_bill": f"{tag}M{m:03d}", "houses": houses[m * 100 : (m + 1) * 100]}
            for m in range((n + 99) // 100)
        ],
    }


def run(url: str, manifests: int) -> dict[str, Any]:
    upgrade(url)
    rt = build_runtime(Settings(home=Path(tempfile.mkdtemp()), database_url=url))
    now = datetime.now(UTC)
    with unit_of_work(rt.sessions) as session:
        carrier = principal_of(seed(session, rt)["carrier"])
        risk_demo.seed_demo_configuration(session, now=now, today=date(2026, 11, 19))
    documents = [vessel_manifest(f"B{int(time.time()) % 100000:05d}{k:02d}") for k in range(manifests + 1)]
    with unit_of_work(rt.sessions) as session:  # warm-up: imports, first queries
        service.submit(session, carrier, documents[0], now=now, today=date(2026, 11, 19))
    seconds = []
    for document in documents[1:]:
        start = time.perf_counter()
        with unit_of_work(rt.sessions) as session:
            service.submit(session, carrier, document, now=now, today=date(2026, 11, 19))
        seconds.append(time.perf_counter() - start)
    parsed = parse_manifest(vessel_manifest("SCREEN0"))
    screen = []
    for _ in range(5):
        with rt.sessions() as session:
            start = time.perf_counter()
            results = service.screen_manifest(session, parsed, other_than=None)
            screen.append(time.perf_counter() - start)
    rt.close()
    return {
        "manifests": manifests,
        "bills_per_manifest": BILLS,
        "ingest_bills_per_second": round(BILLS * manifests / sum(seconds)),
        "ingest_seconds_per_manifest_median": round(statistics.median(seconds), 3),
        "screen_2000_bills_seconds_median": round(statistics.median(screen), 3),
        "screened_levels": {lvl: sum(r.level == lvl for r in results) for lvl in ("low", "medium", "high")},
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", help="PostgreSQL URL (a scratch database beside it is used)")
    parser.add_argument("--manifests", type=int, default=5)
    args = parser.parse_args()
    results: dict[str, Any] = {"load_average_before": os.getloadavg()[0]}
    results["sqlite"] = run(f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3", args.manifests)
    if args.postgres:
        results["postgresql"] = run(scratch_database(args.postgres, "cargo_bench"), args.manifests)
    print(results)
    print(write("cargo", results))


if __name__ == "__main__":
    main()
