"""Filing speed: declarations per second and latency, through the service and through the HTTP API, single
and in batches, on SQLite and (with --postgres URL) on PostgreSQL. The filing steps are the product's own, set
up as served: the bundled tariff, the demo's risk criteria and watchlist with the KCS-pretrained risk model
promoted, and the served HS classification model (from `clearway setup-models`; without it the results say
that classification advice was off).

    .venv/bin/python benchmarks/filing.py --postgres postgresql://postgres@127.0.0.1:5432/test

Writes benchmarks/results/filing.json.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.record import write
from clearway.classification import registry as classification_registry
from clearway.clock import korea_date
from clearway.config import Settings
from clearway.db import make_engine, make_session_factory, scratch_database
from clearway.demo import risk as risk_demo
from clearway.demo.parties import COMPANIES
from clearway.demo.run import principal_of, seed
from clearway.demo.scenario import declarations
from clearway.identity.core import Principal
from clearway.messaging.outbox import backlog
from clearway.migrate import upgrade
from clearway.runtime import Runtime, build_runtime
from clearway.tariff.service import load_demo_tariff
from clearway.uow import unit_of_work

WARM_UP = 8  # declarations filed before timing, per server process
HANBIT = next(c for c in COMPANIES if c.key == "hanbit")


def documents(n: int, tag: str) -> list[dict[str, Any]]:
    """``n`` realistic declarations by the demo trader, with references unique to this run; the same ``tag``
    gives the same declarations in every run (``hash`` of a string changes from process to process)."""
    out = []
    for i, (_, doc) in enumerate(declarations(n, date(2026, 11, 20), seed=zlib.crc32(tag.encode()) % 10_000)):
        doc["declarant_reference"] = f"B{tag}-{i:06d}"
        doc["declarant"] = doc["importer"] = doc["buyer"] = {
            "name": HANBIT.name,
            "brn": HANBIT.brn,
            "country": "KR",
        }
        out.append(doc)
    return out


def cpu_seconds(pids: set[int]) -> dict[int, float]:
    """CPU seconds (user + system) each of ``pids`` has used so far, from /proc (Linux); gone ones are left out."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / tick
    return used


def process_tree(root: int) -> set[int]:
    """``root`` and every process below it (the server's workers)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grown = {root}, True
    while grown:
        below = {pid for pid, parent in parents.items() if parent in tree} - tree
        grown, tree = bool(below), tree | below
    return tree


def postgres_backends() -> set[int]:
    """The PostgreSQL server processes on this machine (the database's CPU is spent there)."""
    pids = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.add(int(entry.name))
            except OSError:
                continue
    return pids


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two readings by the processes alive at both, and all of the CPU of those
    started in between (a database connection opened during the batches)."""
    return sum(after[pid] - before.get(pid, 0.0) for pid in after)


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields) - idle) / tick, sum(fields) / tick


def relay_behind(url: str, limit: float = 300.0) -> dict[str, Any]:
    """How far the server's outbox relay is behind (events not yet published) and how long it takes to catch
    up: a filing rate the relay cannot follow would only be deferred work."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    try:
        behind, started = backlog(sessions), time.perf_counter()
        while backlog(sessions) and time.perf_counter() - started < limit:
            time.sleep(0.2)
        return {
            "outbox_backlog_at_end": behind,
            "outbox_drained_after_s": round(time.perf_counter() - started, 1)
            if not backlog(sessions)
            else None,
        }
    finally:
        engine.dispose()


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {
        "p50_ms": round(pick(0.50) * 1000, 2),
        "p99_ms": round(pick(0.99) * 1000, 2),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 2),
    }


