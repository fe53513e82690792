"""Origin: certificate-of-origin records and their goods lines

Revision ID: 0002_origin
Revises: 0001_core
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clearway.db import Money

revision = "0002_origin"
down_revision = "0001_core"
branch_labels = ("origin",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "origin_certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("agreement", sa.String(length=20), nullable=False),
        sa.Column("form", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=True),
        sa.Column("issuing_country", sa.String(length=2), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("exporter_name", sa.String(length=200), nullable=True),
        sa.Column("exporter_address", sa.Text(), nullable=True),
        sa.Column("exporter_country", sa.String(length=2), nullable=True),
        sa.Column("exporter_authorisation", sa.String(length=60), nullable=True),
        sa.Column("producer_name", sa.String(length=200), nullable=True),
        sa.Column("importer_name", sa.String(length=200), nullable=True),
        sa.Column("importer_address", sa.Text(), nullable=True),
        sa.Column("importer_country", sa.String(length=2), nullable=True),
        sa.Column("certifier_role", sa.String(length=20), nullable=True),
        sa.Column("certifier_name", sa.String(length=200), nullable=True),
        sa.Column("origin_country", sa.String(length=2), nullable=True),
        sa.Column("origin_criterion", sa.String(length=20), nullable=True),
        sa.Column("invoice_reference", sa.String(length=60), nullable=True),
        sa.Column("invoice_date", sa.Date(), nullable=True),
        sa.Column("blanket_from", sa.Date(), nullable=True),
        sa.Column("blanket_to", sa.Date(), nullable=True),
        sa.Column("place", sa.String(length=100), nullable=True),
        sa.Column("signatory", sa.String(length=200), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("declaration_text", sa.Text(), nullable=True),
        sa.Column("transport", sa.JSON(), nullable=True),
        sa.Column("elements", sa.JSON(), nullable=False),
        sa.Column("reading", sa.JSON(), nullable=True),
        sa.Column("document_name", sa.String(length=200), nullable=True),
        sa.Column("document_sha256", sa.String(length=64), nullable=True),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_origin_certificate_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_origin_certificate_created_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_origin_certificate")),
        sa.UniqueConstraint("agreement", "reference", name=op.f("uq_origin_certificate_agreement_reference")),
    )
    with op.batch_alter_table("origin_certificate", schema=None) as batch_op:
        batch_op.create_index("ix_origin_certificate_reference", ["reference"], unique=False)

    op.create_table(
        "origin_certificate_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item_number", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("hs6", sa.String(length=6), nullable=True),
        sa.Column("quantity", Money(), nullable=True),
        sa.Column("unit", sa.String(length=10), nullable=True),
        sa.Column("gross_weight_kg", Money(), nullable=True),
        sa.Column("origin_criterion", sa.String(length=20), nullable=True),
        sa.Column("origin_country", sa.String(length=2), nullable=True),
        sa.Column("value", Money(), nullable=True),
        sa.Column("marks", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["origin_certificate.id"],
            ondelete="CASCADE",
            name=op.f("fk_origin_certificate_item_certificate_id_origin_certificate"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_origin_certificate_item")),
    )
    with op.batch_alter_table("origin_certificate_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_origin_certificate_item_certificate_id"), ["certificate_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_origin_certificate_item_hs6"), ["hs6"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("origin_certificate_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_origin_certificate_item_hs6"))
        batch_op.drop_index(batch_op.f("ix_origin_certificate_item_certificate_id"))
    op.drop_table("origin_certificate_item")
    with op.batch_alter_table("origin_certificate", schema=None) as batch_op:
        batch_op.drop_index("ix_origin_certificate_reference")
    op.drop_table("origin_certificate")
