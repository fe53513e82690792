"""Outbox relay throughput to RabbitMQ (confirmed batches) and the webhook consumer's rate, on PostgreSQL (or
SQLite without --postgres):

    .venv/bin/python benchmarks/messaging.py --postgres postgresql://postgres@127.0.0.1:5432/test \
        --broker amqp://guest:guest@127.0.0.1:5672/%2F --messages 20000

The batch filing benchmark produces ~1,500 events/s; the relay must publish faster than that. Writes
benchmarks/results/messaging.json (or messaging_postgresql.json).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.record import write
from clearway.benchmarks.messaging import run
from clearway.db import scratch_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="PostgreSQL URL (a scratch database beside it is used)")
    parser.add_argument("--broker", default="amqp://guest:guest@127.0.0.1:5672/%2F")
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--relays", type=int, default=2, help="relay workers side by side")
    args = parser.parse_args()
    if args.postgres:
        url = scratch_database(args.postgres, "bench_messaging")
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    results = run(url, args.broker, args.messages, args.batch, args.relays)
    for key, value in results.items():
        print(f"{key}: {value}")
    write("messaging_postgresql" if args.postgres else "messaging", results)


if __name__ == "__main__":
    main()
