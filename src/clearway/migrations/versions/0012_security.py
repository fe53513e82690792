"""Security hardening: the keyed audit chain (scheme per event, MAC on the head) and, on PostgreSQL, an audit
table the application's database role may only append to.

The role the application connects as is named at migration time in ``CLEARWAY_DB_APP_ROLE`` (run migrations
as the owner, serve as that role). Without it, UPDATE/DELETE/TRUNCATE are revoked from PUBLIC only. See
docs/security.md.

Revision ID: 0012_security
Revises: 0007_arrival_date
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import op

from clearway.audit.protection import protect_statements, unprotect_statements

revision = "0012_security"
down_revision = "0007_arrival_date"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_event") as batch:
        batch.add_column(sa.Column("scheme", sa.String(length=20), server_default="sha256", nullable=False))
    with op.batch_alter_table("audit_chain_head") as batch:
        batch.add_column(sa.Column("mac", sa.String(length=64), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        for statement in protect_statements(os.environ.get("CLEARWAY_DB_APP_ROLE")):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in unprotect_statements(os.environ.get("CLEARWAY_DB_APP_ROLE")):
            op.execute(statement)
    with op.batch_alter_table("audit_chain_head") as batch:
        batch.drop_column("mac")
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_column("scheme")
