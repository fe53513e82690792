"""Travellers: carriers' passenger messages (API/PNR) and passengers on arriving flights.

Revision ID: 0019_traveller
Revises: 0007_arrival_date
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_traveller"
down_revision = "0007_arrival_date"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "traveller_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("carrier", sa.String(length=3), nullable=False),
        sa.Column("flight_number", sa.String(length=8), nullable=False),
        sa.Column("arrival_date", sa.Date(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_by", sa.String(length=80), nullable=False),
        sa.Column("acknowledgement", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_traveller_message")),
        sa.UniqueConstraint("message_id", name=op.f("uq_traveller_message_message_id")),
    )
    op.create_table(
        "traveller_passenger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("flight_number", sa.String(length=8), nullable=False),
        sa.Column("arrival_date", sa.Date(), nullable=False),
        sa.Column("passenger_key", sa.String(length=40), nullable=False),
        sa.Column("carrier", sa.String(length=3), nullable=False),
        sa.Column("departure_port", sa.String(length=3), nullable=False),
        sa.Column("arrival_port", sa.String(length=3), nullable=False),
        sa.Column("scheduled_arrival", sa.DateTime(timezone=True), nullable=False),
        sa.Column("api", sa.JSON(), nullable=False),
        sa.Column("pnr", sa.JSON(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("last_message_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("masked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_traveller_passenger")),
        sa.UniqueConstraint(
            "flight_number",
            "arrival_date",
            "passenger_key",
            name=op.f("uq_traveller_passenger_flight_number_arrival_date_passenger_key"),
        ),
    )
    op.create_index(op.f("ix_traveller_passenger_flight_number"), "traveller_passenger", ["flight_number"])
    op.create_index(op.f("ix_traveller_passenger_arrival_date"), "traveller_passenger", ["arrival_date"])


def downgrade() -> None:
    op.drop_index(op.f("ix_traveller_passenger_arrival_date"), table_name="traveller_passenger")
    op.drop_index(op.f("ix_traveller_passenger_flight_number"), table_name="traveller_passenger")
    op.drop_table("traveller_passenger")
    op.drop_table("traveller_message")
