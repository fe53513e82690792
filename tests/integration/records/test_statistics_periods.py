"""The rollup's quarters and years give the same published answer as summing the cells themselves: the same
keys, the same suppression (fewer than 3 companies across the whole range), the same sums — for ranges that
are whole years, unaligned, a single month, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select

from clearway.db import bulk_insert
from clearway.identity.core import Principal, Role, scopes_for
from clearway.statistics import core, refresh, service
from clearway.statistics.models import TradeStatCell, TradeStatRollup
from clearway.uow import unit_of_work

FIRST = date(2025, 1, 1)
MONTHS = 18
READER = Principal(0, "analyst", Role.OFFICER, None, scopes_for(Role.OFFICER))


def _cells() -> list[dict[str, Any]]:
    rng = random.Random(46)
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for _ in range(600):
        month = core.add_months(FIRST, rng.randrange(MONTHS))
        hs10 = rng.choice(["8471300000", "8471500000", "8517130000", "6403990000", "2106909099"])
        company = rng.choice([1, 2, 3, 4, 5] if hs10.startswith("8471") else [1, 2])
        key = (month, "import", hs10, rng.choice(["CN", "DE"]), "020", "sea", company)
        row = rows.setdefault(
            key, dict(zip(core.CELL_KEYS, key, strict=True)) | dict.fromkeys(core.CELL_MEASURES, 0)
        )
        row["declarations"] += 1
        row["lines"] += 1
        row["value_krw"] += rng.randint(1_000, 9_000_000)
        row["green"] += 1
    return list(rows.values())


def _published(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {r["key"]: (r["suppressed"], r.get("value_krw"), r.get("declarations")) for r in rows}


def test_periods_answer_as_the_cells_do(runtime) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(runtime.sessions) as session:
        session.execute(delete(TradeStatRollup))
        session.execute(delete(TradeStatCell))
        bulk_insert(session, TradeStatCell.__table__, _cells())
        refresh.rebuild_rollup(session, [("import", core.add_months(FIRST, i)) for i in range(MONTHS)])
    with runtime.sessions() as session:
        spans = dict(
            session.execute(select(TradeStatRollup.span, func.count()).group_by(TradeStatRollup.span)).all()
        )
        assert set(spans) == {1, 3, 12}  # months, quarters and years were built
        for first, last in (
            (None, None),
            (date(2025, 1, 1), date(2025, 12, 1)),
            (date(2025, 2, 1), date(2026, 5, 1)),
            (date(2025, 11, 1), date(2025, 11, 1)),
        ):
            for group, hs in (("hs10", None), ("hs4", None), ("hs6", "8471")):
                q = service.Query(group=group, hs=hs, month_from=first, month_to=last)
                via_periods = service.all_rows(session, READER, q)
                cells = session.execute(service._grouped(q, None)).all()
                via_cells = [service._row(r, "published") for r in cells]
                assert _published(via_periods) == _published(via_cells), (group, first, last)
                assert [r["key"] for r in via_periods] == [r["key"] for r in via_cells]  # same order
    # changed months rebuild their quarter and year: figures stay equal after a change
    with unit_of_work(runtime.sessions) as session:
        changed = [core.add_months(FIRST, i) for i in range(0, MONTHS, 2)]
        session.execute(
            delete(TradeStatCell).where(TradeStatCell.company_id == 5, TradeStatCell.month.in_(changed))
        )
        refresh.rebuild_rollup(session, [("import", month) for month in changed])
    with runtime.sessions() as session:
        q = service.Query(group="hs10", month_from=date(2025, 1, 1), month_to=date(2025, 12, 1))
        cells = [service._row(r, "published") for r in session.execute(service._grouped(q, None)).all()]
        assert _published(service.all_rows(session, READER, q)) == _published(cells)
