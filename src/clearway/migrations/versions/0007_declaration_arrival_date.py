"""The consignment's arrival date on the declaration row, for release-time studies by stage.

Revision ID: 0007_arrival_date
Revises: 0006_tariff_generation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_arrival_date"
down_revision = "0006_tariff_generation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("declaration") as batch:
        batch.add_column(sa.Column("arrival_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("declaration") as batch:
        batch.drop_column("arrival_date")
