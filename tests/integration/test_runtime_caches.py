"""The models and tables a runtime keeps loaded are its own: two runtimes in one process share no cache, and
closing a runtime drops what it held (clearway.caches)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from clearway import caches
from clearway.cargo import learning, training
from clearway.config import Settings
from clearway.risk.model import ModelFileError
from clearway.risk.registry import registry_for
from clearway.runtime import Runtime, build_runtime

pytestmark = pytest.mark.slow  # trains a small pre-arrival model


def _runtime(database, home: Path) -> Runtime:  # type: ignore[no-untyped-def]
    # its own engine over the test database, so closing it disposes of nothing another test uses
    return build_runtime(Settings(home=home, database_url=database.url, inprocess_worker=False))


def test_two_runtimes_share_no_cache_and_close_releases(database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    one, other = _runtime(database, tmp_path / "one"), _runtime(database, tmp_path / "other")
    models = tmp_path / "models"
    training.train_and_save(
        None, models_dir=models, now=datetime(2026, 11, 20, tzinfo=UTC), trained_by="t", weeks=6
    )
    try:
        with one.sessions() as session:  # a service reaches its runtime's caches through the session
            assert caches.of(session) is one.caches
            first = learning.current(models, caches.of(session))
        assert first is not None
        assert learning.current(models, one.caches) is first  # loaded once per runtime, not per request
        assert one.caches.entries() == {"cargo.models": 1} and other.caches.entries() == {}
        # the model file is damaged: the runtime that checked it keeps what it loaded, the other one (which
        # never shared it) reads the file and refuses it
        path = next((models / "cargo").glob("cargo-model-*.json.gz"))
        path.write_bytes(path.read_bytes()[:-10] + b"0123456789")
        assert learning.current(models, one.caches) is first
        with pytest.raises(ModelFileError):
            learning.current(models, other.caches)
        assert registry_for(models, one.caches) is registry_for(models, one.caches)
        assert registry_for(models, one.caches) is not registry_for(models, other.caches)
        one.close()  # closing drops every model and table the runtime kept
        assert one.caches.entries() == {}
        with pytest.raises(ModelFileError):
            learning.current(models, one.caches)  # read again (and refused) after close
    finally:
        other.close()


def test_a_session_outside_a_runtime_caches_nothing(tmp_path: Path) -> None:
    from sqlalchemy.orm import Session

    assert caches.of(Session()) is None
    assert registry_for(tmp_path) is not registry_for(tmp_path)  # read for the call only
