"""Merge the domain branches added side by side (integrity, parties, security, cargo, parcels, IPR,
assistant, travellers) into one head.

Revision ID: 0030_merge
Revises: the branch heads below
"""

from __future__ import annotations

revision = "0030_merge"
down_revision = (
    "0010_integrity",
    "0011_parties",
    "0012_security",
    "0015_cargo",
    "0016_parcels",
    "0017_ipr",
    "0018_assistant",
    "0019_traveller",
)
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
