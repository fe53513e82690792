"""Trade statistics: the rollup also keeps quarters and years (``span`` 3 and 12), so a query over a year reads
one row per key instead of twelve; the index follows (dim, kind, span, month, key). Existing month rows get
span 1 and their quarters and years are built here from them.

Revision ID: 0046_sme
Revises: 0040_merge
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

from clearway.statistics.core import CELL_MEASURES, enclosing_periods
from clearway.statistics.refresh import period_insert

revision = "0046_sme"
down_revision = "0040_merge"
branch_labels = None
depends_on = None


def _rollup() -> sa.TableClause:
    return sa.table(
        "trade_stat_rollup",
        sa.column("kind", sa.String),
        sa.column("month", sa.Date),
        sa.column("span", sa.Integer),
        sa.column("dim", sa.String),
        sa.column("key", sa.String),
        sa.column("companies", sa.Integer),
        sa.column("company_a", sa.Integer),
        sa.column("company_b", sa.Integer),
        *(sa.column(m, sa.BigInteger) for m in CELL_MEASURES),
    )


def upgrade() -> None:
    with op.batch_alter_table("trade_stat_rollup") as batch:
        batch.add_column(sa.Column("span", sa.Integer(), server_default="1", nullable=False))
    op.drop_index("ix_trade_stat_rollup_dim", table_name="trade_stat_rollup")
    op.create_index(
        "ix_trade_stat_rollup_period", "trade_stat_rollup", ["dim", "kind", "span", "month", "key"]
    )
    op.create_index("ix_trade_stat_rollup_rebuild", "trade_stat_rollup", ["kind", "span", "month"])
    bind = op.get_bind()
    table = _rollup()
    months: dict[str, list[date]] = {}
    for kind, month in bind.execute(sa.select(table.c.kind, table.c.month).distinct()):
        months.setdefault(kind, []).append(month if isinstance(month, date) else date.fromisoformat(month))
    for kind, touched in sorted(months.items()):
        for span, start in enclosing_periods(touched):
            bind.execute(period_insert(table, kind, span, start))


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM trade_stat_rollup WHERE span <> 1"))
    op.drop_index("ix_trade_stat_rollup_rebuild", table_name="trade_stat_rollup")
    op.drop_index("ix_trade_stat_rollup_period", table_name="trade_stat_rollup")
    op.create_index("ix_trade_stat_rollup_dim", "trade_stat_rollup", ["dim", "kind", "month", "key"])
    with op.batch_alter_table("trade_stat_rollup") as batch:
        batch.drop_column("span")
