"""A small assistant model, trained once per test session (see tests/assistant_model.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.assistant_model import build


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("assistant-models"))
