"""Parcels: risk and IP screening, the X-ray/inspection check, the simplified declaration and the link to a
general import declaration.

Revision ID: 0033_parcel_screening
Revises: 0030_merge
Create Date: 2026-12-05 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0033_parcel_screening"
down_revision = "0030_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("parcel") as batch:
        batch.add_column(sa.Column("screening", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("inspection", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("simplified", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("declaration_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_parcel_declaration_id_declaration"), "declaration", ["declaration_id"], ["id"]
        )
        batch.create_index(op.f("ix_parcel_declaration_id"), ["declaration_id"])
        batch.create_index("ix_parcel_status", ["status"])


def downgrade() -> None:
    with op.batch_alter_table("parcel") as batch:
        batch.drop_index("ix_parcel_status")
        batch.drop_index(op.f("ix_parcel_declaration_id"))
        batch.drop_constraint(op.f("fk_parcel_declaration_id_declaration"), type_="foreignkey")
        batch.drop_column("declaration_id")
        batch.drop_column("simplified")
        batch.drop_column("inspection")
        batch.drop_column("screening")
