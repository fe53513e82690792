"""Assessment speed: line assessments per second of the pure engine (one core), and filing with assessment
in batches on a database (SQLite, and PostgreSQL with --postgres URL).

    .venv/bin/python -m clearway.benchmarks.assessment [--lines 20000] [--postgres postgresql://...]
    clearway duty benchmark ...

Writes ``benchmarks/assessment/results.json`` (under the current directory) with the machine and commit.
The pure-engine lines are realistic: the DEMO rate set (bundled real quota rates included), DEMO weekly exchange
rates, a mix of currencies, Incoterms, FTA claims and internal taxes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import statistics
import subprocess
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from clearway.assessment.core import assess
from clearway.assessment.inputs import AssessmentRequest, LineInput, PreferenceInput
from clearway.assessment.step import TariffAssessment
from clearway.clock import utcnow
from clearway.config import Settings
from clearway.db import scratch_database
from clearway.declaration.content import DeclarationContent
from clearway.declaration.steps import (
    AssessmentOutcome,
    AssessmentStep,
    FilingContext,
    FilingSteps,
    NoDutyAssessment,
)
from clearway.demo.parties import COMPANIES
from clearway.demo.run import principal_of, seed
from clearway.demo.scenario import declarations
from clearway.migrate import upgrade
from clearway.reference.codes import agreements
from clearway.runtime import build_runtime
from clearway.tariff import bundled, demo
from clearway.tariff import service as tariff_service
from clearway.tariff.snapshot import make_snapshot
from clearway.uow import unit_of_work

ON = date(2026, 11, 20)
RESULTS = Path("benchmarks") / "assessment" / "results.json"
CURRENCIES = {
    "US": "USD",
    "DE": "EUR",
    "FR": "EUR",
    "IT": "EUR",
    "BE": "EUR",
    "JP": "JPY",
    "CN": "CNY",
    "GB": "GBP",
    "CH": "CHF",
    "AU": "AUD",
    "VN": "USD",
    "SG": "SGD",
    "TW": "TWD",
    "MX": "USD",
    "NO": "USD",
    "BD": "USD",
}
PARTNER_AGREEMENT = {p: a.code for a in agreements().values() for p in a.partners}


def machine() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        cpu = next(
            (
                ln.split(":", 1)[1].strip()
                for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")
            ),
            "",
        )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def commit() -> str:
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
        ).stdout.strip()
        return sha + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def synthetic_lines(n: int, seed_: int = 7) -> list[LineInput]:
    rng = random.Random(seed_)
    lines = []
    for i in range(n):
        d = rng.choice(demo.DEMO_CODES)
        origin = d["origin"]
        currency = CURRENCIES.get(origin, "USD")
        incoterm = rng.choice(["FOB", "CIF", "CFR", "EXW", "DAP"])
        quantity = Decimal(rng.randint(1, 400))
        amount = (Decimal(rng.randint(500, 900_000)) / 100) * (100 if currency == "JPY" else 1)
        agreement = PARTNER_AGREEMENT.get(origin)
        preference = None
        if agreement and rng.random() < 0.4:
            preference = PreferenceInput(
                agreement, agreements()[agreement].rate_code, f"CO-{i}", rng.random() < 0.8
            )
        lines.append(
            LineInput(
                line_number=i % 5 + 1,
                commodity_code=d["code"],
                origin=origin,
                quantity=quantity,
                quantity_unit=d["unit"],
                net_mass_kg=quantity * Decimal("1.3"),
                invoice_amount=amount,
                currency=currency,
                incoterm=incoterm,
                freight=amount / 20 if incoterm in ("FOB", "EXW") else None,
                insurance=amount / 500 if incoterm in ("FOB", "EXW", "CFR") else None,
                preference=preference,
            )
        )
    return lines


def engine_run(n_lines: int, repeats: int) -> dict[str, Any]:
    snapshot = make_snapshot(
        measures=[*bundled.real_measures(), *demo.demo_measures()],
        internal_taxes=bundled.internal_tax_rules(),
        exchange_rates=demo.demo_exchange_rates(),
        parameters=bundled.parameters(),
    )
    lines = synthetic_lines(n_lines)
    requests = [AssessmentRequest(ON, tuple(lines[i : i + 5])) for i in range(0, len(lines), 5)]
    for r in requests[:50]:  # warm caches
        assess(r, snapshot)
    timings, rendered_timings, cpu_timings = [], [], []
    for _ in range(repeats):
        # each declaration's result is used and dropped, as in filing (keeping 20,000 results alive only
        # measures the garbage collector)
        assessable = 0
        started, cpu = time.perf_counter(), time.process_time()
        for r in requests:
            assessable += sum(ln.can_assess for ln in assess(r, snapshot).lines)
        timings.append(time.perf_counter() - started)
        cpu_timings.append(time.process_time() - cpu)
        started = time.perf_counter()
        for r in requests:
            assess(r, snapshot).as_dict(snapshot)
        rendered_timings.append(time.perf_counter() - started)
    best, median = min(timings), statistics.median(timings)
    return {
        "lines": n_lines,
        "lines_assessable": assessable,
        "declarations_of_5_lines": len(requests),
        "repeats": repeats,
        "lines_per_second_best": round(n_lines / best),
        "lines_per_second_median": round(n_lines / median),
        "lines_per_cpu_second_median": round(n_lines / statistics.median(cpu_timings)),
        "lines_per_second_with_json_explanation_median": round(n_lines / statistics.median(rendered_timings)),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "target_lines_per_second": 20_000,
    }


def fresh_database(backend: str, pg_url: str | None, workdir: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{workdir / 'assessment-bench.sqlite3'}"
    return scratch_database(pg_url or "", "cw_assessbench")


class _TimedAssessment(TariffAssessment):
    """TariffAssessment that adds up the CPU time it spends (to separate it from the rest of filing)."""

    cpu_seconds = 0.0

    def assess(
        self, session: Session, content: DeclarationContent, context: FilingContext
    ) -> AssessmentOutcome:
        started = time.process_time()
        try:
            return super().assess(session, content, context)
        finally:
            self.cpu_seconds += time.process_time() - started


def filing_run(
    url: str, home: Path, n: int, batch_size: int, step: AssessmentStep | None = None
) -> dict[str, Any]:
    """Batch filing through the declaration service with the given assessment step (TariffAssessment)."""
    upgrade(url)
    step = step if step is not None else _TimedAssessment()
    runtime = build_runtime(Settings(home=home, database_url=url), steps=FilingSteps(assessment=step))
    hanbit = next(c for c in COMPANIES if c.key == "hanbit")
    with unit_of_work(runtime.sessions) as session:
        trader = principal_of(seed(session, runtime)["trader"])
        tariff_service.load_demo_tariff(session, now=utcnow())
    docs = []
    for i, (_, doc) in enumerate(declarations(n, ON, seed=11)):
        doc["declarant_reference"] = f"AB-{i:06d}"
        doc["declarant"] = doc["importer"] = doc["buyer"] = {
            "name": hanbit.name,
            "brn": hanbit.brn,
            "country": "KR",
        }
        docs.append(doc)
    assessed = lines = 0
    started = time.perf_counter()
    for i in range(0, len(docs), batch_size):
        with unit_of_work(runtime.sessions) as session:
            results = runtime.declarations.file_batch(session, trader, docs[i : i + batch_size])
            for r in results:
                assert r.filing is not None, str(r.error)
                outcome = r.filing.version.assessment or {}
                assessed += bool(outcome.get("can_assess")) and not outcome.get("placeholder")
                lines += len(outcome.get("lines", []))
    seconds = time.perf_counter() - started
    runtime.close()
    out = {
        "step": type(step).__name__.lstrip("_"),
        "declarations": n,
        "lines": lines,
        "batch_size": batch_size,
        "assessed": assessed,
        "declarations_per_second": round(n / seconds, 1),
        "target_declarations_per_second": 1000,
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    if isinstance(step, _TimedAssessment):
        out["assessment_step_cpu_ms_per_declaration"] = round(step.cpu_seconds / n * 1000, 3)
    return out


def run(
    n_lines: int = 20_000,
    repeats: int = 5,
    postgres: str | None = None,
    filings: int = 2000,
    batch_size: int = 1000,
    out: Path = RESULTS,
) -> dict[str, Any]:
    results: dict[str, Any] = {
        "benchmark": "assessment",
        "at": utcnow().isoformat(timespec="seconds"),
        "commit": commit(),
        "machine": machine(),
        "engine": engine_run(n_lines, repeats),
        "filing_with_assessment": {},
    }
    if filings:
        for backend in ["sqlite"] + (["postgresql"] if postgres else []):
            runs = {}
            for label, step in (("placeholder_no_duty", NoDutyAssessment()), ("tariff_assessment", None)):
                with tempfile.TemporaryDirectory() as tmp:
                    url = fresh_database(backend, postgres, Path(tmp))
                    runs[label] = filing_run(url, Path(tmp), filings, batch_size, step)
            results["filing_with_assessment"][backend] = runs
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    results["written_to"] = str(out)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--postgres", help="PostgreSQL URL (a scratch database is created beside it)")
    parser.add_argument("--filings", type=int, default=2000, help="declarations to file (0 = skip)")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    print(
        json.dumps(
            run(args.lines, args.repeats, args.postgres, args.filings, args.batch_size, args.out),
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
