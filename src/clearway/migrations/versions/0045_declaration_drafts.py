"""Drafts of the filing form: the fields a user typed, saved to resume later.

Revision ID: 0045_declaration_drafts
Revises: 0040_merge
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0045_declaration_drafts"
down_revision = "0040_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "declaration_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_declaration_draft_user_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_declaration_draft_company_id_company")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_draft")),
    )
    op.create_index(op.f("ix_declaration_draft_user_id"), "declaration_draft", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_declaration_draft_user_id"), table_name="declaration_draft")
    op.drop_table("declaration_draft")
