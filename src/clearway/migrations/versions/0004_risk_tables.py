"""Risk: criteria and versions, watchlists, selection policy, model versions, lane decisions

Revision ID: 0004_risk
Revises: 0001_core
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_risk"
down_revision = "0001_core"
branch_labels = ("risk",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "risk_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_generation")),
    )
    op.create_table(
        "risk_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_criterion")),
        sa.UniqueConstraint("code", name=op.f("uq_risk_criterion_code")),
    )
    op.create_table(
        "risk_criterion_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("condition", sa.JSON(), nullable=False),
        sa.Column("lane", sa.String(length=10), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("random_rate", sa.Float(), nullable=False),
        sa.Column("expected_rate", sa.Float(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sa.String(length=80), nullable=False),
        sa.Column("changed_by_user_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("change_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["risk_criterion.id"],
            name=op.f("fk_risk_criterion_version_criterion_id_risk_criterion"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_criterion_version")),
        sa.UniqueConstraint(
            "criterion_id", "version", name=op.f("uq_risk_criterion_version_criterion_id_version")
        ),
    )
    op.create_table(
        "risk_watchlist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("lane", sa.String(length=10), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=80), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_watchlist")),
        sa.UniqueConstraint("name", name=op.f("uq_risk_watchlist_name")),
    )
    op.create_table(
        "risk_watchlist_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("watchlist_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("party", sa.String(length=220), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("added_by", sa.String(length=80), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_by", sa.String(length=80), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["watchlist_id"],
            ["risk_watchlist.id"],
            name=op.f("fk_risk_watchlist_entry_watchlist_id_risk_watchlist"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_watchlist_entry")),
    )
    with op.batch_alter_table("risk_watchlist_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_risk_watchlist_entry_watchlist_id"), ["watchlist_id"], unique=False
        )
    op.create_table(
        "risk_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("red_share", sa.Float(), nullable=False),
        sa.Column("yellow_share", sa.Float(), nullable=False),
        sa.Column("exploration_share", sa.Float(), nullable=False),
        sa.Column("exploration_red_share", sa.Float(), nullable=False),
        sa.Column("seed", sa.String(length=80), nullable=False),
        sa.Column("changed_by", sa.String(length=80), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_policy")),
        sa.UniqueConstraint("version", name=op.f("uq_risk_policy_version")),
    )
    op.create_table(
        "risk_model_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=60), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("trained_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("promoted_by", sa.String(length=80), nullable=True),
        sa.Column("promoted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_model_version")),
        sa.UniqueConstraint("version", name=op.f("uq_risk_model_version_version")),
    )
    with op.batch_alter_table("risk_model_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_model_version_status"), ["status"], unique=False)
    op.create_table(
        "risk_lane_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("declaration_version", sa.Integer(), nullable=False),
        sa.Column("declared_on", sa.Date(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lane", sa.String(length=10), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("model_version", sa.String(length=60), nullable=True),
        sa.Column("model_lane", sa.String(length=10), nullable=True),
        sa.Column("explored", sa.Boolean(), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("records", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_lane_decision")),
        sa.UniqueConstraint(
            "declaration_id",
            "declaration_version",
            name=op.f("uq_risk_lane_decision_declaration_id_declaration_version"),
        ),
    )
    with op.batch_alter_table("risk_lane_decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_lane_decision_declared_on"), ["declared_on"], unique=False)
        batch_op.create_index(
            "ix_risk_lane_decision_model_day", ["model_version", "declared_on"], unique=False
        )


def downgrade() -> None:
    op.drop_table("risk_lane_decision")
    op.drop_table("risk_model_version")
    op.drop_table("risk_policy")
    op.drop_table("risk_watchlist_entry")
    op.drop_table("risk_watchlist")
    op.drop_table("risk_criterion_version")
    op.drop_table("risk_criterion")
    op.drop_table("risk_generation")
