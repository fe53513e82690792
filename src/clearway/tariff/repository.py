"""All tariff queries. Flushes, never commits. Rows in, tariff values out (and back)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from clearway.tariff.exchange import ExchangeRate
from clearway.tariff.internal_tax import InternalTaxRule
from clearway.tariff.measures import DutyExpression, Measure
from clearway.tariff.models import (
    TariffExchangeRate,
    TariffInternalTaxRule,
    TariffMeasure,
    TariffParameter,
    TariffSource,
)
from clearway.tariff.parameters import Parameter, decode_value, encode_value

CHUNK = 5000


# ---- sources -------------------------------------------------------------------------------------------
def add_source(
    session: Session,
    *,
    kind: str,
    label: str,
    country: str,
    rows: int,
    demo: bool,
    now: datetime,
    file_name: str | None = None,
    sha256: str | None = None,
    attribution: str | None = None,
    report: dict[str, Any] | None = None,
    loaded_by: str | None = None,
) -> TariffSource:
    source = TariffSource(
        kind=kind,
        label=label,
        country=country,
        file_name=file_name,
        sha256=sha256,
        rows=rows,
        demo=demo,
        attribution=attribution,
        report=report,
        loaded_by=loaded_by,
        loaded_at=now,
    )
    session.add(source)
    session.flush()
    return source


def sources(session: Session, kinds: Iterable[str] | None = None) -> list[TariffSource]:
    query = select(TariffSource).order_by(TariffSource.id)
    if kinds is not None:
        query = query.where(TariffSource.kind.in_(list(kinds)))
    return list(session.scalars(query))


def delete_sources(session: Session, kinds: Iterable[str]) -> int:
    """Remove earlier loads of these kinds and everything they loaded (reloading is then idempotent)."""
    ids = [s.id for s in sources(session, kinds)]
    if not ids:
        return 0
    for table in (TariffMeasure, TariffInternalTaxRule, TariffExchangeRate, TariffParameter):
        session.execute(delete(table).where(table.source_id.in_(ids)))
    session.execute(delete(TariffSource).where(TariffSource.id.in_(ids)))
    session.flush()
    return len(ids)


def counts(session: Session) -> dict[str, int]:
    return {
        "measures": session.scalar(select(func.count()).select_from(TariffMeasure)) or 0,
        "codes": session.scalar(select(func.count(func.distinct(TariffMeasure.commodity_code)))) or 0,
        "internal_tax_rules": session.scalar(select(func.count()).select_from(TariffInternalTaxRule)) or 0,
        "exchange_rates": session.scalar(select(func.count()).select_from(TariffExchangeRate)) or 0,
        "parameters": session.scalar(select(func.count()).select_from(TariffParameter)) or 0,
    }


# ---- measures ------------------------------------------------------------------------------------------
def _measure_row(m: Measure, source_id: int, country: str) -> dict[str, Any]:
    return {
        "source_id": source_id,
        "country": country,
        "commodity_code": m.commodity_code,
        "rate_code": m.rate_code,
        "geo_area": m.geo_area,
        "excluded": sorted(m.excluded) or None,
        "expression": m.expression.as_dict(),
        "valid_from": m.valid_from,
        "valid_to": m.valid_to,
        "reference_price": m.reference_price,
        "country_type": m.country_type,
        "use_type": m.use_type,
        "order_number": m.order_number,
        "additional_code": m.additional_code,
        "conditional": m.conditional,
        "demo": m.demo,
        "sid": m.sid,
        "description": m.description,
    }


def insert_measures(session: Session, source: TariffSource, measures: Sequence[Measure]) -> int:
    for start in range(0, len(measures), CHUNK):
        chunk = measures[start : start + CHUNK]
        session.execute(insert(TariffMeasure), [_measure_row(m, source.id, source.country) for m in chunk])
    session.flush()
    return len(measures)


def _measure(row: Any, label: str) -> Measure:
    return Measure(
        commodity_code=row.commodity_code,
        rate_code=row.rate_code,
        expression=DutyExpression.from_dict(row.expression),
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        geo_area=row.geo_area,
        excluded=frozenset(row.excluded or ()),
        reference_price=row.reference_price,
        country_type=row.country_type,
        use_type=row.use_type,
        order_number=row.order_number,
        additional_code=row.additional_code,
        conditional=row.conditional,
        source=label,
        demo=row.demo,
        sid=row.sid,
        description=row.description,
    )


def measures_for(session: Session, codes: Iterable[str], country: str = "KR") -> dict[str, list[Measure]]:
    """Every measure (all dates) of these codes, by code; codes with none map to an empty list."""
    wanted = sorted(set(codes))
    found: dict[str, list[Measure]] = {c: [] for c in wanted}
    if not wanted:
        return found
    query = (
        select(TariffMeasure.__table__, TariffSource.label)
        .join(TariffSource, TariffSource.id == TariffMeasure.source_id)
        .where(TariffMeasure.commodity_code.in_(wanted), TariffMeasure.country == country)
        .order_by(TariffMeasure.commodity_code, TariffMeasure.valid_from, TariffMeasure.id)
    )
    for row in session.execute(query):
        found[row.commodity_code].append(_measure(row, row.label))
    return found


# ---- exchange rates ------------------------------------------------------------------------------------
def replace_exchange_rates(session: Session, source: TariffSource, rates: Sequence[ExchangeRate]) -> int:
    """Store the rates; a rate for the same currency and week replaces the earlier one."""
    for start in range(0, len(rates), CHUNK):
        chunk = rates[start : start + CHUNK]
        for currency in {r.currency for r in chunk}:
            weeks = [r.valid_from for r in chunk if r.currency == currency]
            session.execute(
                delete(TariffExchangeRate).where(
                    TariffExchangeRate.currency == currency, TariffExchangeRate.valid_from.in_(weeks)
                )
            )
        session.execute(
            insert(TariffExchangeRate),
            [
                {
                    "source_id": source.id,
                    "currency": r.currency,
                    "rate_krw": r.rate_krw,
                    "per": r.per,
                    "valid_from": r.valid_from,
                    "valid_to": r.valid_to,
                    "demo": r.demo,
                }
                for r in chunk
            ],
        )
    session.flush()
    return len(rates)


def exchange_rates_on(session: Session, on: date) -> list[ExchangeRate]:
    query = (
        select(TariffExchangeRate.__table__, TariffSource.label)
        .join(TariffSource, TariffSource.id == TariffExchangeRate.source_id)
        .where(TariffExchangeRate.valid_from <= on, TariffExchangeRate.valid_to >= on)
    )
    return [
        ExchangeRate(r.currency, Decimal(r.rate_krw), r.valid_from, r.valid_to, r.per, r.label, r.demo)
        for r in session.execute(query)
    ]


# ---- internal-tax rules ---------------------------------------------------------------------------------
def insert_internal_tax_rules(
    session: Session, source: TariffSource, rules: Sequence[InternalTaxRule]
) -> int:
    if rules:
        session.execute(
            insert(TariffInternalTaxRule),
            [
                {
                    "source_id": source.id,
                    "country": r.country,
                    "rule_id": r.rule_id,
                    "tax": r.tax.value,
                    "valid_from": r.valid_from,
                    "valid_to": r.valid_to,
                    "status": r.status,
                    "data": r.as_dict(),
                }
                for r in rules
            ],
        )
    session.flush()
    return len(rules)


def internal_tax_rules(session: Session, country: str = "KR") -> list[InternalTaxRule]:
    rows = session.execute(
        select(TariffInternalTaxRule.data, TariffInternalTaxRule.valid_to)
        .where(TariffInternalTaxRule.country == country)
        .order_by(TariffInternalTaxRule.id)
    )
    out = []
    for data, valid_to in rows:
        rule = InternalTaxRule.from_dict({**data, "valid_to": valid_to.isoformat() if valid_to else None})
        out.append(rule)
    return out


def close_internal_tax_rule(session: Session, rule_id: str, before: date) -> None:
    """End the versions of a rule still open on ``before`` the day before it (a newer version follows).

    A version starting on or after ``before`` is retired (its end falls before its start: never in force)."""
    session.execute(
        update(TariffInternalTaxRule)
        .where(
            TariffInternalTaxRule.rule_id == rule_id,
            or_(TariffInternalTaxRule.valid_to.is_(None), TariffInternalTaxRule.valid_to >= before),
        )
        .values(valid_to=before - timedelta(days=1))
    )


# ---- parameters ----------------------------------------------------------------------------------------
def insert_parameters(session: Session, source: TariffSource, parameters: Sequence[Parameter]) -> int:
    if parameters:
        session.execute(
            insert(TariffParameter),
            [
                {
                    "source_id": source.id,
                    "country": p.country,
                    "key": p.key,
                    "value": encode_value(p.value),
                    "valid_from": p.valid_from,
                    "valid_to": p.valid_to,
                    "status": p.status,
                    "legal_basis": p.legal_basis,
                    "sources": list(p.sources),
                    "note": p.note,
                }
                for p in parameters
            ],
        )
    session.flush()
    return len(parameters)


def parameters(session: Session, country: str = "KR") -> list[Parameter]:
    rows = session.scalars(
        select(TariffParameter).where(TariffParameter.country == country).order_by(TariffParameter.id)
    )
    return [
        Parameter(
            r.key,
            decode_value(r.value),
            r.valid_from,
            r.status,
            r.legal_basis,
            tuple(r.sources or ()),
            r.note,
            r.valid_to,
            r.country,
        )
        for r in rows
    ]


def close_parameter(session: Session, key: str, before: date, country: str = "KR") -> None:
    session.execute(
        update(TariffParameter)
        .where(
            TariffParameter.key == key,
            TariffParameter.country == country,
            or_(TariffParameter.valid_to.is_(None), TariffParameter.valid_to >= before),
        )
        .values(valid_to=before - timedelta(days=1))
    )
