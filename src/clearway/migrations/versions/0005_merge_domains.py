"""Merge the domain branches (messaging, origin, tariff, risk) back into one line.

Revision ID: 0005_merge
Revises: 0002_messaging, 0002_origin, 0003_tariff, 0004_risk
"""

from __future__ import annotations

revision = "0005_merge"
down_revision = ("0002_messaging", "0002_origin", "0003_tariff", "0004_risk")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
