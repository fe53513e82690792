"""Lane selection speed in the product: RiskLaneSelector.select per declaration, with a promoted model.

    nice -n 10 .venv/bin/python benchmarks/risk/latency.py [--count 2000]

Builds a temporary SQLite database with the real migrations, promotes the KCS-pretrained model (trained on the
bundled data, ~10 s), seeds the demo criteria and watchlist, then selects lanes for the demo scenario's
declarations one at a time (criteria + watchlists + model score + TreeSHAP explanation + selection-log
row) and reports p50/p95/p99 milliseconds and declarations per second.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from clearway.audit import keys as audit_keys
from clearway.config import Settings
from clearway.db import make_engine, make_session_factory
from clearway.declaration.steps import FilingContext, NoDutyAssessment
from clearway.declaration.validation import parse_declaration
from clearway.demo import risk as risk_demo
from clearway.demo.scenario import declarations
from clearway.migrate import upgrade
from clearway.risk.step import RiskLaneSelector
from clearway.tariff.nomenclature import bundled_nomenclature
from clearway.uow import unit_of_work


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="risk-latency-"))
    url = f"sqlite:///{home / 'db.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    audit_keys.bind(
        engine, audit_keys.load_key(Settings(home=home))
    )  # the audit chain's key (docs/security.md)
    now = datetime(2026, 11, 20, 1, tzinfo=UTC)
    today = date(2026, 11, 20)
    with unit_of_work(sessions) as session:
        risk_demo.seed_demo_configuration(session, now=now, today=today)
        row = risk_demo.bootstrap_demo_model(session, models_dir=home / "models", now=now)
    print(f"promoted {row.version}")

    nomenclature = bundled_nomenclature()
    contents = [
        parse_declaration(doc, nomenclature=nomenclature, on=today)
        for _, doc in declarations(args.count, today)
    ]
    selector = RiskLaneSelector(home / "models", clock=lambda: now)
    assessment = NoDutyAssessment()
    timings = []
    lanes: dict[str, int] = {}
    with unit_of_work(sessions) as session:
        selector.cache.get(session)  # load once, as a running server has
        for i, content in enumerate(contents, start=1):
            context = FilingContext(i, 1, today, 1)
            outcome = assessment.assess(session, content, context)
            started = time.perf_counter()
            selection = selector.select(session, content, context, outcome, [])
            timings.append((time.perf_counter() - started) * 1000)
            lanes[selection.lane.value] = lanes.get(selection.lane.value, 0) + 1
            if i % 200 == 0:
                session.flush()
    timings.sort()
    q = statistics.quantiles(timings, n=100)
    print(
        f"{len(timings)} declarations: p50 {q[49]:.2f} ms, p95 {q[94]:.2f} ms, p99 {q[98]:.2f} ms, "
        f"mean {statistics.mean(timings):.2f} ms → {1000 / statistics.mean(timings):.0f} declarations/s; "
        f"lanes {dict(sorted(lanes.items()))}"
    )
    engine.dispose()


if __name__ == "__main__":
    main()
