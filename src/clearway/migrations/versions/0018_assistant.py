"""Consultation assistant: conversations, messages and consultation tickets.

Revision ID: 0018_assistant
Revises: 0007_arrival_date
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_assistant"
down_revision = "0007_arrival_date"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assistant_conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_conversation")),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("app_user.id", name="fk_assistant_conversation_user_id_app_user"),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("secret_hash", name="uq_assistant_conversation_secret_hash"),
    )
    op.create_table(
        "assistant_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_message")),
        sa.Column(
            "conversation_id",
            sa.Integer(),
            sa.ForeignKey(
                "assistant_conversation.id",
                name="fk_assistant_message_conversation_id_assistant_conversation",
            ),
            nullable=False,
        ),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_assistant_message_conversation_id", "assistant_message", ["conversation_id"])
    op.create_table(
        "assistant_ticket",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_ticket")),
        sa.Column(
            "conversation_id",
            sa.Integer(),
            sa.ForeignKey(
                "assistant_conversation.id", name="fk_assistant_ticket_conversation_id_assistant_conversation"
            ),
            nullable=False,
        ),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column(
            "officer_user_id",
            sa.Integer(),
            sa.ForeignKey("app_user.id", name="fk_assistant_ticket_officer_user_id_app_user"),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_assistant_ticket_conversation_id", "assistant_ticket", ["conversation_id"])
    op.create_index("ix_assistant_ticket_status", "assistant_ticket", ["status"])


def downgrade() -> None:
    op.drop_table("assistant_ticket")
    op.drop_table("assistant_message")
    op.drop_table("assistant_conversation")
