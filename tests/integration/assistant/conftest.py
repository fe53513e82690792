"""A small assistant model, trained once per test session on a slice of the corpus (its first passages)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clearway.assistant import model_store
from clearway.assistant.knowledge import Knowledge, bundled_knowledge

PASSAGES = 14


def tiny_knowledge() -> Knowledge:
    full = bundled_knowledge()
    return Knowledge(full.passages[:PASSAGES], tuple(p for p in full.pairs if p.passage < PASSAGES))


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    models_dir = tmp_path_factory.mktemp("assistant-models")
    model_store.train(models_dir, knowledge=tiny_knowledge())
    return models_dir


def serve(trained: Path, models_dir: Path) -> None:
    shutil.copytree(model_store.root(trained), model_store.root(models_dir), dirs_exist_ok=True)
