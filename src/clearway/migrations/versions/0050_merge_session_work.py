"""Merge the branches added side by side (bill holds, decision receipts, reliable messaging, declaration drafts,
statistics periods, guided classification) into one head.

Revision ID: 0050_merge
Revises: the branch heads below
"""

from __future__ import annotations

revision = "0050_merge"
down_revision = (
    "0041_bill_hold",
    "0042_decision_receipts",
    "0043_reliable_messaging",
    "0045_declaration_drafts",
    "0046_sme",
    "0047_guided_classification",
)
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
