"""Messaging: the outbox's unpublished rows in a partial index, so the relay's claim does not slow as the table
grows (the old index on (published_at, id) kept a NULL entry for every published row until vacuum)

Revision ID: 0052_outbox_unpublished
Revises: 0051_eco_certificates
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0052_outbox_unpublished"
down_revision = "0051_eco_certificates"
branch_labels = None
depends_on = None

UNPUBLISHED = sa.text("published_at IS NULL")


def upgrade() -> None:
    op.drop_index("ix_outbox_message_unpublished", table_name="outbox_message")
    op.create_index(
        "ix_outbox_message_unpublished",
        "outbox_message",
        ["id"],
        postgresql_where=UNPUBLISHED,
        sqlite_where=UNPUBLISHED,
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_message_unpublished", table_name="outbox_message")
    op.create_index("ix_outbox_message_unpublished", "outbox_message", ["published_at", "id"])
