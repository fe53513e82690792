"""Trade statistics, shell: the queries over the materialised cells (filters, paging, suppression, exports).

The job that fills the cells is :mod:`clearway.statistics.refresh`."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    func,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from clearway.errors import FieldError, Forbidden, ValidationFailed
from clearway.identity.core import Principal, Scope
from clearway.reference.codes import agreements
from clearway.statistics import core
from clearway.statistics.core import CELL_MEASURES, FTA_MEASURES
from clearway.statistics.models import (
    TradeStatCell,
    TradeStatFta,
    TradeStatRollup,
)

MAX_EXPORT_ROWS = 100_000


# ---- queries ----------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Query:
    kind: str = "import"
    group: str = "hs2"
    month_from: date | None = None
    month_to: date | None = None
    hs: str | None = None
    country: str | None = None
    office: str | None = None
    mode: str | None = None
    view: str = "published"  # published | own | all


def parse_month(text: str | None, field: str) -> date | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(f"{text.strip()}-01") if len(text.strip()) == 7 else date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            "a month is written YYYY-MM", errors=[FieldError(f"/{field}", "bad_month", "YYYY-MM")]
        ) from None
    return day.replace(day=1)


def _check(q: Query, principal: Principal) -> int | None:
    """The company whose figures only are shown (``own``), or None; refuses what the principal may not see."""
    principal.require_scope(Scope.DECLARATIONS_READ)
    errors = []
    if q.kind not in ("import", "export"):
        errors.append(FieldError("/kind", "bad_kind", "import or export"))
    if q.group not in core.GROUPS:
        errors.append(FieldError("/group", "bad_group", "one of " + ", ".join(core.GROUPS)))
    if q.view not in ("published", "own", "all"):
        errors.append(FieldError("/view", "bad_view", "published, own or all"))
    if q.hs is not None and not (q.hs.isdigit() and 1 <= len(q.hs) <= 10):
        errors.append(FieldError("/hs", "bad_hs", "1 to 10 digits"))
    if errors:
        raise ValidationFailed("the statistics query is not valid", errors=errors)
    if q.view == "all" and not principal.is_customs:
        raise Forbidden("unsuppressed figures of every company are for customs")
    if q.view == "own":
        if principal.company_id is None or principal.is_customs:
            raise Forbidden("own figures are for a company's account")
        return principal.company_id
    return None


def _key(group: str) -> Any:
    if group.startswith("hs"):
        return func.substr(TradeStatCell.hs10, 1, int(group[2:]))
    return {
        "country": TradeStatCell.country,
        "office": TradeStatCell.office,
        "mode": TradeStatCell.mode,
        "month": TradeStatCell.month,
    }[group]


def _filters(q: Query, company: int | None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [TradeStatCell.kind == q.kind]
    if q.month_from:
        where.append(TradeStatCell.month >= q.month_from)
    if q.month_to:
        where.append(TradeStatCell.month <= q.month_to)
    if q.hs:
        if len(q.hs) == 10:
            where.append(TradeStatCell.hs10 == q.hs)
        else:
            where.append(TradeStatCell.hs10.like(f"{q.hs}%"))
    if q.country:
        where.append(TradeStatCell.country == q.country.upper())
    if q.office:
        where.append(TradeStatCell.office == q.office)
    if q.mode:
        where.append(TradeStatCell.mode == q.mode)
    if company is not None:
        where.append(TradeStatCell.company_id == company)
    return where


def _grouped(q: Query, company: int | None) -> Select[Any]:
    key = _key(q.group).label("key")
    inner = (
        select(
            key,
            TradeStatCell.company_id,
            *(func.sum(getattr(TradeStatCell, m)).label(m) for m in CELL_MEASURES),
        )
        .where(and_(*_filters(q, company)))
        .group_by(key, TradeStatCell.company_id)
        .subquery()
    )
    companies = func.count().label("companies")
    outer = select(
        inner.c.key,
        companies,
        *(func.sum(inner.c[m]).label(m) for m in CELL_MEASURES),
        func.count().over().label("groups"),
    ).group_by(inner.c.key)
    hidden = (companies < core.MIN_COMPANIES) if q.view == "published" else literal_column("0") == 1
    return outer.order_by(case((hidden, 1), else_=0), func.sum(inner.c.value_krw).desc(), inner.c.key)


def _row(r: Any, view: str) -> dict[str, Any]:
    key = r.key.isoformat()[:7] if isinstance(r.key, date) else str(r.key)
    out: dict[str, Any] = {"key": key, "companies": int(r.companies)}
    if view == "published" and core.suppressed(int(r.companies)):
        out["suppressed"] = True
        return out
    out.update(
        suppressed=False,
        declarations=int(r.declarations),
        lines=int(r.lines),
        value_krw=str(int(r.value_krw)),
        value_usd=str(Decimal(int(r.value_usd_cents)) / 100),
        quantity=f"{core.from_scaled(int(r.quantity_e4)):f}",
        net_mass_kg=f"{core.from_scaled(int(r.net_mass_e4)):f}",
        duty_krw=str(int(r.duty_krw)),
        taxes_krw=str(int(r.taxes_krw)),
        lanes={"green": int(r.green), "blue": int(r.blue), "yellow": int(r.yellow), "red": int(r.red)},
        checked=int(r.checked),
        hits=int(r.hits),
        hit_rate=core.rate(int(r.hits), int(r.checked)),
    )
    return out


def _rollup_serves(q: Query, company: int | None) -> bool:
    """A query without a company and without a filter across dimensions reads the rollup."""
    if company is not None or q.country or q.office or q.mode:
        return False
    return q.hs is None or (q.group.startswith("hs") and int(q.group[2:]) >= len(q.hs))


def _tiles(session: Session, q: Query, dim: str) -> list[tuple[int, date]]:
    """The rollup periods tiling the query's months: whole years, then quarters, then months."""
    r = TradeStatRollup
    first, last = q.month_from, q.month_to
    if first is None or last is None:
        low, high = session.execute(
            select(func.min(r.month), func.max(r.month)).where(r.dim == dim, r.kind == q.kind, r.span == 1)
        ).one()
        if low is None:
            return []
        first, last = first or low, last or high
    return core.periods(first, last)


