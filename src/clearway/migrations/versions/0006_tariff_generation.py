"""Tariff generation token: tells every process when its cached tariff is stale.

Revision ID: 0006_tariff_generation
Revises: 0005_merge
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clearway.db import UTCDateTime

revision = "0006_tariff_generation"
down_revision = "0005_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tariff_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tariff_generation")),
    )


def downgrade() -> None:
    op.drop_table("tariff_generation")
