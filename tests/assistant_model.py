"""A small assistant model for tests: the corpus's first passages and their questions, trained for real."""

from __future__ import annotations

import shutil
from pathlib import Path

from clearway.assistant import model_store
from clearway.assistant.knowledge import Knowledge, bundled_knowledge

PASSAGES = 14


def tiny_knowledge() -> Knowledge:
    full = bundled_knowledge()
    return Knowledge(full.passages[:PASSAGES], tuple(p for p in full.pairs if p.passage < PASSAGES))


def build(models_dir: Path) -> Path:
    model_store.train(models_dir, knowledge=tiny_knowledge())
    return models_dir


def serve(trained: Path, models_dir: Path) -> None:
    """Install the models trained under ``trained`` as the served assistant model of ``models_dir``."""
    shutil.copytree(model_store.root(trained), model_store.root(models_dir), dirs_exist_ok=True)
