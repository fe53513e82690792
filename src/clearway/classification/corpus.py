"""Reading the training data: rulings, reference terms and vague descriptions, as plain records.

The files are the vendored copies in ``src/clearway/data/classification/`` (see its SOURCES.md). The KCS
rulings' ``decision_reason`` states the answer: it is dropped here and never reaches the model.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from pathlib import Path

from clearway.classification.text import normalise

KCS_FILES = ("kcs_rulings_cases.json", "kcs_rulings_committee.json", "kcs_rulings_council.json")
EU_FILE = "eu_bti_2025q1.json"
UK_EXTRA_FILE = "uk_extra_references.csv"
UK_SEARCH_FILE = "uk_search_references.json"
UK_VAGUE_FILE = "uk_vague_terms.csv"
DATA_FILES = (*KCS_FILES, EU_FILE, UK_EXTRA_FILE, UK_SEARCH_FILE, UK_VAGUE_FILE)
# Decisions after this date are the sealed acceptance set; the vendored files stop here anyway.
KCS_CUTOFF = date(2024, 10, 31)

_CODE = re.compile(r"^\d{4}\.?\d{2}(?:[-.]?\d{2,4})?$")


@dataclass(frozen=True, slots=True)
class LabelledText:
    """One labelled description: a past ruling or a reference term, with the code it was given."""

    id: str  # unique, e.g. "kcs:품목분류2과-8576:2024-10-31"
    source: str  # "kcs", "eu_bti", "uk_extra", "uk_search"
    reference: str  # the ruling's reference number (or the term itself)
    title: str  # short name shown as evidence
    text: str  # what the model reads (never the decision reasoning)
    code: str  # digits only, 6..10 (first 6 = HS6)
    decided_on: date | None = None
    lang: str = "ko"

    @property
    def hs6(self) -> str:
        return self.code[:6]


def data_dir() -> Path:
    return Path(str(resources.files("clearway.data").joinpath("classification")))


def fingerprint(paths: Iterable[Path]) -> str:
    """sha256 over the names and bytes of the data files, in name order."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def parse_code(raw: str) -> str | None:
    """'3809.91-0000' -> '3809910000'; a blank or several codes -> None; 6..10 digits kept."""
    raw = (raw or "").strip()
    if not _CODE.match(raw):
        return None
    digits = re.sub(r"\D", "", raw)
    return digits if 6 <= len(digits) <= 10 else None


def kcs_text(product_name: str, description: str) -> str:
    return f"{product_name.strip()}\n{description.strip()}".strip()


def read_kcs(text: str, source_name: str, cutoff: date = KCS_CUTOFF) -> list[LabelledText]:
    records = []
    for row in json.loads(text):
        code = parse_code(row.get("hs_code", ""))
        decided = date.fromisoformat(row["decision_date"][:10])
        if code is None or decided > cutoff:
            continue
        reference = row["reference_id"].strip()
        records.append(
            LabelledText(
                id=f"kcs:{reference}:{decided.isoformat()}",
                source="kcs",
                reference=reference,
                title=normalise(row.get("product_name", ""), 160),
                text=kcs_text(row.get("product_name", ""), row.get("description", "")),
                code=code,
                decided_on=decided,
                lang="ko",
            )
        )
    return records


def read_eu_bti(text: str) -> list[LabelledText]:
    records = []
    for row in json.loads(text):
        digits = re.sub(r"\D", "", row.get("hs_code", ""))[:10]
        if len(digits) < 6:
            continue
        reference = row["reference_id"].strip()
        description = row.get("description", "")
        records.append(
            LabelledText(
                id=f"eu:{reference}",
                source="eu_bti",
                reference=reference,
                title=normalise(description, 160),
                text=description,
                code=digits[:8] if len(digits) >= 8 else digits[:6],
                decided_on=date.fromisoformat(row["decision_date"][:10]),
                lang="mixed",
            )
        )
    return records


def read_uk_extra(text: str) -> list[LabelledText]:
    records = []
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    for number, row in enumerate(reader, start=2):
        description = html.unescape(row["Goods Description"]).strip()
        digits = re.sub(r"\D", "", row["Commodity Code"])
        if len(digits) < 6 or not description:
            continue
        records.append(
            LabelledText(
                id=f"ukx:{number}",
                source="uk_extra",
                reference=f"UK FPO reference line {number}",
                title=description[:160],
                text=description,
                code=digits[:8],
                lang="en",
            )
        )
    return records


def read_uk_search(text: str) -> list[LabelledText]:
    records = []
    for term, raw_code in json.loads(text).items():
        digits = re.sub(r"\D", "", str(raw_code))
        if len(digits) < 6 or not term.strip():
            continue
        records.append(
            LabelledText(
                id=f"uks:{term}",
                source="uk_search",
                reference=f"UK tariff search reference '{term}'",
                title=term,
                text=term,
                code=digits[:8],
                lang="en",
            )
        )
    return records


def read_vague(text: str) -> list[str]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    return [html.unescape(row[0]).strip() for row in reader if row and row[0].strip()]


@dataclass(frozen=True, slots=True)
class TrainingData:
    records: list[LabelledText]
    vague: list[str]
    fingerprint: str


def load_training_data(directory: Path | None = None, cutoff: date = KCS_CUTOFF) -> TrainingData:
    directory = directory or data_dir()
    records: list[LabelledText] = []
    for name in KCS_FILES:
        records += read_kcs((directory / name).read_text("utf-8"), name, cutoff)
    records += read_eu_bti((directory / EU_FILE).read_text("utf-8"))
    records += read_uk_extra((directory / UK_EXTRA_FILE).read_text("utf-8"))
    records += read_uk_search((directory / UK_SEARCH_FILE).read_text("utf-8"))
    vague = read_vague((directory / UK_VAGUE_FILE).read_text("utf-8"))
    return TrainingData(
        records=dedupe(records),
        vague=vague,
        fingerprint=fingerprint(directory / name for name in DATA_FILES),
    )


def dedupe(records: Sequence[LabelledText]) -> list[LabelledText]:
    """Drop exact repeats (same source, text and code); keep the first. Ids made unique."""
    seen: set[tuple[str, str, str]] = set()
    ids: dict[str, int] = {}
    out = []
    for record in records:
        key = (record.source, record.text, record.code)
        if key in seen:
            continue
        seen.add(key)
        count = ids.get(record.id, 0)
        ids[record.id] = count + 1
        out.append(record if count == 0 else replace(record, id=f"{record.id}#{count}"))
    return out
