"""Decision receipts: each declaration version keeps the signed receipt of what its duty and lane were
computed from (``clearway.receipts``).

Revision ID: 0042_decision_receipts
Revises: 0040_merge
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0042_decision_receipts"
down_revision = "0040_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("declaration_version") as batch:
        batch.add_column(sa.Column("receipt", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("declaration_version") as batch:
        batch.drop_column("receipt")
