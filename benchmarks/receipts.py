"""What a decision receipt costs at filing: the tariff inputs (fingerprints, figures) and the seal (canonical
JSON, two HMAC-SHA256), against the assessment it describes, per declaration.

    .venv/bin/python benchmarks/receipts.py [--runs 500]

Builds a fresh SQLite database with the demo tariff, assesses one declaration ``--runs`` times as filing does
(the tariff snapshot cached, as in a batch) and builds its receipt as many times; writes the median per
declaration (wall and CPU) to ``benchmarks/results/receipts.json``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.record import write
from clearway.assessment.inputs import AssessmentRequest, Regime
from clearway.assessment.preference import DocumentaryOnlyVerifier
from clearway.assessment.service import lines_from_declaration, run
from clearway.config import Settings
from clearway.declaration.validation import parse_declaration
from clearway.migrate import upgrade
from clearway.receipts import core
from clearway.runtime import build_runtime
from clearway.tariff.nomenclature import bundled_nomenclature
from clearway.tariff.service import load_demo_tariff
from clearway.uow import unit_of_work
from tests.documents import import_declaration

ON = date(2026, 11, 20)


def per_call(fn: Callable[[], Any], runs: int) -> dict[str, float]:
    fn()
    walls, cpus = [], []
    for _ in range(5):  # five rounds, the median round
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(runs):
            fn()
        walls.append((time.perf_counter() - wall) / runs)
        cpus.append((time.process_time() - cpu) / runs)
    return {
        "wall_ms": round(1000 * statistics.median(walls), 3),
        "cpu_ms": round(1000 * statistics.median(cpus), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=Path(home), inprocess_worker=False)
        upgrade(settings.resolved_database_url)
        runtime = build_runtime(settings)
        with unit_of_work(runtime.sessions) as session:
            load_demo_tariff(session, now=datetime(2026, 11, 20, 1, tzinfo=UTC))
        content = parse_declaration(import_declaration("BENCH-1"), nomenclature=bundled_nomenclature(), on=ON)
        key = core.signing_key("benchmark-secret-" + "x" * 32)
        load_before = os.getloadavg()[0]
        with unit_of_work(runtime.sessions) as session:
            lines = lines_from_declaration(session, content, ON, DocumentaryOnlyVerifier())
            request = AssessmentRequest(ON, lines, Regime.GENERAL)
            result, snapshot = run(session, request)
            assessment = per_call(lambda: run(session, request), options.runs)
            receipt = per_call(
                lambda: core.seal(
                    {"assessment": core.tariff_inputs(request, snapshot, result)}, {"score": 0.5}, key
                ),
                options.runs,
            )
        runtime.close()
    figures = {
        "runs": options.runs,
        "assessment_per_declaration": assessment,
        "receipt_per_declaration": receipt,
        "load_average_1m": [load_before, os.getloadavg()[0]],
    }
    path = write("receipts", figures)
    print(
        f"assessment {assessment['wall_ms']} ms ({assessment['cpu_ms']} ms CPU); receipt {receipt['wall_ms']} ms "
        f"({receipt['cpu_ms']} ms CPU) per declaration; written to {path}"
    )


if __name__ == "__main__":
    main()
