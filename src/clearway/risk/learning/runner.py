"""Running a simulated deployment on KCS dataset files: load, replay, measure."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from clearway.errors import FieldError, ValidationFailed
from clearway.risk.learning import kcs
from clearway.risk.learning.figures import evaluate
from clearway.risk.learning.simulate import LabelOracle, Settings, Week, simulate
from clearway.risk.records import Outcome, RiskRecord

WARM_START_DAYS = 28


def load(paths: Sequence[Path]) -> tuple[list[RiskRecord], list[Outcome], list[dict[str, Any]]]:
    """Records and outcomes of the files, in file then row order (the outcomes go to the oracle only)."""
    if not paths:
        raise ValidationFailed(
            "at least one --data file is needed", errors=[FieldError("--data", "required", "give a CSV")]
        )
    records: list[RiskRecord] = []
    outcomes: list[Outcome] = []
    sources = []
    for path in paths:
        r = kcs.read_records(path)
        records += r
        outcomes += kcs.read_outcomes(path)
        sources.append({"file": path.name, "sha256": kcs.file_sha256(path), "rows": len(r)})
    if not records:
        raise ValidationFailed("the files hold no declaration", errors=[FieldError("--data", "empty", "")])
    return records, outcomes, sources


def default_start(records: Sequence[RiskRecord]) -> date:
    """The first Monday at least four weeks after the first declaration (four weeks of warm start)."""
    first = min(r.declared_on for r in records) + timedelta(days=WARM_START_DAYS)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def weeks_available(records: Sequence[RiskRecord], start: date) -> int:
    last = max(r.declared_on for r in records)
    return max(1, (last - start).days // 7 + 1)


def run(
    records: Sequence[RiskRecord],
    outcomes: Sequence[Outcome],
    settings: Settings,
    progress: Callable[[int, Week], None] | None = None,
) -> dict[str, Any]:
    trace = simulate(records, LabelOracle(outcomes), settings, progress=progress)
    return evaluate(trace, records, outcomes)
