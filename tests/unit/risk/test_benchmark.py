"""The benchmark contract on tiny files: keys, exactly-k, labels read only after scoring, bad input."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from clearway.benchmarks import risk as benchmark
from clearway.errors import ValidationFailed
from clearway.risk.learning import kcs
from clearway.risk.records import KCS_COLUMNS
from tests.unit.risk.helpers import synthetic

KEYS = [
    "n_train",
    "n_test",
    "precision@1",
    "precision@2",
    "precision@5",
    "precision@10",
    *[f"recall@{n}" for n in range(1, 11)],
    "critical_recall@5",
    "critical_recall@10",
    "auc",
    "train_seconds",
    "score_rows_per_second",
]
FAST = {"n_estimators": 30, "num_leaves": 7, "learning_rate": 0.2}


def write_csv(path: Path, n: int, seed: int) -> Path:
    records, outcomes = synthetic(n, seed=seed)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=[*KCS_COLUMNS, "Fraud", "Critical Fraud"])
        w.writeheader()
        for i, (r, o) in enumerate(zip(records, outcomes, strict=True)):
            w.writerow(
                {
                    "Declaration ID": i,
                    "Date": r.declared_on.isoformat(),
                    "Office ID": r.office,
                    "Process Type": "B",
                    "Import Type": "11",
                    "Import Use": "21",
                    "Payment Type": "11",
                    "Mode of Transport": "10",
                    "Declarant ID": r.declarant,
                    "Importer ID": r.importer,
                    "Seller ID": r.seller,
                    "Courier ID": "",
                    "HS6 Code": r.hs6,
                    "Country of Departure": r.departure_country,
                    "Country of Origin": r.origin_country,
                    "Tax Rate": r.tax_rate,
                    "Tax Type": r.tax_type,
                    "Country of Origin Indicator": "Y",
                    "Net Mass": r.net_mass_kg,
                    "Item Price": r.value_krw,
                    "Fraud": int(o.fraud),
                    "Critical Fraud": 2 if o.critical else int(o.fraud),
                }
            )
    return path


def test_contract_keys_and_labels_only_after_scoring(tmp_path, monkeypatch):
    train = write_csv(tmp_path / "train.csv", 400, 1)
    test = write_csv(tmp_path / "test.csv", 200, 2)
    events: list[str] = []
    real_records, real_outcomes = kcs.read_records, kcs.read_outcomes
    monkeypatch.setattr(kcs, "read_records", lambda p: events.append(f"records {p.name}") or real_records(p))
    monkeypatch.setattr(kcs, "read_outcomes", lambda p: events.append(f"labels {p.name}") or real_outcomes(p))
    original_train = benchmark.train
    monkeypatch.setattr(
        benchmark,
        "train",
        lambda r, o, **kw: original_train(
            r, o, params=FAST, **{k: v for k, v in kw.items() if k != "params"}
        ),
    )
    result = benchmark.run([train], test)
    assert list(result) == KEYS
    assert result["n_train"] == 400 and result["n_test"] == 200
    assert events.index("records test.csv") < events.index("labels test.csv")
    assert events[-1] == "labels test.csv"
    assert result["auc"] > 0.7 and 0 <= result["precision@10"] <= 1


def test_training_on_the_test_file_is_refused(tmp_path):
    f = write_csv(tmp_path / "a.csv", 50, 1)
    with pytest.raises(ValidationFailed, match="never trains on what it scores"):
        benchmark.run([f], f)


def test_a_file_without_the_dataset_columns_is_named(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Date,Fraud\n2020-01-01,1\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as exc:
        kcs.read_records(bad)
    assert any(e.code == "missing_column" and "HS6 Code" in e.pointer for e in exc.value.errors)
    with pytest.raises(ValidationFailed, match="no such file"):
        kcs.read_records(tmp_path / "nope.csv")
