"""Guided classification sessions: the description, the candidates and the answers chosen (evidence).

Revision ID: 0047_guided_classification
Revises: 0040_merge
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0047_guided_classification"
down_revision = "0040_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "classification_session",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("model_version", sa.String(length=120), nullable=False),
        sa.Column("top_k", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_classification_session_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classification_session")),
    )
    op.create_index(
        op.f("ix_classification_session_user_id"), "classification_session", ["user_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_classification_session_user_id"), table_name="classification_session")
    op.drop_table("classification_session")
