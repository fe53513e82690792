"""Parties bound to accounts: the company's 통관고유부호, broker mandates, the declaration's bound party.

Revision ID: 0011_parties
Revises: 0007_arrival_date
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_parties"
down_revision = "0007_arrival_date"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("company") as batch:
        batch.add_column(sa.Column("customs_code", sa.String(15), nullable=True))
        batch.create_unique_constraint("uq_company_customs_code", ["customs_code"])
    op.create_table(
        "mandate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("broker_company_id", sa.Integer(), nullable=False),
        sa.Column("client_company_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(10), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("revoked_by", sa.Integer(), nullable=True),
        sa.Column("revoke_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["broker_company_id"], ["company.id"], name="fk_mandate_broker_company_id_company"
        ),
        sa.ForeignKeyConstraint(
            ["client_company_id"], ["company.id"], name="fk_mandate_client_company_id_company"
        ),
        sa.ForeignKeyConstraint(["recorded_by"], ["app_user.id"], name="fk_mandate_recorded_by_app_user"),
        sa.ForeignKeyConstraint(["revoked_by"], ["app_user.id"], name="fk_mandate_revoked_by_app_user"),
        sa.PrimaryKeyConstraint("id", name="pk_mandate"),
    )
    op.create_index("ix_mandate_broker", "mandate", ["broker_company_id", "valid_from"])
    op.create_index("ix_mandate_client_company_id", "mandate", ["client_company_id"])
    with op.batch_alter_table("declaration") as batch:
        batch.add_column(sa.Column("party_company_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_declaration_party_company_id_company", "company", ["party_company_id"], ["id"]
        )
        batch.create_index("ix_declaration_party_company_id", ["party_company_id"])


def downgrade() -> None:
    with op.batch_alter_table("declaration") as batch:
        batch.drop_index("ix_declaration_party_company_id")
        batch.drop_constraint("fk_declaration_party_company_id_company", type_="foreignkey")
        batch.drop_column("party_company_id")
    op.drop_index("ix_mandate_client_company_id", "mandate")
    op.drop_index("ix_mandate_broker", "mandate")
    op.drop_table("mandate")
    with op.batch_alter_table("company") as batch:
        batch.drop_constraint("uq_company_customs_code", type_="unique")
        batch.drop_column("customs_code")
