"""Declaration holds: a declaration whose bill is on no manifest is filed and kept, held with a coded reason
until a manifest carries the bill.

Revision ID: 0041_bill_hold
Revises: 0040_merge
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0041_bill_hold"
down_revision = "0040_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "declaration_hold",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=35), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lifted_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_declaration_hold_declaration_id_declaration"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_hold")),
    )
    op.create_index(op.f("ix_declaration_hold_declaration_id"), "declaration_hold", ["declaration_id"])
    op.create_index(op.f("ix_declaration_hold_subject"), "declaration_hold", ["subject"])
    # a declaration may name the master bill: the hold check looks it up too
    op.create_index(op.f("ix_cargo_house_bill_master_bill"), "cargo_house_bill", ["master_bill"])


def downgrade() -> None:
    op.drop_index(op.f("ix_cargo_house_bill_master_bill"), table_name="cargo_house_bill")
    op.drop_index(op.f("ix_declaration_hold_subject"), table_name="declaration_hold")
    op.drop_index(op.f("ix_declaration_hold_declaration_id"), table_name="declaration_hold")
    op.drop_table("declaration_hold")
