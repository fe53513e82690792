"""Soak: a steady rate of declarations against a served instance for minutes, with the server's memory (RSS) and
the latency percentiles recorded over time. Outside CI; one command:

    .venv/bin/python benchmarks/soak.py --postgres postgresql://postgres@127.0.0.1:5432/test --rate 300 --minutes 10

A scratch PostgreSQL database is created beside the one named and set up as the filing benchmark sets it up
(demo parties, bundled tariff, the demo's risk criteria and promoted model); `clearway serve --workers N` is
started on a free port and fed batches of `--per-request` declarations on a fixed schedule (rate / per-request
requests a second, by a pool of clients). Latency is measured from each request's scheduled start, so a server
falling behind shows in the figures instead of silently lowering the rate. Every declaration must be answered
201; any other answer is counted. Writes benchmarks/results/soak.json (machine, commit, load average).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.filing import documents, free_port, link_served_classifier, prepare
from benchmarks.record import write
from clearway.db import scratch_database
from clearway.migrate import upgrade

SECRET = "soak-secret-key-long-enough-for-production-mode-0123456789"
SAMPLE_SECONDS = 5
GRACE_SECONDS = 30  # requests that would start later than this after the planned end are not sent


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the server's workers), in MB."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        pids.extend(int(c) for c in children)
    return round(total / 1024, 1)


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1) if ordered else 0.0


def summary(latencies: list[float]) -> dict[str, float]:
    return {
        "requests": len(latencies),
        "p50_ms": pct(latencies, 0.50),
        "p95_ms": pct(latencies, 0.95),
        "p99_ms": pct(latencies, 0.99),
        "max_ms": round(max(latencies, default=0) * 1000, 1),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else 0.0,
    }


def soak(
    base: str, server_pid: int, rate: float, minutes: float, per_request: int, clients: int
) -> dict[str, Any]:
    token = httpx.post(
        f"{base}/auth/token", json={"username": "trader", "password": "trader-demo-2026"}, timeout=60
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    interval = per_request / rate
    total_requests = int(minutes * 60 / interval)
    docs = documents(total_requests * per_request, "soak")
    lock = threading.Lock()
    latencies: list[tuple[float, float]] = []  # (seconds since start, latency from the scheduled start)
    served: list[float] = []  # latency from the moment the request was sent (the server's answer time)
    errors: dict[str, int] = {}
    accepted = 0
    samples: list[dict[str, float]] = []
    done = threading.Event()

    with httpx.Client(headers=headers, timeout=120, limits=httpx.Limits(max_connections=clients)) as http:
        # warm every worker: models load on first use
        for i in range(4):
            http.post(f"{base}/declarations:batch", json={"declarations": documents(per_request, f"warm{i}")})
        started = time.monotonic()

        deadline = started + minutes * 60 + GRACE_SECONDS
        skipped = 0

        def one(k: int) -> None:
            nonlocal accepted, skipped
            scheduled = started + k * interval
            delay = scheduled - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if time.monotonic() > deadline:  # the server fell this far behind: not sent, counted
                with lock:
                    skipped += per_request
                return
            chunk = docs[k * per_request : (k + 1) * per_request]
            sent = time.monotonic()
            try:
                response = http.post(f"{base}/declarations:batch", json={"declarations": chunk})
                ok = response.status_code == 200 and response.json()["filed"] == len(chunk)
                key = "ok" if ok else f"http {response.status_code}"
            except httpx.HTTPError as error:
                key = type(error).__name__
            finished = time.monotonic()
            with lock:
                latencies.append((scheduled - started, finished - scheduled))
                served.append(finished - sent)
                if key == "ok":
                    accepted += len(chunk)
                else:
                    errors[key] = errors.get(key, 0) + 1

        def sampler() -> None:
            while not done.wait(SAMPLE_SECONDS):
                with lock:
                    recent = [
                        lat for at, lat in latencies if at >= time.monotonic() - started - SAMPLE_SECONDS
                    ]
                    filed = accepted
                samples.append(
                    {
                        "at_s": round(time.monotonic() - started, 1),
                        "rss_mb": rss_mb(server_pid),
                        "accepted": filed,
                        "p99_ms_last_window": pct(recent, 0.99),
                        "load_average": round(os.getloadavg()[0], 2),
                    }
                )

        watcher = threading.Thread(target=sampler, daemon=True)
        watcher.start()
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(one, range(total_requests)))
        elapsed = time.monotonic() - started
        done.set()
        watcher.join()
    all_latencies = [lat for _, lat in latencies]
    minutes_of = [lat for at, lat in latencies if at < 60]
    last_minute = [lat for at, lat in latencies if at >= minutes * 60 - 60]
    rss = [s["rss_mb"] for s in samples]
    return {
        "target_per_second": rate,
        "per_request": per_request,
        "clients": clients,
        "seconds": round(elapsed, 1),
        "accepted": accepted,
        "not_sent_behind_schedule": skipped,
        "achieved_per_second": round(accepted / elapsed, 1),
        "errors": errors,
        "latency_per_request": summary(all_latencies),
        "latency_from_send": summary(served),
        "latency_first_minute": summary(minutes_of),
        "latency_last_minute": summary(last_minute),
        "rss_mb": {
            "first": rss[0] if rss else None,
            "last": rss[-1] if rss else None,
            "max": max(rss, default=None),
        },
        "samples": samples,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--postgres", required=True, help="PostgreSQL URL (a scratch database is made beside it)"
    )
    parser.add_argument("--rate", type=float, default=300, help="declarations per second")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--per-request", type=int, default=30, help="declarations per batch request")
    parser.add_argument("--clients", type=int, default=8, help="requests in flight at most")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_at_start": os.getloadavg()[0],
        "server_workers": args.workers,
    }
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        results["classification_model"] = link_served_classifier(home)
        url = scratch_database(args.postgres, "cw_soak")
        upgrade(url)
        prepare(url, home)[0].close()
        port = free_port()
        env = {
            **os.environ,
            "CLEARWAY_DATABASE_URL": url,
            "CLEARWAY_HOME": str(home),
            "CLEARWAY_SECRET_KEY": os.environ.get("CLEARWAY_SECRET_KEY", SECRET),
        }
        command = [sys.executable, "-m", "clearway.cli.main", "serve", "--port", str(port)]
        server = subprocess.Popen(
            [*command, "--workers", str(args.workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}/api/v1"
        try:
            for _ in range(600):
                try:
                    if httpx.get(f"{base}/health/ready", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
            results["soak"] = soak(base, server.pid, args.rate, args.minutes, args.per_request, args.clients)
        finally:
            server.terminate()
            server.wait(timeout=60)
    results["load_average_at_end"] = os.getloadavg()[0]
    soaked = results["soak"]
    print({k: v for k, v in soaked.items() if k != "samples"}, flush=True)
    print("written to", write("soak", results))


if __name__ == "__main__":
    main()
