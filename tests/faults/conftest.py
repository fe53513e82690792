"""Fault tests run a real server on a scratch PostgreSQL database (skipped without CLEARWAY_TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from clearway.db import normalise_url, scratch_database
from clearway.runtime import Runtime
from tests.faults.serving import prepare

PG_ENV = "CLEARWAY_TEST_DATABASE_URL"


@dataclass
class Scratch:
    url: str
    name: str
    home: Path
    runtime: Runtime


@pytest.fixture
def scratch_pg(tmp_path: Path) -> Iterator[Scratch]:
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set")
    url = scratch_database(base, f"fault_{uuid.uuid4().hex[:8]}")
    runtime = prepare(url, tmp_path)
    name = str(make_url(url).database)
    yield Scratch(url, name, tmp_path, runtime)
    runtime.close()
    admin = create_engine(normalise_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
