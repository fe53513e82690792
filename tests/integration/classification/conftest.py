"""A tiny classifier trained once per test session on a small slice of the data (chapters 33 and 64)."""

from __future__ import annotations

import shutil
import warnings
from importlib import resources
from pathlib import Path

import pytest

from clearway.classification import registry
from clearway.classification.corpus import load_training_data
from clearway.classification.hierarchy import Hierarchy, read_hs_csv, read_sections_csv
from clearway.classification.model import HSClassifier
from clearway.tariff.nomenclature import read_hsk_csv

CHAPTERS = ("33", "64")
VERSION = "hs-tiny-test"


def tiny_hierarchy() -> Hierarchy:
    folder = resources.files("clearway.data").joinpath("hs")
    rows = [
        r
        for r in read_hs_csv(folder.joinpath("harmonized-system.csv").read_text("utf-8"))
        if r["hscode"][:2] in CHAPTERS
    ]
    lines = [
        ln
        for ln in read_hsk_csv(folder.joinpath("hsk_codes.csv").read_text("utf-8"))
        if ln.code[:2] in CHAPTERS
    ]
    return Hierarchy(rows, read_sections_csv(folder.joinpath("sections.csv").read_text("utf-8")), lines)


@pytest.fixture(scope="session")
def tiny_data():  # type: ignore[no-untyped-def]
    data = load_training_data()
    records = [r for r in data.records if r.hs6[:2] in CHAPTERS]
    return records


@pytest.fixture(scope="session")
def tiny_model(tiny_data) -> HSClassifier:  # type: ignore[no-untyped-def]
    records = tiny_data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = HSClassifier(ranker_trees=60, folds=2, uk_search_share=0.3).fit(
            records, hierarchy=tiny_hierarchy()
        )
    model.version_ = VERSION
    return model


@pytest.fixture(scope="session")
def tiny_model_folder(tiny_model, tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("trained") / VERSION
    registry.save_model(folder, tiny_model, {"version": VERSION}, {"internal": tiny_model.metrics_})
    return folder


def serve(folder: Path, models_dir: Path) -> Path:
    """Install a trained model folder as the served model of ``models_dir``."""
    target = registry.root(models_dir) / folder.name
    shutil.copytree(folder, target, dirs_exist_ok=True)
    registry.set_current(models_dir, folder.name)
    return target
