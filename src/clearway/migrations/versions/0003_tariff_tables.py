"""Tariff: sources, rate measures, internal-tax rules, customs exchange rates, parameters

Revision ID: 0003_tariff
Revises: 0001_core
Create Date: 2026-11-22 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clearway.db import Money

revision = "0003_tariff"
down_revision = "0001_core"
branch_labels = ("tariff",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tariff_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("attribution", sa.Text(), nullable=True),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("loaded_by", sa.String(length=100), nullable=True),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tariff_source")),
    )
    with op.batch_alter_table("tariff_source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tariff_source_kind"), ["kind"], unique=False)

    op.create_table(
        "tariff_measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("commodity_code", sa.String(length=10), nullable=False),
        sa.Column("rate_code", sa.String(length=16), nullable=False),
        sa.Column("geo_area", sa.String(length=20), nullable=False),
        sa.Column("excluded", sa.JSON(), nullable=True),
        sa.Column("expression", sa.JSON(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("reference_price", Money(), nullable=True),
        sa.Column("country_type", sa.String(length=8), nullable=True),
        sa.Column("use_type", sa.String(length=20), nullable=True),
        sa.Column("order_number", sa.String(length=20), nullable=True),
        sa.Column("additional_code", sa.String(length=20), nullable=True),
        sa.Column("conditional", sa.Boolean(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("sid", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["tariff_source.id"],
            name=op.f("fk_tariff_measure_source_id_tariff_source"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tariff_measure")),
    )
    with op.batch_alter_table("tariff_measure", schema=None) as batch_op:
        batch_op.create_index("ix_tariff_measure_code_from", ["commodity_code", "valid_from"], unique=False)
        batch_op.create_index(batch_op.f("ix_tariff_measure_source_id"), ["source_id"], unique=False)

    op.create_table(
        "tariff_internal_tax_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("rule_id", sa.String(length=60), nullable=False),
        sa.Column("tax", sa.String(length=40), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["tariff_source.id"],
            name=op.f("fk_tariff_internal_tax_rule_source_id_tariff_source"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tariff_internal_tax_rule")),
    )
    with op.batch_alter_table("tariff_internal_tax_rule", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tariff_internal_tax_rule_rule_id"), ["rule_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_tariff_internal_tax_rule_source_id"), ["source_id"], unique=False
        )

    op.create_table(
        "tariff_exchange_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rate_krw", Money(), nullable=False),
        sa.Column("per", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["tariff_source.id"],
            name=op.f("fk_tariff_exchange_rate_source_id_tariff_source"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tariff_exchange_rate")),
        sa.UniqueConstraint(
            "currency", "valid_from", name=op.f("uq_tariff_exchange_rate_currency_valid_from")
        ),
    )
    with op.batch_alter_table("tariff_exchange_rate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tariff_exchange_rate_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tariff_exchange_rate_valid_from"), ["valid_from"], unique=False)

    op.create_table(
        "tariff_parameter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["tariff_source.id"],
            name=op.f("fk_tariff_parameter_source_id_tariff_source"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tariff_parameter")),
    )
    with op.batch_alter_table("tariff_parameter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tariff_parameter_key"), ["key"], unique=False)
        batch_op.create_index(batch_op.f("ix_tariff_parameter_source_id"), ["source_id"], unique=False)


def downgrade() -> None:
    for table in (
        "tariff_parameter",
        "tariff_exchange_rate",
        "tariff_internal_tax_rule",
        "tariff_measure",
        "tariff_source",
    ):
        op.drop_table(table)
