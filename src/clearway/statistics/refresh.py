"""Trade statistics, shell: the incremental refresh job that keeps the materialised cells and the summary table
up to date (only declarations changed since the last run are read)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import Session

from clearway.declaration.models import Declaration, DeclarationVersion, InspectionResult
from clearway.reference.codes import agreements
from clearway.statistics import core
from clearway.statistics.core import CELL_KEYS, CELL_MEASURES, FTA_KEYS, FTA_MEASURES
from clearway.statistics.models import (
    ROLLUP_DIMS,
    TradeStatCell,
    TradeStatFta,
    TradeStatRollup,
    TradeStatSource,
    TradeStatState,
)
from clearway.tariff.models import TariffExchangeRate

# A transaction that committed after the last refresh may carry an earlier updated_at: look back this far and
# let the unchanged-state check skip what was already counted.
OVERLAP = timedelta(minutes=10)
CHUNK = 2000


@dataclass(frozen=True, slots=True)
class RefreshResult:
    examined: int
    changed: int
    cells_touched: int
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "examined": self.examined,
            "changed": self.changed,
            "cells_touched": self.cells_touched,
        }


# ---- refresh ----------------------------------------------------------------------------------------------
def _granted(line: dict[str, Any] | None) -> bool:
    for candidate in ((line or {}).get("rates") or {}).get("candidates", []):
        if candidate.get("status") == "applied" and str(candidate.get("legal_basis", "")).startswith("FTA"):
            return True
    return False


def _dec(value: Any) -> Decimal:
    return Decimal(str(value).replace(",", "")) if value not in (None, "") else Decimal(0)


def source_of(declaration: Declaration, version: DeclarationVersion, hit: bool) -> core.Source:
    content = version.content or {}
    assessed = {line.get("line_number"): line for line in (version.assessment or {}).get("lines", [])}
    buyer_country = ((content.get("buyer") or {}).get("country")) or "ZZ"
    items = []
    for item in content.get("items", []):
        line = assessed.get(item.get("line_number")) or {}
        preference = item.get("preference") or {}
        customs_value = line.get("customs_value_krw")
        items.append(
            core.Item(
                commodity_code=str(item.get("commodity_code")),
                country=str(item.get("origin_country")) if declaration.kind == "import" else buyer_country,
                quantity=_dec(item.get("quantity")),
                net_mass_kg=_dec(item.get("net_mass_kg")),
                invoice_amount=_dec(item.get("invoice_amount")),
                currency=str(item.get("currency")),
                customs_value_krw=_dec(customs_value) if customs_value not in (None, "") else None,
                duty_krw=_dec(line.get("duty_krw")),
                taxes_krw=_dec(line.get("taxes_krw")),
                claimed=preference.get("agreement"),
                granted=_granted(line),
            )
        )
    consignment = content.get("consignment") or {}
    return core.Source(
        declaration_id=declaration.id,
        version=declaration.current_version,
        kind=declaration.kind,
        status=declaration.status,
        lane=declaration.lane,
        company_id=declaration.party_company_id or declaration.filer_company_id,
        filed_on=declaration.filed_on,
        office=declaration.customs_office,
        mode=str(consignment.get("transport_mode") or "other"),
        checked=declaration.lane in core.CHECK_LANES,
        hit=hit,
        items=tuple(items),
    )


class _Rates:
    """The customs exchange rates of the filing week, all loaded once per refresh (a few rows a week)."""

    def __init__(self, session: Session) -> None:
        self.rows = [
            (r.valid_from, r.valid_to, r.currency, r.rate_krw / r.per)
            for r in session.scalars(select(TariffExchangeRate))
        ]
        self.by_day: dict[date, dict[str, Decimal]] = {}

    def on(self, day: date) -> dict[str, Decimal]:
        if day not in self.by_day:
            self.by_day[day] = {c: rate for start, end, c, rate in self.rows if start <= day <= end}
        return self.by_day[day]


def refresh(session: Session, *, now: datetime) -> RefreshResult:
    """Apply the declarations changed since the last refresh to the cells (one transaction: the caller's)."""
    state = session.get(TradeStatState, 1, with_for_update=True)
    if state is None:
        state = TradeStatState(id=1, watermark=None, refreshed_at=None, sources=0)
        session.add(state)
        session.flush()
    since = state.watermark - OVERLAP if state.watermark else None
    query = select(Declaration).order_by(Declaration.updated_at, Declaration.id)
    if since is not None:
        query = query.where(Declaration.updated_at >= since)
    rates = _Rates(session)
    pacts = list(agreements().values())
    examined = changed = touched = 0
    months: set[tuple[str, date]] = set()
    newest = state.watermark
    declarations = list(session.scalars(query))
    for start in range(0, len(declarations), CHUNK):
        chunk = declarations[start : start + CHUNK]
        ids = [d.id for d in chunk]
        examined += len(chunk)
        versions = {
            v.declaration_id: v
            for v in session.scalars(
                select(DeclarationVersion).where(
                    DeclarationVersion.declaration_id.in_(ids),
                    tuple_(DeclarationVersion.declaration_id, DeclarationVersion.version).in_(
                        [(d.id, d.current_version) for d in chunk]
                    ),
                )
            )
        }
        hits = set(
            session.scalars(
                select(InspectionResult.declaration_id).where(
                    InspectionResult.declaration_id.in_(ids), InspectionResult.finding == "irregularity"
                )
            )
        )
        sources = {
            s.declaration_id: s
            for s in session.scalars(select(TradeStatSource).where(TradeStatSource.declaration_id.in_(ids)))
        }
        cell_delta: dict[str, list[int]] = {}
        fta_delta: dict[str, list[int]] = {}
        for d in chunk:
            newest = d.updated_at if newest is None or d.updated_at > newest else newest
            version = versions.get(d.id)
            if version is None:
                continue
            source = source_of(d, version, d.id in hits)
            state_hash = core.state_of(source)
            old = sources.get(d.id)
            if old is not None and old.state == state_hash:
                continue
            new = core.contribution(source, rates.on(d.filed_on), pacts)
            if old is None and not new["cells"] and not new["fta"]:
                continue  # not counted, and never was
            changed += 1
            before = old.contribution if old is not None else {"cells": {}, "fta": {}}
            _accumulate(cell_delta, core.delta(before["cells"], new["cells"]))
            _accumulate(fta_delta, core.delta(before["fta"], new["fta"]))
            if not new["cells"] and not new["fta"]:
                if old is not None:  # no longer counted (not accepted): nothing to remember
                    session.delete(old)
            elif old is None:
                session.add(TradeStatSource(declaration_id=d.id, state=state_hash, contribution=new))
            else:
                old.state, old.contribution = state_hash, new
        months |= {(kind, month) for month, kind, *_ in map(core.parse_cell_key, cell_delta)}
        touched += _apply(session, TradeStatCell, CELL_KEYS, CELL_MEASURES, cell_delta, core.parse_cell_key)
        _apply(session, TradeStatFta, FTA_KEYS, FTA_MEASURES, fta_delta, core.parse_fta_key)
        session.flush()
    rebuild_rollup(session, sorted(months))
    state.watermark = newest
    state.refreshed_at = now
    state.sources = session.scalar(select(func.count()).select_from(TradeStatSource)) or 0
    session.flush()
    return RefreshResult(examined, changed, touched)


def _accumulate(total: dict[str, list[int]], more: dict[str, list[int]]) -> None:
    for key, values in more.items():
        row = total.setdefault(key, [0] * len(values))
        for i, v in enumerate(values):
            row[i] += v


def _apply(
    session: Session,
    model: type[TradeStatCell] | type[TradeStatFta],
    keys: Sequence[str],
    measures: Sequence[str],
    deltas: dict[str, list[int]],
    parse: Any,
) -> int:
    if not deltas:
        return 0
    parsed = {key: parse(key) for key in deltas}
    columns = [getattr(model, k) for k in keys]
    existing: dict[tuple[Any, ...], Any] = {}
    wanted = list(parsed.values())
    for start in range(0, len(wanted), 500):
        for found in session.scalars(select(model).where(tuple_(*columns).in_(wanted[start : start + 500]))):
            existing[tuple(getattr(found, k) for k in keys)] = found
    empty = []
    for key, values in deltas.items():
        ident = parsed[key]
        row: Any = existing.get(ident)
        if row is None:
            row = model(**dict(zip(keys, ident, strict=True)), **dict.fromkeys(measures, 0))
            session.add(row)
            existing[ident] = row
        for name, value in zip(measures, values, strict=True):
            setattr(row, name, getattr(row, name) + value)
        if all(getattr(row, name) == 0 for name in measures):
            empty.append(row)
    session.flush()
    for row in empty:
        session.delete(row)
    return len(deltas)


def _cell_key(dim: str) -> Any:
    if dim.startswith("hs"):
        return func.substr(TradeStatCell.hs10, 1, int(dim[2:]))
    return {"country": TradeStatCell.country, "office": TradeStatCell.office, "mode": TradeStatCell.mode}[dim]


def rebuild_rollup(session: Session, months: Sequence[tuple[str, date]]) -> None:
    """Recompute the rollup rows of each (kind, month) from its cells, in the database (INSERT … SELECT), then
    the quarter and year rows holding those months from the month rows."""
    columns = ["kind", "month", "span", "dim", "key", "companies", "company_a", "company_b", *CELL_MEASURES]
    for kind, month in months:
        session.execute(
            delete(TradeStatRollup).where(
                TradeStatRollup.kind == kind, TradeStatRollup.span == 1, TradeStatRollup.month == month
            )
        )
        for dim in ROLLUP_DIMS:
            key = _cell_key(dim).label("key")
            inner = (
                select(
                    key,
                    TradeStatCell.company_id,
                    *(func.sum(getattr(TradeStatCell, m)).label(m) for m in CELL_MEASURES),
                )
                .where(TradeStatCell.kind == kind, TradeStatCell.month == month)
                .group_by(key, TradeStatCell.company_id)
                .subquery()
            )
            outer = select(
                literal(kind),
                literal(month),
                literal(1),
                literal(dim),
                inner.c.key,
                func.count(),
                func.min(inner.c.company_id),
                func.max(inner.c.company_id),
                *(func.sum(inner.c[m]) for m in CELL_MEASURES),
            ).group_by(inner.c.key)
            session.execute(insert(TradeStatRollup).from_select(columns, outer))
    by_kind: dict[str, list[date]] = {}
    for kind, month in months:
        by_kind.setdefault(kind, []).append(month)
    for kind, touched in sorted(by_kind.items()):
        for span, start in core.enclosing_periods(touched):
            session.execute(
                delete(TradeStatRollup).where(
                    TradeStatRollup.kind == kind, TradeStatRollup.span == span, TradeStatRollup.month == start
                )
            )
            session.execute(period_insert(TradeStatRollup.__table__, kind, span, start))
    session.flush()


def period_insert(table: Any, kind: str, span: int, start: date) -> Any:
    """INSERT … SELECT of the rows of one quarter or year (``span`` months from ``start``), every dimension,
    from the month rows (a quarter) or the quarter rows (a year: rebuild its quarters first) of ``table`` (the
    rollup table; the migration passes its own description of it).

    Sums add up. The company count stays exact where the confidentiality rule needs it: when some month has at
    least 3 companies the period has too (the largest month count is shown, as for a query across months);
    otherwise every month's companies are its ``company_a``/``company_b`` and the period's are their union. A
    period row of fewer than 3 companies keeps them the same way, so a year is exact from its quarters."""
    r = table.c
    end = core.add_months(start, span - 1)
    # a year from its four quarters (rebuilt first), a quarter from its months
    source = 3 if span == 12 else 1
    where = [r.kind == kind, r.span == source, r.month >= start, r.month <= end]
    few = [*where, r.companies < core.MIN_COMPANIES]
    members = union_all(
        select(r.dim, r.key, r.company_a.label("c")).where(*few),
        select(r.dim, r.key, r.company_b.label("c")).where(*where, r.companies == 2),
    ).subquery()
    pairs = select(members.c.dim, members.c.key, members.c.c).group_by(*members.c).subquery()
    union = (
        select(pairs.c.dim, pairs.c.key, func.count().label("n"))
        .group_by(pairs.c.dim, pairs.c.key)
        .subquery()
    )
    agg = (
        select(
            r.dim,
            r.key,
            func.max(r.companies).label("most"),
            func.min(r.company_a).label("a"),
            func.max(r.company_b).label("b"),
            *(func.sum(r[m]).label(m) for m in CELL_MEASURES),
        )
        .where(*where)
        .group_by(r.dim, r.key)
        .subquery()
    )
    n = func.coalesce(union.c.n, 0)
    rows = select(
        literal(kind),
        literal(start),
        literal(span),
        agg.c.dim,
        agg.c.key,
        case((agg.c.most >= n, agg.c.most), else_=n),
        agg.c.a,
        agg.c.b,
        *(agg.c[m] for m in CELL_MEASURES),
    ).select_from(agg.outerjoin(union, and_(union.c.dim == agg.c.dim, union.c.key == agg.c.key)))
    columns = ["kind", "month", "span", "dim", "key", "companies", "company_a", "company_b", *CELL_MEASURES]
    return insert(table).from_select(columns, rows)


def status(session: Session) -> dict[str, Any]:
    state = session.get(TradeStatState, 1)
    return {
        "refreshed_at": state.refreshed_at.isoformat() if state and state.refreshed_at else None,
        "declarations_counted": state.sources if state else 0,
        "rule": f"cells of fewer than {core.MIN_COMPANIES} companies are suppressed in published figures",
    }
