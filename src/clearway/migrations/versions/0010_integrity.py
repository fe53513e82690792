"""Clearance integrity: change requests, document requests and replies with attachments, the officer's
assignment, payment orders and bank receipts.

Revision ID: 0010_integrity
Revises: 0007_arrival_date
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clearway.db import Money, UTCDateTime

revision = "0010_integrity"
down_revision = "0007_arrival_date"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("declaration") as batch:
        batch.add_column(sa.Column("assignee_user_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("assigned_at", UTCDateTime(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_declaration_assignee_user_id_app_user"), "app_user", ["assignee_user_id"], ["id"]
        )
    op.create_table(
        "declaration_change_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("internal_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_declaration_change_request_declaration_id_declaration"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["app_user.id"],
            name=op.f("fk_declaration_change_request_requested_by_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["app_user.id"], name=op.f("fk_declaration_change_request_decided_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_change_request")),
    )
    op.create_index(
        op.f("ix_declaration_change_request_declaration_id"), "declaration_change_request", ["declaration_id"]
    )
    op.create_index(op.f("ix_declaration_change_request_status"), "declaration_change_request", ["status"])
    op.create_table(
        "document_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("internal_note", sa.Text(), nullable=True),
        sa.Column("deadline", UTCDateTime(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_document_request_declaration_id_declaration"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["app_user.id"], name=op.f("fk_document_request_requested_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_request")),
    )
    op.create_index(op.f("ix_document_request_declaration_id"), "document_request", ["declaration_id"])
    op.create_table(
        "document_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_request_id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_request_id"],
            ["document_request.id"],
            name=op.f("fk_document_attachment_document_request_id_document_request"),
        ),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_document_attachment_declaration_id_declaration"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"], ["app_user.id"], name=op.f("fk_document_attachment_uploaded_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_document_attachment_company_id_company")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_attachment")),
    )
    op.create_index(
        op.f("ix_document_attachment_document_request_id"), "document_attachment", ["document_request_id"]
    )
    op.create_index(op.f("ix_document_attachment_declaration_id"), "document_attachment", ["declaration_id"])
    op.create_table(
        "payment_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("amount_krw", Money(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("paid_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["declaration_id"], ["declaration.id"], name=op.f("fk_payment_order_declaration_id_declaration")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_order")),
        sa.UniqueConstraint("number", name=op.f("uq_payment_order_number")),
    )
    op.create_index(op.f("ix_payment_order_declaration_id"), "payment_order", ["declaration_id"])
    op.create_index(op.f("ix_payment_order_status"), "payment_order", ["status"])
    op.create_index(op.f("ix_payment_order_issued_on"), "payment_order", ["issued_on"])
    op.create_table(
        "payment_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("payment_number", sa.String(length=16), nullable=False),
        sa.Column("amount_krw", Money(), nullable=False),
        sa.Column("bank_reference", sa.String(length=60), nullable=False),
        sa.Column("bank_paid_at", sa.String(length=60), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"], ["payment_order.id"], name=op.f("fk_payment_receipt_order_id_payment_order")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_receipt")),
        sa.UniqueConstraint("bank_reference", name=op.f("uq_payment_receipt_bank_reference")),
    )
    op.create_index(op.f("ix_payment_receipt_order_id"), "payment_receipt", ["order_id"])
    op.create_index(op.f("ix_payment_receipt_payment_number"), "payment_receipt", ["payment_number"])
    op.create_index(op.f("ix_payment_receipt_received_on"), "payment_receipt", ["received_on"])


def downgrade() -> None:
    for table in (
        "payment_receipt",
        "payment_order",
        "document_attachment",
        "document_request",
        "declaration_change_request",
    ):
        op.drop_table(table)
    with op.batch_alter_table("declaration") as batch:
        batch.drop_constraint(op.f("fk_declaration_assignee_user_id_app_user"), type_="foreignkey")
        batch.drop_column("assigned_at")
        batch.drop_column("assignee_user_id")
