"""Reading the KCS customs import declaration dataset (CSV) into risk records and outcomes.

Records and labels are read by separate functions so a caller can score a file before it has read a single
label from it (the benchmark does exactly that).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from clearway.errors import FieldError, ValidationFailed
from clearway.risk.records import (
    KCS_COLUMNS,
    KCS_LABELS,
    Outcome,
    RiskRecord,
    outcome_from_kcs,
    record_from_kcs,
)


def _rows(path: Path, needed: tuple[str, ...]) -> Iterator[dict[str, str]]:
    try:
        text = path.read_text("utf-8-sig")
    except FileNotFoundError:
        raise ValidationFailed(
            f"no such file: {path}", errors=[FieldError(str(path), "not_found", "file not found")]
        ) from None
    except UnicodeDecodeError:
        raise ValidationFailed(
            f"{path} is not UTF-8 text", errors=[FieldError(str(path), "not_utf8", "not UTF-8")]
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in needed if c not in header]
    if missing:
        raise ValidationFailed(
            f"{path.name} lacks column(s) of the KCS customs declaration dataset: {', '.join(missing)}",
            errors=[
                FieldError(f"{path.name}/{c}", "missing_column", f"column '{c}' is required") for c in missing
            ],
        )
    yield from reader


def read_records(path: Path) -> list[RiskRecord]:
    """The declarations of a KCS CSV file, without their labels."""
    records = []
    for i, row in enumerate(_rows(path, KCS_COLUMNS)):
        row = {k: v for k, v in row.items() if k not in KCS_LABELS}
        try:
            records.append(record_from_kcs(row, i))
        except ValueError as exc:
            raise ValidationFailed(
                f"{path.name} row {i + 1}: {exc}",
                errors=[FieldError(f"{path.name}/{i + 1}/Date", "bad_date", str(exc))],
            ) from None
    return records


def read_outcomes(path: Path) -> list[Outcome]:
    """The labels (Fraud, Critical Fraud) of a KCS CSV file, in row order."""
    outcomes = []
    for i, row in enumerate(_rows(path, ("Date", *KCS_LABELS))):
        try:
            outcomes.append(outcome_from_kcs(row))
        except ValueError as exc:
            raise ValidationFailed(
                f"{path.name} row {i + 1}: {exc}",
                errors=[FieldError(f"{path.name}/{i + 1}/Fraud", "bad_label", str(exc))],
            ) from None
    return outcomes


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_training(paths: Sequence[Path]) -> tuple[list[RiskRecord], list[Outcome], list[dict[str, Any]]]:
    records: list[RiskRecord] = []
    outcomes: list[Outcome] = []
    sources = []
    for path in paths:
        r = read_records(path)
        o = read_outcomes(path)
        records += r
        outcomes += o
        sources.append({"file": path.name, "sha256": file_sha256(path), "rows": len(r)})
    return records, outcomes, sources
