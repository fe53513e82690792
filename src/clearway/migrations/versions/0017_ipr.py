"""IPR: recorded rights (지식재산권 신고), holds (통관보류) and evidence

Revision ID: 0017_ipr
Revises: 0007_arrival_date
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_ipr"
down_revision = "0007_arrival_date"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(20, 4)


def upgrade() -> None:
    op.create_table(
        "ipr_recording",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("holder_company_id", sa.Integer(), nullable=False),
        sa.Column("registration_office", sa.String(length=20), nullable=False),
        sa.Column("registration_number", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("marks", sa.JSON(), nullable=False),
        sa.Column("nice_classes", sa.JSON(), nullable=False),
        sa.Column("hs_scopes", sa.JSON(), nullable=False),
        sa.Column("authorised_brns", sa.JSON(), nullable=False),
        sa.Column("genuine_origins", sa.JSON(), nullable=False),
        sa.Column("price_bands", sa.JSON(), nullable=False),
        sa.Column("parallel_imports_allowed", sa.Boolean(), nullable=False),
        sa.Column("genuine_features", sa.Text(), nullable=True),
        sa.Column("contact_email", sa.String(length=200), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["holder_company_id"], ["company.id"], name=op.f("fk_ipr_recording_holder_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_ipr_recording_created_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"], ["app_user.id"], name=op.f("fk_ipr_recording_reviewed_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ipr_recording")),
        sa.UniqueConstraint(
            "registration_office",
            "registration_number",
            name=op.f("uq_ipr_recording_registration_office_registration_number"),
        ),
    )
    op.create_index(op.f("ix_ipr_recording_status"), "ipr_recording", ["status"])
    op.create_index(op.f("ix_ipr_recording_holder_company_id"), "ipr_recording", ["holder_company_id"])
    op.create_table(
        "ipr_hold",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("recording_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("signals", sa.JSON(), nullable=False),
        sa.Column("officer_reason", sa.Text(), nullable=False),
        sa.Column("customs_value_krw", MONEY, nullable=True),
        sa.Column("notified_on", sa.Date(), nullable=False),
        sa.Column("answer_due", sa.Date(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=20), nullable=True),
        sa.Column("answer_note", sa.Text(), nullable=True),
        sa.Column("security_krw", MONEY, nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["declaration_id"], ["declaration.id"], name=op.f("fk_ipr_hold_declaration_id_declaration")
        ),
        sa.ForeignKeyConstraint(
            ["recording_id"], ["ipr_recording.id"], name=op.f("fk_ipr_hold_recording_id_ipr_recording")
        ),
        sa.ForeignKeyConstraint(["opened_by"], ["app_user.id"], name=op.f("fk_ipr_hold_opened_by_app_user")),
        sa.ForeignKeyConstraint(
            ["answered_by"], ["app_user.id"], name=op.f("fk_ipr_hold_answered_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["app_user.id"], name=op.f("fk_ipr_hold_decided_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ipr_hold")),
    )
    op.create_index(op.f("ix_ipr_hold_status"), "ipr_hold", ["status"])
    op.create_index(op.f("ix_ipr_hold_recording_id"), "ipr_hold", ["recording_id"])
    op.create_index(op.f("ix_ipr_hold_answer_due"), "ipr_hold", ["answer_due"])
    op.create_index("ix_ipr_hold_declaration_status", "ipr_hold", ["declaration_id", "status"])
    op.create_table(
        "ipr_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hold_id", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["hold_id"], ["ipr_hold.id"], name=op.f("fk_ipr_evidence_hold_id_ipr_hold")),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_ipr_evidence_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ipr_evidence")),
    )
    op.create_index(op.f("ix_ipr_evidence_hold_id"), "ipr_evidence", ["hold_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_ipr_evidence_hold_id"), table_name="ipr_evidence")
    op.drop_table("ipr_evidence")
    for name in (
        "ix_ipr_hold_declaration_status",
        op.f("ix_ipr_hold_answer_due"),
        op.f("ix_ipr_hold_recording_id"),
        op.f("ix_ipr_hold_status"),
    ):
        op.drop_index(name, table_name="ipr_hold")
    op.drop_table("ipr_hold")
    op.drop_index(op.f("ix_ipr_recording_holder_company_id"), table_name="ipr_recording")
    op.drop_index(op.f("ix_ipr_recording_status"), table_name="ipr_recording")
    op.drop_table("ipr_recording")
