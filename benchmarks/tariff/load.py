"""Loading the official KCS rate file: time and peak memory of ``load_kcs_file`` on a generated workbook in the
official layout (two sheets ``1.1`` and ``2.12``, 380,216 rows each by default), on SQLite and (with
--postgres URL) on PostgreSQL. Each load runs in a fresh process so that its peak memory (ru_maxrss) is its own.

    PYTHONPATH=src .venv/bin/python -m benchmarks.tariff.load [--rows 380216] [--postgres postgresql://...]

Writes benchmarks/results/tariff_load.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.record import write
from benchmarks.tariff.kcs_workbook import write as write_workbook
from clearway.audit.service import Actor
from clearway.db import make_engine, make_session_factory, scratch_database
from clearway.migrate import upgrade
from clearway.tariff.service import load_kcs_file
from clearway.uow import unit_of_work


def load_once(url: str, path: Path) -> dict[str, Any]:
    """One load into the database at ``url`` (run in its own process by :func:`main`)."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    with unit_of_work(sessions) as session:
        result = load_kcs_file(session, path, now=datetime.now(UTC), actor=Actor("benchmark"))
    seconds = time.perf_counter() - started
    engine.dispose()
    report = result.report.as_dict()
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                                                                / 1024, 1),
            "rss_before_load_mb": round(baseline_mb, 1),
            "report": {k: report[k] for k in ("sheet", "sheets_ignored", "header_spelling", "rows_read", "loaded",
                                              "duplicates", "skipped", "skipped_by_reason", "rows_per_kind",
                                              "commodity_codes", "codes_without_basic_rate", "date_cells",
                                              "greater_of_rows", "use_specific_rows", "seconds")}}


def _child(backend: str, url: str, path: Path) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "benchmarks.tariff.load", "--child", url, str(path)],
                         capture_output=True, text=True, check=True)
    return {"backend": backend, **json.loads(out.stdout.strip().splitlines()[-1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=380_216)
    parser.add_argument("--postgres", help="PostgreSQL URL of a server where a scratch database may be made")
    parser.add_argument("--child", nargs=2, metavar=("URL", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(load_once(args.child[0], Path(args.child[1]))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "관세율(2026).xlsx"
        started = time.perf_counter()
        write_workbook(path, args.rows)
        generated = time.perf_counter() - started
        runs = []
        sqlite_url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade(sqlite_url)
        runs.append(_child("sqlite", sqlite_url, path))
        if args.postgres:
            url = scratch_database(args.postgres, "cw_tariff_bench")
            upgrade(url)
            runs.append(_child("postgresql", url, path))
        results = {"rows_per_sheet": args.rows, "sheets": 2, "file_mb": round(path.stat().st_size / 2**20, 1),
                   "generate_seconds": round(generated, 1), "runs": runs}
    out = write("tariff_load", results)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    print(out)


if __name__ == "__main__":
    main()
