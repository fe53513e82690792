"""Merge the branches added side by side (traveller risk and declarations, parcel screening, trade statistics
and documents) into one head.

Revision ID: 0040_merge
Revises: the branch heads below
"""

from __future__ import annotations

revision = "0040_merge"
down_revision = (
    "0032_traveller_risk",
    "0033_parcel_screening",
    "0034_trade_statistics",
)
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