def _rolled(session: Session, q: Query) -> Select[Any]:
    r = TradeStatRollup
    dim = "mode" if q.group == "month" else q.group
    key = (r.month if q.group == "month" else r.key).label("key")
    where: list[ColumnElement[bool]] = [r.dim == dim, r.kind == q.kind]
    tiles: list[tuple[int, date]] = []
    if q.group == "month":
        where.append(r.span == 1)
        if q.month_from:
            where.append(r.month >= q.month_from)
        if q.month_to:
            where.append(r.month <= q.month_to)
    else:
        tiles = _tiles(session, q, dim)
        by_span: dict[int, list[date]] = {}
        for span, start in tiles:
            by_span.setdefault(span, []).append(start)
        where.append(
            or_(*(and_(r.span == span, r.month.in_(starts)) for span, starts in sorted(by_span.items())))
            if by_span
            else literal_column("0") == 1
        )
    if q.hs:
        where.append(r.key.like(f"{q.hs}%"))
    if len(tiles) == 1:  # one year, quarter or month: its rows are the answer, nothing to add up
        hidden_one = (r.companies < core.MIN_COMPANIES) if q.view == "published" else literal_column("0") == 1
        return (
            select(
                key,
                r.companies.label("companies"),
                *(getattr(r, m).label(m) for m in CELL_MEASURES),
                func.count().over().label("groups"),
            )
            .where(*where)
            .order_by(case((hidden_one, 1), else_=0), r.value_krw.desc(), r.key)
        )
    few = [*where, r.companies < core.MIN_COMPANIES]
    # a row of one company has company_a == company_b: only rows of two companies add their company_b
    members = union_all(
        select(key, r.company_a.label("c")).where(*few),
        select(key, r.company_b.label("c")).where(*where, r.companies == 2),
    ).subquery()
    pairs = (
        select(members.c.key, members.c.c).group_by(members.c.key, members.c.c).subquery()
    )  # hashed, no sort
    union = select(pairs.c.key, func.count().label("n")).group_by(pairs.c.key).subquery()
    sums = select(
        key, func.max(r.companies).label("most"), *(func.sum(getattr(r, m)).label(m) for m in CELL_MEASURES)
    )
    agg = sums.where(*where).group_by(key).subquery()
    n = func.coalesce(union.c.n, 0)
    companies = case((agg.c.most >= n, agg.c.most), else_=n).label("companies")
    hidden = (companies < core.MIN_COMPANIES) if q.view == "published" else literal_column("0") == 1
    return (
        select(agg.c.key, companies, *(agg.c[m] for m in CELL_MEASURES), func.count().over().label("groups"))
        .select_from(agg.outerjoin(union, union.c.key == agg.c.key))
        .order_by(case((hidden, 1), else_=0), agg.c.value_krw.desc(), agg.c.key)
    )


def _statement(session: Session, q: Query, company: int | None) -> Select[Any]:
    return _rolled(session, q) if _rollup_serves(q, company) else _grouped(q, company)


