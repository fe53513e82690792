"""Filing channels speed: CUSDEC messages per second (reading alone, and filed end to end through the
declaration service's batch path with the CUSRES written), and spreadsheet filing (a 500-line workbook read and
filed), on SQLite and (with --postgres URL) on PostgreSQL, with the filing steps set up as served (the bundled
tariff, the demo's risk criteria and model).

    PYTHONPATH=src .venv/bin/python benchmarks/channels.py --postgres postgresql://postgres@127.0.0.1:5432/test

Writes benchmarks/results/channels.json.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.filing import documents, fresh_database
from benchmarks.record import write
from clearway.clock import korea_date
from clearway.config import Settings
from clearway.declaration.validation import parse_declaration
from clearway.demo import risk as risk_demo
from clearway.demo.run import principal_of, seed
from clearway.filing import cusdec, sheet
from clearway.filing.cusdec_out import interchange
from clearway.filing.service import answer_cusdec, file_workbook, read_xlsx
from clearway.filing.template import write_workbook
from clearway.migrate import upgrade
from clearway.runtime import build_runtime
from clearway.tariff.nomenclature import bundled_nomenclature
from clearway.tariff.service import load_demo_tariff
from clearway.uow import unit_of_work

ON = date(2026, 11, 20)


def cusdec_text(docs: list[dict[str, Any]], control: str) -> str:
    nomenclature = bundled_nomenclature()
    contents = [parse_declaration(d, nomenclature=nomenclature, on=ON) for d in docs]
    return interchange(contents, sender="BENCH", control=control)


def workbook(docs: list[dict[str, Any]]) -> bytes:
    rows = sheet.to_rows(docs)
    out = BytesIO()
    write_workbook(out, header=rows["Header"], lines=rows["Lines"], documents=rows["Documents"])
    return out.getvalue()


def reading(n: int) -> dict[str, Any]:
    text = cusdec_text(documents(n, "rd"), "RD1")
    started = time.perf_counter()
    answers = cusdec.parse_interchange(text).answers
    seconds = time.perf_counter() - started
    assert all(a.document is not None for a in answers)
    return {"messages": n, "bytes": len(text.encode()), "messages_per_second": round(n / seconds, 1)}


def filing(url: str, home: Path, n: int, per_interchange: int, lines: int) -> dict[str, Any]:
    runtime = build_runtime(Settings(home=home, database_url=url))
    now = runtime.clock()
    with unit_of_work(runtime.sessions) as session:
        trader = principal_of(seed(session, runtime)["trader"])
        load_demo_tariff(session, now=now)
        risk_demo.seed_demo_configuration(session, now=now, today=korea_date(now))
        risk_demo.bootstrap_demo_model(session, models_dir=runtime.settings.models_dir, now=now)
    service = runtime.declarations
    with unit_of_work(runtime.sessions) as session:  # warm up (models loaded once, as a running server has)
        answer_cusdec(service, session, trader, cusdec_text(documents(8, "wu"), "WU"))
    texts = [cusdec_text(documents(per_interchange, f"e{i}"), f"E{i}") for i in range(n // per_interchange)]
    started = time.perf_counter()
    accepted = 0
    for text in texts:
        with unit_of_work(runtime.sessions) as session:
            accepted += answer_cusdec(service, session, trader, text).accepted
    edifact_seconds = time.perf_counter() - started
    assert accepted == len(texts) * per_interchange, accepted
    # a workbook of `lines` goods lines: declarations of 5 lines each
    base = documents(lines // 5, "xl")
    for doc in base:
        doc["items"] = [{**doc["items"][0], "line_number": k} for k in range(1, 6)]
    data = workbook(base)
    started = time.perf_counter()
    read_seconds = None
    with unit_of_work(runtime.sessions) as session:
        t = time.perf_counter()
        read_xlsx(data)
        read_seconds = time.perf_counter() - t
        results = file_workbook(service, session, trader, data, limit=1000)
    sheet_seconds = time.perf_counter() - started
    assert all(r.filing is not None for r in results), [str(r.error) for r in results if r.error][:2]
    runtime.close()
    return {
        "cusdec": {
            "messages": accepted,
            "per_interchange": per_interchange,
            "filed_per_second": round(accepted / edifact_seconds, 1),
        },
        "spreadsheet": {
            "lines": lines,
            "declarations": len(results),
            "bytes": len(data),
            "read_ms": round(read_seconds * 1000, 1),
            "read_and_filed_seconds": round(sheet_seconds, 2),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", help="PostgreSQL URL of a database to create scratch databases from")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--per-interchange", type=int, default=500)
    parser.add_argument("--lines", type=int, default=500)
    args = parser.parse_args()
    results: dict[str, Any] = {"reading": reading(args.messages)}
    print("reading", results["reading"], flush=True)
    for backend in ["sqlite"] + (["postgresql"] if args.postgres else []):
        with tempfile.TemporaryDirectory() as tmp:
            url = fresh_database(backend, args.postgres, Path(tmp))
            upgrade(url)
            results[backend] = filing(url, Path(tmp), args.messages, args.per_interchange, args.lines)
            print(backend, results[backend], flush=True)
    print(write("channels", results))


if __name__ == "__main__":
    main()
