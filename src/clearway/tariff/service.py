"""Tariff shell: load files and bundled data into the database, correct parameters, and build the snapshot
an assessment reads — cached per session, so a batch of declarations queries each code once.

Functions take the session and ``now``; they flush, never commit (the caller's unit of work commits).
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from clearway import caches as runtime_caches
from clearway.audit.service import Actor, record
from clearway.db import MEMO_PREFIX
from clearway.errors import FieldError, NotFound, ValidationFailed
from clearway.tariff import bundled, demo
from clearway.tariff import repository as repo
from clearway.tariff.exchange import ExchangeRate, ExchangeRateTable
from clearway.tariff.geography import UnknownArea
from clearway.tariff.internal_tax import InternalTaxIndex
from clearway.tariff.kcs_codes import bundled_rate_codes
from clearway.tariff.kcs_file import KcsLoadReport, KcsReader, spelling_of
from clearway.tariff.loaders import FileProblem, LoadReport, kcs_sheet, parse_exchange_rates, read_table
from clearway.tariff.measures import Measure, TariffIndex
from clearway.tariff.models import TariffGeneration
from clearway.tariff.nomenclature import Nomenclature, bundled_nomenclature
from clearway.tariff.parameters import STATUSES, Parameter, ParameterTable, decode_value
from clearway.tariff.priority import bundled_priority
from clearway.tariff.snapshot import TariffSnapshot

KCS_FILE = "kcs_rate_file"
FX_FILE = "exchange_rate_file"
BUNDLED_KINDS = ("bundled_quota", "bundled_reference", "bundled_parameters", "bundled_internal_taxes")
DEMO_KINDS = ("demo_rates", "demo_exchange_rates")
ADMIN = "admin_correction"
CACHE_KEY = MEMO_PREFIX + "tariff.cache"
GENERATION_KEY = MEMO_PREFIX + "tariff.generation"
SYSTEM = Actor("system")
MIN_COVERAGE = 0.9  # share of the nomenclature's codes a complete rate file gives a basic rate


class TariffLoadFailed(ValidationFailed):
    type = "tariff-load-failed"
    title = "The tariff file could not be loaded"


@dataclass
class LoadResult:
    source_id: int
    kind: str
    label: str
    report: LoadReport | KcsLoadReport

    def as_dict(self) -> dict[str, Any]:
        return {"source_id": self.source_id, "kind": self.kind, "label": self.label, **self.report.as_dict()}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _audit(
    session: Session, actor: Actor, action: str, subject: str | int, now: datetime, data: dict[str, Any]
) -> None:
    record(session, actor=actor, subject_type="tariff", subject_id=subject, action=action, at=now, data=data)


def _invalidate(session: Session, now: datetime) -> None:
    """The tariff tables changed in this transaction: drop this transaction's cache and give the tariff a new
    generation token, so every process re-reads it."""
    session.info.pop(CACHE_KEY, None)
    session.info.pop(GENERATION_KEY, None)
    row = session.get(TariffGeneration, 1, with_for_update=True)
    if row is None:
        row = TariffGeneration(id=1, token="", changed_at=now)
        session.add(row)
    row.token, row.changed_at = uuid.uuid4().hex, now
    session.flush()


# ---- loading files -------------------------------------------------------------------------------------
def load_kcs_file(
    session: Session,
    path: Path,
    *,
    now: datetime,
    actor: Actor = SYSTEM,
    label: str | None = None,
    default_unit: str = "KGM",
    replace: bool = True,
    sheet: str | None = None,
    partial: bool = False,
) -> LoadResult:
    """Load the official KCS rate file (data.go.kr 15051179). By default it replaces earlier KCS loads.

    The rows are streamed into the session in chunks (memory stays flat however long the file). Everything
    happens in the caller's transaction: a file that cannot be read, has no rate rows or looks truncated
    (basic rates for fewer than 90% of the nomenclature's codes, unless ``partial``) raises
    :class:`TariffLoadFailed`, the unit of work rolls back, and the rates loaded before are untouched.
    """
    try:
        opened = kcs_sheet(path, sheet)
    except (FileProblem, OSError) as exc:
        raise TariffLoadFailed(str(exc), errors=[FieldError("/file", "unreadable_file", str(exc))]) from None
    reader = KcsReader(label or path.name, bundled_rate_codes(), bundled_priority(), default_unit)
    report = reader.report
    report.sheet, report.sheets_ignored = opened.name, opened.ignored
    report.header_spelling = spelling_of(opened.header)
    if opened.ignored:
        report.warnings.append(
            f"sheet {opened.name} loaded ({opened.why}); not loaded: {', '.join(opened.ignored)}"
        )
    if replace:
        repo.delete_sources(session, [KCS_FILE])
    source = repo.add_source(
        session,
        kind=KCS_FILE,
        label=label or f"KCS rate file {path.name}",
        country="KR",
        rows=0,
        demo=False,
        now=now,
        file_name=path.name,
        sha256=_sha256(path),
        attribution=bundled.KCS_ATTRIBUTION,
        loaded_by=actor.name,
    )
    chunk: list[Measure] = []
    try:
        for measure in reader.read(opened.rows, opened.columns, opened.first_row):
            chunk.append(measure)
            if len(chunk) >= repo.CHUNK:
                repo.insert_measures(session, source, chunk)
                chunk.clear()
    except FileProblem as exc:
        raise TariffLoadFailed(str(exc), errors=[FieldError("/file", "unreadable_file", str(exc))]) from None
    repo.insert_measures(session, source, chunk)
    if not report.loaded:
        raise TariffLoadFailed(
            f"{path.name}: no rate rows could be read",
            errors=[FieldError(f"/rows/{n}", "bad_row", m) for n, m in report.skipped],
        )
    _refuse_if_truncated(path, report, partial)
    source.rows, source.report = report.loaded, report.as_dict()
    _audit(
        session,
        actor,
        "tariff_loaded",
        source.id,
        now,
        {"file": path.name, "sheet": report.sheet, "rows": report.loaded, "skipped": report.skipped_count},
    )
    _invalidate(session, now)
    return LoadResult(source.id, KCS_FILE, source.label, report)


def _refuse_if_truncated(path: Path, report: KcsLoadReport, partial: bool) -> None:
    known = set(bundled_nomenclature().codes())
    outside = len(report.codes - known)
    if outside:
        report.warnings.append(f"{outside:,} commodity codes of the file are not in the bundled nomenclature")
    covered = len(report.codes_with_basic & known)
    if partial or covered >= MIN_COVERAGE * len(known):
        return
    share = f"{100 * covered / len(known):.1f}" if known else "0"
    message = (
        f"{path.name} looks truncated: it gives a basic rate (A) for {covered:,} of the "
        f"{len(known):,} codes of the nomenclature ({share}%), where a complete release covers nearly "
        "all; nothing was loaded and the rates loaded before are unchanged (load a deliberate part of "
        "the tariff with --partial)"
    )
    raise TariffLoadFailed(message, errors=[FieldError("/file", "looks_truncated", message)])


def load_exchange_rate_file(
    session: Session, path: Path, *, now: datetime, actor: Actor = SYSTEM, label: str | None = None
) -> LoadResult:
    try:
        rates, report = parse_exchange_rates(read_table(path), source=label or path.name)
    except (FileProblem, OSError) as exc:
        raise TariffLoadFailed(str(exc), errors=[FieldError("/file", "unreadable_file", str(exc))]) from None
    if not rates:
        raise TariffLoadFailed(
            f"{path.name}: no exchange-rate rows could be read",
            errors=[FieldError(f"/rows/{n}", "bad_row", m) for n, m in report.skipped[:50]],
        )
    source = repo.add_source(
        session,
        kind=FX_FILE,
        label=label or f"customs exchange rates {path.name}",
        country="KR",
        rows=len(rates),
        demo=False,
        now=now,
        file_name=path.name,
        sha256=_sha256(path),
        report=report.as_dict(),
        loaded_by=actor.name,
    )
    repo.replace_exchange_rates(session, source, rates)
    _audit(session, actor, "exchange_rates_loaded", source.id, now, {"file": path.name, "rows": len(rates)})
    _invalidate(session, now)
    return LoadResult(source.id, FX_FILE, source.label, report)


# ---- bundled and demo data -----------------------------------------------------------------------------
def load_bundled(session: Session, *, now: datetime, actor: Actor = SYSTEM) -> dict[str, int]:
    """The real data shipped with Clearway: quota P3 rates, VKFTA reference lines, parameters, internal taxes.

    Idempotent: earlier bundled loads are replaced. Administrator corrections (later versions) are kept.
    ``now`` stamps the load.
    """
    repo.delete_sources(session, BUNDLED_KINDS)
    quota = bundled.quota_measures()
    s = repo.add_source(
        session,
        kind="bundled_quota",
        label=bundled.QUOTA_SOURCE,
        country="KR",
        rows=len(quota),
        demo=False,
        now=now,
        attribution=bundled.KCS_ATTRIBUTION,
        loaded_by=actor.name,
    )
    repo.insert_measures(session, s, quota)
    reference = bundled.vkfta_reference_measures()
    s = repo.add_source(
        session,
        kind="bundled_reference",
        label=bundled.VKFTA_SOURCE,
        country="KR",
        rows=len(reference),
        demo=False,
        now=now,
        loaded_by=actor.name,
    )
    repo.insert_measures(session, s, reference)
    params = bundled.parameters()
    s = repo.add_source(
        session,
        kind="bundled_parameters",
        label=bundled.PARAMETERS_SOURCE,
        country="KR",
        rows=len(params),
        demo=False,
        now=now,
        loaded_by=actor.name,
    )
    repo.insert_parameters(session, s, params)
    rules = bundled.internal_tax_rules()
    s = repo.add_source(
        session,
        kind="bundled_internal_taxes",
        label=bundled.INTERNAL_TAX_SOURCE,
        country="KR",
        rows=len(rules),
        demo=False,
        now=now,
        loaded_by=actor.name,
    )
    repo.insert_internal_tax_rules(session, s, rules)
    counts = {
        "quota_measures": len(quota),
        "reference_measures": len(reference),
        "parameters": len(params),
        "internal_tax_rules": len(rules),
    }
    _audit(session, actor, "bundled_tariff_loaded", "bundled", now, counts)
    _invalidate(session, now)
    return counts


def load_demo_tariff(session: Session, *, now: datetime, actor: Actor = SYSTEM) -> dict[str, int]:
    """The bundled real data plus the clearly labelled DEMO rate set and DEMO weekly exchange rates.

    Only the codes in :data:`clearway.tariff.demo.DEMO_CODES` get demo rates. Idempotent. Flushes; the caller's
    unit of work commits.
    """
    counts = load_bundled(session, now=now, actor=actor)
    repo.delete_sources(session, DEMO_KINDS)
    measures = demo.demo_measures()
    s = repo.add_source(
        session,
        kind="demo_rates",
        label=demo.DEMO_SOURCE,
        country="KR",
        rows=len(measures),
        demo=True,
        now=now,
        loaded_by=actor.name,
    )
    repo.insert_measures(session, s, measures)
    rates = demo.demo_exchange_rates()
    s = repo.add_source(
        session,
        kind="demo_exchange_rates",
        label=demo.DEMO_FX_SOURCE,
        country="KR",
        rows=len(rates),
        demo=True,
        now=now,
        loaded_by=actor.name,
    )
    repo.replace_exchange_rates(session, s, rates)
    counts |= {
        "demo_measures": len(measures),
        "demo_exchange_rates": len(rates),
        "demo_codes": len(demo.DEMO_CODES),
    }
    _audit(session, actor, "demo_tariff_loaded", "demo", now, counts)
    _invalidate(session, now)
    return counts


# ---- administrator corrections -------------------------------------------------------------------------
def set_parameter(
    session: Session,
    *,
    key: str,
    value: Any,
    valid_from: date,
    now: datetime,
    actor: Actor,
    note: str,
    status: str = "sourced",
    legal_basis: str | None = None,
    sources: Iterable[str] = (),
) -> Parameter:
    """Add a corrected version of a parameter from ``valid_from`` (earlier versions end the day before)."""
    if status not in STATUSES:
        raise ValidationFailed(
            f"status must be one of {', '.join(STATUSES)}",
            errors=[FieldError("/status", "not_allowed", f"'{status}' is not a status")],
        )
    existing = [p for p in repo.parameters(session) if p.key == key]
    if not existing:
        raise NotFound(
            f"no parameter {key}; known: {', '.join(sorted({p.key for p in repo.parameters(session)}))}"
        )
    previous = max(existing, key=lambda p: p.valid_from)
    parameter = Parameter(
        key,
        decode_value(value),
        valid_from,
        status,
        legal_basis or previous.legal_basis,
        tuple(sources),
        note,
    )
    repo.close_parameter(session, key, valid_from)
    source = repo.add_source(
        session,
        kind=ADMIN,
        label=f"parameter {key} corrected by {actor.name}",
        country="KR",
        rows=1,
        demo=False,
        now=now,
        loaded_by=actor.name,
    )
    repo.insert_parameters(session, source, [parameter])
    _audit(
        session,
        actor,
        "parameter_corrected",
        key,
        now,
        {
            "key": key,
            "value": parameter.as_dict()["value"],
            "valid_from": valid_from.isoformat(),
            "note": note,
        },
    )
    _invalidate(session, now)
    return parameter


# ---- reading: the snapshot an assessment uses ------------------------------------------------------------
@dataclass
class TariffCache:
    """What one session (one request, one batch) has read from the tariff tables."""

    snapshot: TariffSnapshot
    fetched_codes: set[str] = field(default_factory=set)
    fetched_dates: set[date] = field(default_factory=set)
    rates: list[ExchangeRate] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _generation(session: Session) -> str | None:
    """This database's tariff generation token, read once per transaction (None: unknown, do not share)."""
    if GENERATION_KEY not in session.info:
        session.info[GENERATION_KEY] = session.scalar(
            select(TariffGeneration.token).where(TariffGeneration.id == 1)
        )
    return session.info[GENERATION_KEY]


def _new_cache(session: Session, nomenclature: Nomenclature | None) -> TariffCache:
    return TariffCache(
        TariffSnapshot(
            measures=TariffIndex(),
            internal_taxes=InternalTaxIndex.of(repo.internal_tax_rules(session)),
            exchange_rates=ExchangeRateTable(),
            parameters=ParameterTable.of(repo.parameters(session)),
            nomenclature=nomenclature if nomenclature is not None else bundled_nomenclature(),
        )
    )


def _cache(session: Session, nomenclature: Nomenclature | None) -> TariffCache:
    """The tariff read so far: shared by every request of this runtime (its :class:`~clearway.caches.Caches`)
    while the database's generation token is unchanged; private to the transaction when the token is unknown,
    a special nomenclature is used or the session belongs to no runtime."""
    cache: TariffCache | None = session.info.get(CACHE_KEY)
    if cache is not None:
        return cache
    token = _generation(session) if nomenclature is None else None
    owned = runtime_caches.of(session)
    if token is None or owned is None:
        cache = _new_cache(session, nomenclature)
    else:
        bind = session.get_bind()
        engine = bind if isinstance(bind, Engine) else bind.engine
        key = (str(engine.url), token)
        with owned.lock:
            shared: dict[tuple[str, str], TariffCache] = owned.slot("tariff.shared")
            cache = shared.get(key)
            if cache is None:
                shared.clear()  # one generation per runtime is enough
                cache = shared[key] = _new_cache(session, None)
    session.info[CACHE_KEY] = cache
    return cache


def snapshot_for(
    session: Session, codes: Iterable[str], dates: Iterable[date], nomenclature: Nomenclature | None = None
) -> TariffSnapshot:
    """The tariff snapshot holding every code and date asked for; reads only what has not been read."""
    cache = _cache(session, nomenclature)
    with cache.lock:
        return _extend(session, cache, codes, dates)


def _extend(
    session: Session, cache: TariffCache, codes: Iterable[str], dates: Iterable[date]
) -> TariffSnapshot:
    missing = set(codes) - cache.fetched_codes
    if missing:
        cache.snapshot.measures.extend(m for ms in repo.measures_for(session, missing).values() for m in ms)
        cache.fetched_codes |= missing
    new_dates = set(dates) - cache.fetched_dates
    if new_dates:
        for on in new_dates:
            cache.rates += repo.exchange_rates_on(session, on)
        cache.fetched_dates |= new_dates
        cache.snapshot.exchange_rates = ExchangeRateTable.of(
            {(r.currency, r.valid_from): r for r in cache.rates}.values()
        )
    return cache.snapshot


def rates_on(session: Session, code: str, on: date, origin: str | None) -> dict[str, Any]:
    """A code's rate measures on a date (for an origin, if given), with why each would or would not apply."""
    snapshot = snapshot_for(session, [code], [on])
    problem = snapshot.nomenclature.check(code, on)
    line = snapshot.nomenclature.line(code, on)
    measures = snapshot.measures.on(code, on)
    geography, priority = snapshot.geography, snapshot.priority
    rows: list[dict[str, Any]] = []

    def rank(m: Measure) -> int:
        rule = priority.rule_for(m.rate_code)
        return rule.rank if rule else 100

    for m in sorted(measures, key=lambda m: (rank(m), m.rate_code)):
        rule = priority.rule_for(m.rate_code)
        applies: bool | None = None
        note = None
        if origin:
            try:
                applies = geography.applies(m.geo_area, m.rate_code, m.excluded, origin, on)
            except UnknownArea as exc:  # shown, not applied
                note = str(exc)
        rows.append(
            {
                "rate_code": m.rate_code,
                "name_ko": rule.name_ko if rule else None,
                "name": rule.name_en if rule else None,
                "rank": rule.rank if rule and rule.rank < 99 else None,
                "legal_basis": rule.legal_basis if rule else None,
                "rate": m.expression.text(),
                "expression": m.expression.as_dict(),
                "origins": geography.describe(m.geo_area, m.rate_code),
                "applies_to_origin": applies,
                "conditional": m.conditional,
                "valid_from": m.valid_from.isoformat(),
                "valid_to": m.valid_to.isoformat() if m.valid_to else None,
                "source": m.source,
                "demo": m.demo,
                **({"note": note} if note else {}),
                **({"description": m.description} if m.description else {}),
            }
        )
    taxes = snapshot.internal_taxes.for_code(code, on)
    return {
        "code": code,
        "on": on.isoformat(),
        "origin": origin,
        "nomenclature": None
        if line is None
        else {"name_ko": line.name_ko, "name_en": line.name_en, "path_ko": line.path_ko},
        "nomenclature_problem": None if problem is None else {"code": problem[0], "message": problem[1]},
        "rates": rows,
        "no_rate_loaded": not rows,
        "message": None if rows else f"no rate loaded for {code} on {on.isoformat()}",
        "internal_taxes": [r.as_dict() for r in taxes.values()],
        "attribution": bundled.KCS_ATTRIBUTION if any("KCS" in r["source"] for r in rows) else None,
    }


def status(session: Session) -> dict[str, Any]:
    return {
        "counts": repo.counts(session),
        "sources": [
            {
                "id": s.id,
                "kind": s.kind,
                "label": s.label,
                "rows": s.rows,
                "demo": s.demo,
                "file_name": s.file_name,
                "loaded_at": s.loaded_at.isoformat(),
                "loaded_by": s.loaded_by,
            }
            for s in repo.sources(session)
        ],
    }


def parameter_list(session: Session, on: date | None = None) -> list[dict[str, Any]]:
    params = repo.parameters(session)
    if on is not None:
        params = list(ParameterTable.of(params).on(on).by_key.values())
    return [p.as_dict() for p in sorted(params, key=lambda p: (p.key, p.valid_from))]
