"""Trade records and statistics: issued documents with their verification codes, the materialised trade
statistics (cells, FTA utilisation, each declaration's contribution, the refresh watermark).

Revision ID: 0034_trade_statistics
Revises: 0030_merge
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0034_trade_statistics"
down_revision = "0030_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "issued_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=19), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=True),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("period", sa.String(length=7), nullable=True),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"], ["declaration.id"], name=op.f("fk_issued_document_declaration_id_declaration")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_issued_document_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["issued_by"], ["app_user.id"], name=op.f("fk_issued_document_issued_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_document")),
        sa.UniqueConstraint("code", name=op.f("uq_issued_document_code")),
    )
    op.create_index(op.f("ix_issued_document_declaration_id"), "issued_document", ["declaration_id"])
    op.create_index(op.f("ix_issued_document_company_id"), "issued_document", ["company_id"])
    op.create_index(op.f("ix_issued_document_file_sha256"), "issued_document", ["file_sha256"])

    measures = [
        sa.Column(name, sa.BigInteger() if big else sa.Integer(), nullable=False)
        for name, big in (
            ("declarations", False),
            ("lines", False),
            ("value_krw", True),
            ("value_usd_cents", True),
            ("quantity_e4", True),
            ("net_mass_e4", True),
            ("duty_krw", True),
            ("taxes_krw", True),
            ("green", False),
            ("blue", False),
            ("yellow", False),
            ("red", False),
            ("checked", False),
            ("hits", False),
        )
    ]
    op.create_table(
        "trade_stat_cell",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=6), nullable=False),
        sa.Column("hs10", sa.String(length=10), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("office", sa.String(length=10), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        *measures,
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trade_stat_cell")),
        sa.UniqueConstraint(
            "month", "kind", "hs10", "country", "office", "mode", "company_id", name="uq_trade_stat_cell_key"
        ),
    )
    op.create_index("ix_trade_stat_cell_kind_month", "trade_stat_cell", ["kind", "month"])
    op.create_index("ix_trade_stat_cell_company", "trade_stat_cell", ["company_id", "month"])
    op.create_table(
        "trade_stat_rollup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=6), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("dim", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=10), nullable=False),
        sa.Column("companies", sa.Integer(), nullable=False),
        sa.Column("company_a", sa.Integer(), nullable=False),
        sa.Column("company_b", sa.Integer(), nullable=False),
        *[sa.Column(c.name, c.type, nullable=False) for c in measures],
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trade_stat_rollup")),
    )
    op.create_index("ix_trade_stat_rollup_dim", "trade_stat_rollup", ["dim", "kind", "month", "key"])
    op.create_table(
        "trade_stat_fta",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("agreement", sa.String(length=12), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("eligible_lines", sa.Integer(), nullable=False),
        sa.Column("eligible_value_krw", sa.BigInteger(), nullable=False),
        sa.Column("claimed_lines", sa.Integer(), nullable=False),
        sa.Column("claimed_value_krw", sa.BigInteger(), nullable=False),
        sa.Column("granted_lines", sa.Integer(), nullable=False),
        sa.Column("granted_value_krw", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trade_stat_fta")),
        sa.UniqueConstraint("month", "agreement", "company_id", name="uq_trade_stat_fta_key"),
    )
    op.create_table(
        "trade_stat_source",
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("contribution", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_trade_stat_source_declaration_id_declaration"),
        ),
        sa.PrimaryKeyConstraint("declaration_id", name=op.f("pk_trade_stat_source")),
    )
    op.create_table(
        "trade_stat_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("watermark", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sources", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trade_stat_state")),
    )


def downgrade() -> None:
    op.drop_table("trade_stat_state")
    op.drop_table("trade_stat_source")
    op.drop_table("trade_stat_fta")
    op.drop_table("trade_stat_rollup")
    op.drop_table("trade_stat_cell")
    op.drop_table("issued_document")