def query(
    session: Session, principal: Principal, q: Query, *, page: int = 1, page_size: int = 50
) -> dict[str, Any]:
    company = _check(q, principal)
    rows = session.execute(
        _statement(session, q, company).limit(page_size).offset((page - 1) * page_size)
    ).all()
    total = int(rows[0].groups) if rows else _count(session, q, company)
    return {
        "kind": q.kind,
        "group": q.group,
        "view": q.view,
        "page": page,
        "page_size": page_size,
        "total": total,
        "rule": f"published cells of fewer than {core.MIN_COMPANIES} companies are suppressed",
        "items": [_row(r, q.view) for r in rows],
    }


def _count(session: Session, q: Query, company: int | None) -> int:
    return int(
        session.scalar(select(func.count()).select_from(_statement(session, q, company).subquery())) or 0
    )


def all_rows(session: Session, principal: Principal, q: Query) -> list[dict[str, Any]]:
    company = _check(q, principal)
    rows = session.execute(_statement(session, q, company).limit(MAX_EXPORT_ROWS)).all()
    return [_row(r, q.view) for r in rows]


EXPORT_COLUMNS = (
    "key",
    "companies",
    "suppressed",
    "declarations",
    "lines",
    "value_krw",
    "value_usd",
    "quantity",
    "net_mass_kg",
    "duty_krw",
    "taxes_krw",
    "green",
    "blue",
    "yellow",
    "red",
    "checked",
    "hits",
)


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    flat = {k: row.get(k) for k in EXPORT_COLUMNS}
    for lane in ("green", "blue", "yellow", "red"):
        flat[lane] = (row.get("lanes") or {}).get(lane)
    return flat


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in _flat(row).items()})
    return buffer.getvalue().encode("utf-8")


def to_parquet(rows: list[dict[str, Any]]) -> bytes:
    """Apache Parquet via pyarrow; money and quantities as decimal128 (exact), counts as int64."""
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    flat = [_flat(r) for r in rows]
    money = pa.decimal128(24, 4)

    def dec(name: str) -> pa.Array:
        return pa.array([Decimal(r[name]) if r[name] is not None else None for r in flat], type=money)

    def num(name: str) -> pa.Array:
        return pa.array([r[name] for r in flat], type=pa.int64())

    table = pa.table(
        {
            "key": pa.array([r["key"] for r in flat], type=pa.string()),
            "companies": num("companies"),
            "suppressed": pa.array([bool(r["suppressed"]) for r in flat], type=pa.bool_()),
            "declarations": num("declarations"),
            "lines": num("lines"),
            **{
                name: dec(name)
                for name in ("value_krw", "value_usd", "quantity", "net_mass_kg", "duty_krw", "taxes_krw")
            },
            **{name: num(name) for name in ("green", "blue", "yellow", "red", "checked", "hits")},
        }
    )
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def fta_utilisation(
    session: Session, principal: Principal, *, month_from: date | None, month_to: date | None, view: str
) -> dict[str, Any]:
    """Per agreement: eligible imports (origin a partner, agreement in force), the share claimed, the share
    granted (an FTA rate applied after verification)."""
    company = _check(Query(view=view), principal)
    where: list[ColumnElement[bool]] = []
    if month_from:
        where.append(TradeStatFta.month >= month_from)
    if month_to:
        where.append(TradeStatFta.month <= month_to)
    if company is not None:
        where.append(TradeStatFta.company_id == company)
    sums = [func.sum(getattr(TradeStatFta, m)).label(m) for m in FTA_MEASURES]
    rows = session.execute(
        select(
            TradeStatFta.agreement,
            func.count(func.distinct(TradeStatFta.company_id)).label("companies"),
            *sums,
        )
        .where(*where)
        .group_by(TradeStatFta.agreement)
        .order_by(TradeStatFta.agreement)
    ).all()
    names = agreements()
    items = []
    for r in rows:
        item: dict[str, Any] = {
            "agreement": r.agreement,
            "name": names[r.agreement].name if r.agreement in names else r.agreement,
            "companies": int(r.companies),
        }
        if view == "published" and core.suppressed(int(r.companies)):
            item["suppressed"] = True
        else:
            item.update(
                suppressed=False,
                eligible_lines=int(r.eligible_lines),
                eligible_value_krw=str(int(r.eligible_value_krw)),
                claimed_lines=int(r.claimed_lines),
                claimed_value_krw=str(int(r.claimed_value_krw)),
                granted_value_krw=str(int(r.granted_value_krw)),
                utilisation_rate=core.rate(int(r.claimed_value_krw), int(r.eligible_value_krw)),
                granted_rate=core.rate(int(r.granted_value_krw), int(r.eligible_value_krw)),
            )
        items.append(item)
    return {"view": view, "items": items, "rule": "utilisation = claimed value ÷ eligible value"}
