"""Reliable messaging: the relay's lease on SQLite, consumers' processed events, the webhook delivery queue

Revision ID: 0043_reliable_messaging
Revises: 0040_merge
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0043_reliable_messaging"
down_revision = "0040_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_owner", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "processed_event",
        sa.Column("consumer", sa.String(length=60), nullable=False),
        sa.Column("event_id", sa.String(length=60), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id", name=op.f("pk_processed_event")),
    )
    op.create_table(
        "webhook_job",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=60), nullable=False),
        sa.Column("event_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("topic", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["webhook_subscription.id"],
            name=op.f("fk_webhook_job_subscription_id_webhook_subscription"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_job")),
        sa.UniqueConstraint("subscription_id", "event_id", name="uq_webhook_job_subscription_event"),
    )
    op.create_index("ix_webhook_job_due", "webhook_job", ["state", "next_attempt_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_webhook_job_due", table_name="webhook_job")
    op.drop_table("webhook_job")
    op.drop_table("processed_event")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("lease_until")
        batch_op.drop_column("lease_owner")