def fresh_database(backend: str, pg_url: str | None, workdir: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    return scratch_database(pg_url or "", "cw_bench")


def prepare(url: str, home: Path) -> tuple[Runtime, Principal]:
    """The served set-up: demo parties, the bundled tariff, the demo's risk criteria and the promoted model."""
    runtime = build_runtime(Settings(home=home, database_url=url))
    now = runtime.clock()
    with unit_of_work(runtime.sessions) as session:
        trader = principal_of(seed(session, runtime)["trader"])
        load_demo_tariff(session, now=now)
        risk_demo.seed_demo_configuration(session, now=now, today=korea_date(now))
        risk_demo.bootstrap_demo_model(session, models_dir=runtime.settings.models_dir, now=now)
    return runtime, trader


def service_runs(url: str, home: Path, n_single: int, n_batch: int, batch_size: int) -> dict[str, Any]:
    runtime, trader = prepare(url, home)
    service = runtime.declarations
    for doc in documents(WARM_UP, "sw"):  # load the models once, as a running server has
        with unit_of_work(runtime.sessions) as session:
            service.file(session, trader, doc)
    latencies = []
    docs = documents(n_single, "s1")
    started = time.perf_counter()
    for doc in docs:
        t = time.perf_counter()
        with unit_of_work(runtime.sessions) as session:
            service.file(session, trader, doc)
        latencies.append(time.perf_counter() - t)
    single_seconds = time.perf_counter() - started
    docs = documents(n_batch, "b1")
    started = time.perf_counter()
    batch_latencies = []
    for i in range(0, len(docs), batch_size):
        t = time.perf_counter()
        with unit_of_work(runtime.sessions) as session:
            results = service.file_batch(session, trader, docs[i : i + batch_size])
            assert all(r.filing is not None for r in results), [str(r.error) for r in results if r.error][:3]
        batch_latencies.append(time.perf_counter() - t)
    batch_seconds = time.perf_counter() - started
    runtime.close()
    return {
        "single": {
            "n": n_single,
            "per_second": round(n_single / single_seconds, 1),
            **percentiles(latencies),
        },
        "batch": {
            "n": n_batch,
            "batch_size": batch_size,
            "per_second": round(n_batch / batch_seconds, 1),
            "batch_" + "p50_ms": percentiles(batch_latencies)["p50_ms"],
        },
    }


def link_served_classifier(home: Path) -> str | None:
    """Serve the installation's HS classification model from the scratch home; its version, or None."""
    served = classification_registry.current_dir(Settings().models_dir.resolve())
    if served is None:
        return None
    target = classification_registry.root(home / "models")
    target.mkdir(parents=True, exist_ok=True)
    (target / served.name).symlink_to(served, target_is_directory=True)
    classification_registry.set_current(home / "models", served.name)
    return served.name


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_runs(
    url: str,
    home: Path,
    n_single: int,
    n_batch: int,
    batch_size: int,
    clients: int,
    workers: int,
    batch_clients: int = 1,
) -> dict[str, Any]:
    port = free_port()
    env = {
        "CLEARWAY_SECRET_KEY": "benchmark-secret-key-long-enough-for-production-mode-0123",
        **os.environ,
        "CLEARWAY_DATABASE_URL": url,
        "CLEARWAY_HOME": str(home),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "clearway.cli.main", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        token = httpx.post(
            f"{base}/auth/token", json={"username": "trader", "password": "trader-demo-2026"}, timeout=30
        ).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(headers=headers, timeout=60, limits=httpx.Limits(max_connections=clients)) as http:

            def one(doc: dict[str, Any]) -> float:
                t = time.perf_counter()
                response = http.post(f"{base}/declarations", json=doc)
                assert response.status_code == 201, response.text
                return time.perf_counter() - t

            with ThreadPoolExecutor(clients) as pool:  # every server worker loads its models first
                list(pool.map(one, documents(WARM_UP * workers, "hw")))
            # Latency: one client filing one declaration after another.
            docs = documents(n_single, "h0")
            started = time.perf_counter()
            sequential = [one(doc) for doc in docs]
            sequential_seconds = time.perf_counter() - started
            # Throughput: several clients at once, as fast as the server answers (latency under saturation).
            docs = documents(n_single, "h1")
            started = time.perf_counter()
            with ThreadPoolExecutor(clients) as pool:
                latencies = list(pool.map(one, docs))
            single_seconds = time.perf_counter() - started
            docs = documents(n_batch, "h2")
            chunks = [docs[i : i + batch_size] for i in range(0, len(docs), batch_size)]

            def batch(chunk: list[dict[str, Any]]) -> float:
                t = time.perf_counter()
                response = http.post(f"{base}/declarations:batch", json={"declarations": chunk}, timeout=600)
                assert response.status_code == 200 and response.json()["failed"] == 0, response.text[:500]
                return time.perf_counter() - t

            # The server's relay first publishes what the earlier runs filed (the service runs publish nothing
            # themselves), so that the batches' CPU is their own declarations' work, relaying included.
            before_batches = relay_behind(url)
            # Batches from `batch_clients` clients at once (each server worker takes one at a time).
            servers, database = process_tree(server.pid), postgres_backends()
            cpu_before = cpu_seconds(servers | database)
            machine_before, client_before = machine_cpu(), time.process_time()
            started = time.perf_counter()
            with ThreadPoolExecutor(batch_clients) as pool:
                batch_latencies = list(pool.map(batch, chunks))
            batch_seconds = time.perf_counter() - started
            machine_after, client_after = machine_cpu(), time.process_time()
            database = database | postgres_backends()
            cpu_after = cpu_seconds(servers | database)
            relay = relay_behind(url)
            # CPU per declaration depends little on what else the machine runs, unlike the rate
            server_cpu = cpu_spent(cpu_before, {p: c for p, c in cpu_after.items() if p in servers})
            database_cpu = cpu_spent(cpu_before, {p: c for p, c in cpu_after.items() if p in database})
            client_cpu = client_after - client_before
            busy = machine_after[0] - machine_before[0]
            cpu_ms = {
                "server_cpu_ms_per_declaration": server_cpu,
                "database_cpu_ms_per_declaration": database_cpu,
                "client_cpu_ms_per_declaration": client_cpu,
                # everything else the machine did meanwhile: other processes, PostgreSQL's background workers
                "other_cpu_ms_per_declaration": max(0.0, busy - server_cpu - database_cpu - client_cpu),
            }
            busy_share = busy / max(machine_after[1] - machine_before[1], 1e-9)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "single": {
            "n": n_single,
            "clients": 1,
            "server_workers": workers,
            "per_second": round(n_single / sequential_seconds, 1),
            **percentiles(sequential),
        },
        "single_concurrent": {
            "n": n_single,
            "clients": clients,
            "server_workers": workers,
            "per_second": round(n_single / single_seconds, 1),
            **percentiles(latencies),
        },
        "batch": {
            "n": n_batch,
            "batch_size": batch_size,
            "clients": batch_clients,
            "server_workers": workers,
            "per_second": round(n_batch / batch_seconds, 1),
            "batch_p50_ms": percentiles(batch_latencies)["p50_ms"],
            "outbox_backlog_before": before_batches["outbox_backlog_at_end"],
            **{name: round(seconds * 1000 / n_batch, 3) for name, seconds in cpu_ms.items()},
            "machine_busy_share": round(busy_share, 3),
            **relay,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", help="PostgreSQL URL (a scratch database is created beside it)")
    parser.add_argument("--single", type=int, default=400)
    parser.add_argument(
        "--batch", type=int, default=12000, help="declarations filed in batches (several rounds per client)"
    )
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=4)
    # One server process more than the 2 cores: while one waits for PostgreSQL another computes (with two,
    # the machine was busy 72% of the batch time; with three, 95%).
    parser.add_argument("--workers", type=int, default=3, help="server processes on PostgreSQL")
    parser.add_argument(
        "--batch-clients", type=int, default=3, help="clients sending batches at once (PostgreSQL)"
    )
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--no-service", action="store_true", help="HTTP runs only")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_at_start": os.getloadavg()[0],
        "runs": {},
    }
    backends = ([] if args.no_sqlite else ["sqlite"]) + (["postgresql"] if args.postgres else [])
    for backend in backends:
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp)
            results["classification_model"] = link_served_classifier(home)
            url = fresh_database(backend, args.postgres, home)
            upgrade(url)
            if args.no_service:
                prepare(url, home)[0].close()
                run: dict[str, Any] = {}
            else:
                run = {"service": service_runs(url, home, args.single, args.batch, args.batch_size)}
            # SQLite has one writer and serves one process (`clearway serve` refuses several).
            workers, batch_clients = (1, 1) if backend == "sqlite" else (args.workers, args.batch_clients)
            run["http"] = http_runs(
                url, home, args.single, args.batch, args.batch_size, args.clients, workers, batch_clients
            )
            results["runs"][backend] = run
            print(backend, run, flush=True)
    print("written to", write("filing", results))


if __name__ == "__main__":
    main()
