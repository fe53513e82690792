"""The schema the migrations build is the schema the models describe, on each database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from clearway.db import Base
from clearway.migrate import current_heads
from clearway.schema import import_all_models


def test_one_head_and_no_drift_between_models_and_migrations(database):  # type: ignore[no-untyped-def]
    assert len(current_heads(database.url)) == 1, "migration branches must be merged into one head"
    import_all_models()
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
