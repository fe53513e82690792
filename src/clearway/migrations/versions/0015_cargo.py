"""Cargo: manifests and versions, house bills with their screening, bonded storage events, customs holds

Revision ID: 0015_cargo
Revises: 0007_arrival_date
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clearway.db import Money

revision = "0015_cargo"
down_revision = "0007_arrival_date"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cargo_manifest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("submitted_by", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=35), nullable=False),
        sa.Column("mrn", sa.String(length=11), nullable=False),
        sa.Column("mode", sa.String(length=5), nullable=False),
        sa.Column("carrier_code", sa.String(length=4), nullable=False),
        sa.Column("voyage_number", sa.String(length=17), nullable=False),
        sa.Column("vessel_name", sa.String(length=200), nullable=True),
        sa.Column("imo", sa.String(length=7), nullable=True),
        sa.Column("port_of_loading", sa.String(length=5), nullable=False),
        sa.Column("port_of_discharge", sa.String(length=5), nullable=False),
        sa.Column("departure_date", sa.Date(), nullable=False),
        sa.Column("arrival_date", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("arrived_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_cargo_manifest_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"], ["app_user.id"], name=op.f("fk_cargo_manifest_submitted_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cargo_manifest")),
        sa.UniqueConstraint("company_id", "reference", name=op.f("uq_cargo_manifest_company_id_reference")),
        sa.UniqueConstraint("mrn", name=op.f("uq_cargo_manifest_mrn")),
    )
    op.create_index(op.f("ix_cargo_manifest_arrival_date"), "cargo_manifest", ["arrival_date"], unique=False)
    op.create_index(op.f("ix_cargo_manifest_company_id"), "cargo_manifest", ["company_id"], unique=False)
    op.create_index(
        op.f("ix_cargo_manifest_port_of_discharge"), "cargo_manifest", ["port_of_discharge"], unique=False
    )
    op.create_table(
        "cargo_house_bill",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("manifest_id", sa.Integer(), nullable=False),
        sa.Column("ccn", sa.String(length=19), nullable=False),
        sa.Column("master_bill", sa.String(length=35), nullable=False),
        sa.Column("house_bill", sa.String(length=35), nullable=False),
        sa.Column("master_seq", sa.Integer(), nullable=False),
        sa.Column("house_seq", sa.Integer(), nullable=False),
        sa.Column("shipper_name", sa.String(length=200), nullable=False),
        sa.Column("shipper_key", sa.String(length=220), nullable=False),
        sa.Column("consignee_name", sa.String(length=200), nullable=False),
        sa.Column("consignee_brn", sa.String(length=20), nullable=True),
        sa.Column("consignee_key", sa.String(length=220), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("hs6", sa.String(length=6), nullable=True),
        sa.Column("packages", sa.Integer(), nullable=False),
        sa.Column("package_type", sa.String(length=2), nullable=False),
        sa.Column("gross_weight_kg", Money(), nullable=False),
        sa.Column("volume_m3", Money(), nullable=True),
        sa.Column("value", Money(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("transshipment_ports", sa.JSON(), nullable=False),
        sa.Column("containers", sa.JSON(), nullable=False),
        sa.Column("risk_level", sa.String(length=6), nullable=False),
        sa.Column("risk_score", sa.Float(), nullable=False),
        sa.Column("risk_action", sa.String(length=10), nullable=False),
        sa.Column("risk_reasons", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["manifest_id"],
            ["cargo_manifest.id"],
            name=op.f("fk_cargo_house_bill_manifest_id_cargo_manifest"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cargo_house_bill")),
        sa.UniqueConstraint("ccn", name=op.f("uq_cargo_house_bill_ccn")),
        sa.UniqueConstraint("house_bill", name=op.f("uq_cargo_house_bill_house_bill")),
    )
    op.create_index(
        op.f("ix_cargo_house_bill_consignee_key"), "cargo_house_bill", ["consignee_key"], unique=False
    )
    op.create_index(
        op.f("ix_cargo_house_bill_manifest_id"), "cargo_house_bill", ["manifest_id"], unique=False
    )
    op.create_index(op.f("ix_cargo_house_bill_risk_level"), "cargo_house_bill", ["risk_level"], unique=False)
    op.create_table(
        "cargo_manifest_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("manifest_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_cargo_manifest_version_created_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["manifest_id"],
            ["cargo_manifest.id"],
            name=op.f("fk_cargo_manifest_version_manifest_id_cargo_manifest"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cargo_manifest_version")),
        sa.UniqueConstraint(
            "manifest_id", "version", name=op.f("uq_cargo_manifest_version_manifest_id_version")
        ),
    )
    op.create_table(
        "cargo_hold",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("house_bill_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_by", sa.Integer(), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=True),
        sa.Column("result_note", sa.Text(), nullable=True),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["app_user.id"], name=op.f("fk_cargo_hold_closed_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["house_bill_id"],
            ["cargo_house_bill.id"],
            name=op.f("fk_cargo_hold_house_bill_id_cargo_house_bill"),
        ),
        sa.ForeignKeyConstraint(
            ["placed_by"], ["app_user.id"], name=op.f("fk_cargo_hold_placed_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cargo_hold")),
    )
    op.create_index(op.f("ix_cargo_hold_house_bill_id"), "cargo_hold", ["house_bill_id"], unique=False)
    op.create_table(
        "cargo_storage_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("house_bill_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("shed", sa.String(length=8), nullable=False),
        sa.Column("area_kind", sa.String(length=12), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=10), nullable=True),
        sa.Column("reason_text", sa.Text(), nullable=True),
        sa.Column("declaration_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_cargo_storage_event_declaration_id_declaration"),
        ),
        sa.ForeignKeyConstraint(
            ["house_bill_id"],
            ["cargo_house_bill.id"],
            name=op.f("fk_cargo_storage_event_house_bill_id_cargo_house_bill"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["app_user.id"], name=op.f("fk_cargo_storage_event_recorded_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cargo_storage_event")),
    )
    op.create_index(
        op.f("ix_cargo_storage_event_house_bill_id"), "cargo_storage_event", ["house_bill_id"], unique=False
    )
    op.create_index(op.f("ix_cargo_storage_event_shed"), "cargo_storage_event", ["shed"], unique=False)


def downgrade() -> None:
    for table in (
        "cargo_hold",
        "cargo_storage_event",
        "cargo_house_bill",
        "cargo_manifest_version",
        "cargo_manifest",
    ):
        op.drop_table(table)
