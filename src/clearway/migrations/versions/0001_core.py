"""Core tables: identity, audit chain, declarations

Revision ID: 0001_core
Revises:
Create Date: 2026-11-21 23:44:24.592281
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clearway.audit.chain import GENESIS
from clearway.db import Money

revision = "0001_core"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    op.create_table(
        "audit_event",
        sa.Column(
            "seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=False, nullable=False
        ),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("subject_type", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=60), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_subject", ["subject_type", "subject_id", "seq"], unique=False)

    op.create_table(
        "company",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("brn", sa.String(length=20), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company")),
        sa.UniqueConstraint("brn", name=op.f("uq_company_brn")),
    )
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["company.id"], name=op.f("fk_app_user_company_id_company")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_api_token_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "declaration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("filer_company_id", sa.Integer(), nullable=False),
        sa.Column("filer_user_id", sa.Integer(), nullable=False),
        sa.Column("declarant_reference", sa.String(length=35), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("lane", sa.String(length=10), nullable=True),
        sa.Column("importer_name", sa.String(length=200), nullable=True),
        sa.Column("importer_brn", sa.String(length=20), nullable=True),
        sa.Column("customs_office", sa.String(length=10), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("total_due_krw", Money(), nullable=True),
        sa.ForeignKeyConstraint(
            ["filer_company_id"], ["company.id"], name=op.f("fk_declaration_filer_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["filer_user_id"], ["app_user.id"], name=op.f("fk_declaration_filer_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration")),
        sa.UniqueConstraint(
            "filer_company_id",
            "declarant_reference",
            name=op.f("uq_declaration_filer_company_id_declarant_reference"),
        ),
    )
    with op.batch_alter_table("declaration", schema=None) as batch_op:
        batch_op.create_index("ix_declaration_company_filed", ["filer_company_id", "filed_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_declaration_filed_on"), ["filed_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_declaration_importer_brn"), ["importer_brn"], unique=False)
        batch_op.create_index(batch_op.f("ix_declaration_lane"), ["lane"], unique=False)
        batch_op.create_index(batch_op.f("ix_declaration_status"), ["status"], unique=False)

    op.create_table(
        "declaration_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("lane", sa.String(length=10), nullable=True),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("assessment", sa.JSON(), nullable=True),
        sa.Column("lane_selection", sa.JSON(), nullable=True),
        sa.Column("advice", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("amendment_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_declaration_version_created_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_declaration_version_declaration_id_declaration"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_version")),
        sa.UniqueConstraint(
            "declaration_id", "version", name=op.f("uq_declaration_version_declaration_id_version")
        ),
    )
    op.create_table(
        "idempotency_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_idempotency_key_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["declaration_id"], ["declaration.id"], name=op.f("fk_idempotency_key_declaration_id_declaration")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_key")),
        sa.UniqueConstraint("company_id", "key", name=op.f("uq_idempotency_key_company_id_key")),
    )
    op.create_table(
        "inspection_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("finding", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("additional_duty_krw", Money(), nullable=False),
        sa.Column("critical", sa.Boolean(), nullable=False),
        sa.Column("officer_user_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_inspection_result_declaration_id_declaration"),
        ),
        sa.ForeignKeyConstraint(
            ["officer_user_id"], ["app_user.id"], name=op.f("fk_inspection_result_officer_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_result")),
    )
    with op.batch_alter_table("inspection_result", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inspection_result_declaration_id"), ["declaration_id"], unique=False
        )

    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("amount_krw", Money(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paid_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"], ["declaration.id"], name=op.f("fk_payment_declaration_id_declaration")
        ),
        sa.ForeignKeyConstraint(["paid_by"], ["app_user.id"], name=op.f("fk_payment_paid_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
    )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_declaration_id"), ["declaration_id"], unique=False)

    op.create_table(
        "declaration_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("commodity_code", sa.String(length=10), nullable=False),
        sa.Column("origin_country", sa.String(length=2), nullable=False),
        sa.Column("net_mass_kg", Money(), nullable=False),
        sa.Column("invoice_amount", Money(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("customs_value_krw", Money(), nullable=True),
        sa.Column("duty_krw", Money(), nullable=True),
        sa.Column("taxes_krw", Money(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["declaration_version.id"],
            name=op.f("fk_declaration_line_version_id_declaration_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_line")),
    )
    with op.batch_alter_table("declaration_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_declaration_line_commodity_code"), ["commodity_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_declaration_line_version_id"), ["version_id"], unique=False)

    op.bulk_insert(
        sa.table(
            "audit_chain_head",
            sa.column("id", sa.Integer),
            sa.column("last_seq", sa.BigInteger),
            sa.column("last_hash", sa.String),
        ),
        [{"id": 1, "last_seq": 0, "last_hash": GENESIS}],
    )


def downgrade() -> None:
    with op.batch_alter_table("declaration_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declaration_line_version_id"))
        batch_op.drop_index(batch_op.f("ix_declaration_line_commodity_code"))

    op.drop_table("declaration_line")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_declaration_id"))

    op.drop_table("payment")
    with op.batch_alter_table("inspection_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_result_declaration_id"))

    op.drop_table("inspection_result")
    op.drop_table("idempotency_key")
    op.drop_table("declaration_version")
    with op.batch_alter_table("declaration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declaration_status"))
        batch_op.drop_index(batch_op.f("ix_declaration_lane"))
        batch_op.drop_index(batch_op.f("ix_declaration_importer_brn"))
        batch_op.drop_index(batch_op.f("ix_declaration_filed_on"))
        batch_op.drop_index("ix_declaration_company_filed")

    op.drop_table("declaration")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_user_id"))

    op.drop_table("api_token")
    op.drop_table("app_user")
    op.drop_table("company")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_subject")

    op.drop_table("audit_event")
    op.drop_table("audit_chain_head")
