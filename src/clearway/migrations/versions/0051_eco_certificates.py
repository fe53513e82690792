"""Origin: electronic certificates (channel, HS edition per item, one number per issuing country), quantity
drawdown over declarations, verification requests to the exporting country's authority

Revision ID: 0051_eco_certificates
Revises: 0050_merge
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clearway.db import Money, UTCDateTime

revision = "0051_eco_certificates"
down_revision = "0050_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("origin_certificate") as batch:
        batch.add_column(sa.Column("channel", sa.String(length=20), nullable=True))
        batch.create_unique_constraint(
            "uq_origin_certificate_issuer_reference", ["issuing_country", "reference"]
        )
    with op.batch_alter_table("origin_certificate_item") as batch:
        batch.add_column(sa.Column("hs_version", sa.String(length=10), nullable=True))
    op.create_table(
        "origin_drawdown",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("certificate_item_id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("quantity", Money(), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=True),
        sa.Column("drawn_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["origin_certificate.id"],
            name=op.f("fk_origin_drawdown_certificate_id_origin_certificate"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["certificate_item_id"],
            ["origin_certificate_item.id"],
            name=op.f("fk_origin_drawdown_certificate_item_id_origin_certificate_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["declaration_id"], ["declaration.id"], name=op.f("fk_origin_drawdown_declaration_id_declaration")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_origin_drawdown")),
        sa.UniqueConstraint(
            "certificate_item_id",
            "declaration_id",
            "version",
            "line_number",
            name="uq_origin_drawdown_use",
        ),
    )
    op.create_index(op.f("ix_origin_drawdown_certificate_id"), "origin_drawdown", ["certificate_id"])
    op.create_index(
        op.f("ix_origin_drawdown_certificate_item_id"), "origin_drawdown", ["certificate_item_id"]
    )
    op.create_index(op.f("ix_origin_drawdown_declaration_id"), "origin_drawdown", ["declaration_id"])
    op.create_table(
        "origin_verification_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=True),
        sa.Column("line_number", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("authority_country", sa.String(length=2), nullable=True),
        sa.Column("grounds", sa.Text(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("sent_reference", sa.String(length=60), nullable=True),
        sa.Column("result", sa.String(length=20), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("outcome", sa.JSON(), nullable=True),
        sa.Column("opened_by", sa.Integer(), nullable=True),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["origin_certificate.id"],
            name=op.f("fk_origin_verification_case_certificate_id_origin_certificate"),
        ),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_origin_verification_case_declaration_id_declaration"),
        ),
        sa.ForeignKeyConstraint(
            ["opened_by"], ["app_user.id"], name=op.f("fk_origin_verification_case_opened_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_origin_verification_case")),
    )
    op.create_index(
        op.f("ix_origin_verification_case_certificate_id"), "origin_verification_case", ["certificate_id"]
    )
    op.create_index(op.f("ix_origin_verification_case_status"), "origin_verification_case", ["status"])


def downgrade() -> None:
    op.drop_table("origin_verification_case")
    op.drop_table("origin_drawdown")
    with op.batch_alter_table("origin_certificate_item") as batch:
        batch.drop_column("hs_version")
    with op.batch_alter_table("origin_certificate") as batch:
        batch.drop_constraint("uq_origin_certificate_issuer_reference", type_="unique")
        batch.drop_column("channel")
