"""Cargo speed: manifest ingest (house-bill lines per second, submitted in manifests of 2,000 bills
through the service, checked, numbered, screened and stored in bulk) and the pre-arrival screening of one
2,000-bill vessel manifest, on SQLite and (with --postgres URL) on PostgreSQL, with the demo's risk criteria
and watchlist.

    PYTHONPATH=src .venv/bin/python benchmarks/cargo.py --postgres postgresql://postgres@127.0.0.1:5432/test

Wall-clock figures depend on the machine's load (recorded before and after); CPU seconds are this process's
(the PostgreSQL server's work is not in them). The screening figures are for the synthetic manifest of the
ingest runs (parties the model never saw, so about half its bills are selected and explained) and for a
manifest of bills drawn from the generated history (realistic selection shares).

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
from clearway.cargo import history, learning, service, training
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


def history_manifest(tag: str, n: int = BILLS) -> dict[str, Any]:
    """A 2,000-bill manifest of bills drawn from weeks 8-9 of the generated history (the same shippers and
    consignees the model learned about over weeks 0-7): what realistic traffic looks like to the model."""
    bills = [b.record for b in history.generate(weeks=10, seed=12).of_weeks(8, 9)][:n]
    document = vessel_manifest(tag, len(bills))
    for h, r in zip((h for m in document["masters"] for h in m["houses"]), bills, strict=True):
        name, country = r.shipper_key.rsplit("|", 1)
        brn = r.consignee_key.removeprefix("BRN:")
        h.update(
            shipper={"name": name, "country": country},
            consignee={"name": f"Consignee {brn}", "brn": brn, "country": "KR"},
            description=r.description,
            hs6=r.hs6,
            packages=r.packages,
            gross_weight_kg=str(max(round(r.gross_weight_kg, 3), 0.001)),
            transshipment_ports=list(r.transshipment_ports),
        )
        if r.has_value:
            h.update(value="1000", currency="USD")
    return document


def _screen(rt: Any, document: dict[str, Any], models_dir: Path) -> tuple[list[float], list[float], Any]:
    parsed = parse_manifest(document)
    wall, cpu = [], []
    for _ in range(5):
        with rt.sessions() as session:
            start, cpu_start = time.perf_counter(), time.process_time()
            results = service.screen_manifest(session, parsed, other_than=None, models_dir=models_dir)
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - cpu_start)
    return wall, cpu, results


def run(url: str, manifests: int) -> dict[str, Any]:
    upgrade(url)
    rt = build_runtime(Settings(home=Path(tempfile.mkdtemp()), database_url=url))
    now = datetime.now(UTC)
    models_dir = rt.settings.models_dir
    training.train_and_save(None, models_dir=models_dir, now=now, trained_by="benchmark", weeks=8)
    assert learning.current(models_dir) is not None
    with unit_of_work(rt.sessions) as session:
        carrier = principal_of(seed(session, rt)["carrier"])
        risk_demo.seed_demo_configuration(session, now=now, today=date(2026, 11, 19))
    documents = [vessel_manifest(f"B{int(time.time()) % 100000:05d}{k:02d}") for k in range(manifests + 1)]
    with unit_of_work(rt.sessions) as session:  # warm-up: imports, first queries
        service.submit(
            session, carrier, documents[0], now=now, today=date(2026, 11, 19), models_dir=models_dir
        )
    seconds, cpu = [], []
    for document in documents[1:]:
        start, cpu_start = time.perf_counter(), time.process_time()
        with unit_of_work(rt.sessions) as session:
            service.submit(
                session, carrier, document, now=now, today=date(2026, 11, 19), models_dir=models_dir
            )
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
    screen, screen_cpu, results = _screen(rt, vessel_manifest("SCREEN0"), models_dir)
    real, real_cpu, real_results = _screen(rt, history_manifest("SCREEN1"), models_dir)
    rt.close()
    return {
        "manifests": manifests,
        "bills_per_manifest": BILLS,
        "ingest_bills_per_second": round(BILLS * manifests / sum(seconds)),
        "ingest_seconds_per_manifest_median": round(statistics.median(seconds), 3),
        "ingest_bills_per_cpu_second": round(BILLS * manifests / sum(cpu)),
        "screen_2000_bills_seconds_median": round(statistics.median(screen), 3),
        "screen_2000_bills_cpu_seconds_median": round(statistics.median(screen_cpu), 3),
        "screened_levels": {lvl: sum(r.level == lvl for r in results) for lvl in ("low", "medium", "high")},
        "screen_history_manifest_seconds_median": round(statistics.median(real), 3),
        "screen_history_manifest_cpu_seconds_median": round(statistics.median(real_cpu), 3),
        "history_manifest_levels": {
            lvl: sum(r.level == lvl for r in real_results) for lvl in ("low", "medium", "high")
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", help="PostgreSQL URL (a scratch database beside it is used)")
    parser.add_argument("--manifests", type=int, default=5)
    args = parser.parse_args()
    results: dict[str, Any] = {"load_average_before": os.getloadavg()}
    results["sqlite"] = run(f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3", args.manifests)
    if args.postgres:
        results["postgresql"] = run(scratch_database(args.postgres, "cargo_bench"), args.manifests)
    results["load_average_after"] = os.getloadavg()
    print(results)
    print(write("cargo", results))


if __name__ == "__main__":
    main()
