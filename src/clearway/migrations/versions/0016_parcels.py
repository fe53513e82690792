"""Direct purchases: personal customs codes, parcel lists, parcels, holder notifications, bulk-reissue jobs.

Revision ID: 0016_parcels
Revises: 0007_arrival_date
Create Date: 2026-12-04 20:59:52.577420
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clearway.db import Money

revision = "0016_parcels"
down_revision = "0007_arrival_date"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "code_reissue_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("code_indexes", sa.JSON(), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code_reissue_job")),
        sa.UniqueConstraint("key", name=op.f("uq_code_reissue_job_key")),
    )
    op.create_table(
        "personal_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_index", sa.String(length=64), nullable=False),
        sa.Column("code_enc", sa.Text(), nullable=False),
        sa.Column("code_masked", sa.String(length=20), nullable=False),
        sa.Column("person_index", sa.String(length=64), nullable=False),
        sa.Column("active_person_index", sa.String(length=64), nullable=True),
        sa.Column("name_enc", sa.Text(), nullable=False),
        sa.Column("name_masked", sa.String(length=100), nullable=False),
        sa.Column("phone_enc", sa.Text(), nullable=False),
        sa.Column("phone_masked", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("status_reason", sa.String(length=200), nullable=True),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["replaces_id"], ["personal_code.id"], name=op.f("fk_personal_code_replaces_id_personal_code")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_code")),
        sa.UniqueConstraint("active_person_index", name=op.f("uq_personal_code_active_person_index")),
        sa.UniqueConstraint("code_index", name=op.f("uq_personal_code_code_index")),
    )
    with op.batch_alter_table("personal_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_personal_code_person_index"), ["person_index"], unique=False)

    op.create_table(
        "parcel_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("carrier_company_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("carrier_kind", sa.String(length=10), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by", sa.Integer(), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["carrier_company_id"], ["company.id"], name=op.f("fk_parcel_list_carrier_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"], ["app_user.id"], name=op.f("fk_parcel_list_submitted_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parcel_list")),
    )
    with op.batch_alter_table("parcel_list", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_parcel_list_carrier_company_id"), ["carrier_company_id"], unique=False
        )

    op.create_table(
        "parcel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("house_bill", sa.String(length=35), nullable=False),
        sa.Column("carrier_company_id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("address_enc", sa.Text(), nullable=False),
        sa.Column("arrival_date", sa.Date(), nullable=False),
        sa.Column("dispatch_country", sa.String(length=2), nullable=False),
        sa.Column("shop", sa.String(length=200), nullable=True),
        sa.Column("weight_kg", Money(), nullable=True),
        sa.Column("goods_usd", Money(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("route", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("signals", sa.JSON(), nullable=False),
        sa.Column("duty_krw", Money(), nullable=True),
        sa.Column("assessment", sa.JSON(), nullable=True),
        sa.Column("dispute", sa.JSON(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["carrier_company_id"], ["company.id"], name=op.f("fk_parcel_carrier_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["code_id"], ["personal_code.id"], name=op.f("fk_parcel_code_id_personal_code")
        ),
        sa.ForeignKeyConstraint(["list_id"], ["parcel_list.id"], name=op.f("fk_parcel_list_id_parcel_list")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parcel")),
        sa.UniqueConstraint("house_bill", name=op.f("uq_parcel_house_bill")),
    )
    with op.batch_alter_table("parcel", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_parcel_carrier_company_id"), ["carrier_company_id"], unique=False
        )
        batch_op.create_index("ix_parcel_code_id_arrival_date", ["code_id", "arrival_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_parcel_list_id"), ["list_id"], unique=False)

    op.create_table(
        "parcel_notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("parcel_id", sa.Integer(), nullable=True),
        sa.Column("event", sa.String(length=30), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["code_id"], ["personal_code.id"], name=op.f("fk_parcel_notification_code_id_personal_code")
        ),
        sa.ForeignKeyConstraint(
            ["parcel_id"], ["parcel.id"], name=op.f("fk_parcel_notification_parcel_id_parcel")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parcel_notification")),
    )
    with op.batch_alter_table("parcel_notification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parcel_notification_code_id"), ["code_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_parcel_notification_parcel_id"), ["parcel_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_parcel_notification_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("parcel_notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parcel_notification_status"))
        batch_op.drop_index(batch_op.f("ix_parcel_notification_parcel_id"))
        batch_op.drop_index(batch_op.f("ix_parcel_notification_code_id"))

    op.drop_table("parcel_notification")
    with op.batch_alter_table("parcel", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parcel_list_id"))
        batch_op.drop_index("ix_parcel_code_id_arrival_date")
        batch_op.drop_index(batch_op.f("ix_parcel_carrier_company_id"))

    op.drop_table("parcel")
    with op.batch_alter_table("parcel_list", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parcel_list_carrier_company_id"))

    op.drop_table("parcel_list")
    with op.batch_alter_table("personal_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_personal_code_person_index"))

    op.drop_table("personal_code")
    op.drop_table("code_reissue_job")
