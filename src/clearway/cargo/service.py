"""Cargo shell, manifests: submit (JSON or CUSCAR), amend, report arrival, screen, read.

Flushes, never commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clearway import caches as runtime_caches
from clearway.audit.service import Actor, record
from clearway.cargo import core, cuscar, learning, screening, signals
from clearway.cargo import repository as repo
from clearway.cargo.manifest import HouseBill, Manifest, parse_manifest
from clearway.cargo.models import CargoHouseBill, CargoManifest, CargoManifestVersion
from clearway.cargo.storage import CargoConflict
from clearway.db import allocate_ids, bulk_insert
from clearway.declaration.lifecycle import Lane
from clearway.errors import ClearwayError, Conflict, FieldError, Forbidden, NotFound
from clearway.identity.core import Principal, Role, Scope
from clearway.risk import repository as risk_repo
from clearway.risk import service as risk_service
from clearway.risk.conditions import EvalContext
from clearway.risk.criteria import Criterion, Watchlist
from clearway.risk.metrics import threshold_for_share

HOUSE_TABLE = cast(Table, CargoHouseBill.__table__)


def actor_of(principal: Principal) -> Actor:
    return Actor(principal.username, principal.user_id)


def require_submitter(principal: Principal) -> int:
    principal.require_scope(Scope.CARGO_WRITE)
    if principal.role not in (Role.CARRIER, Role.ADMIN) or principal.company_id is None:
        raise Forbidden("only a carrier or forwarder submits manifests")
    return principal.company_id


def visible_manifest(
    session: Session, principal: Principal, manifest_id: int, *, for_update: bool = False
) -> CargoManifest:
    principal.require_scope(Scope.CARGO_READ)
    row = repo.manifest(session, manifest_id, for_update=for_update)
    if row is None or not principal.sees_company(row.company_id):
        raise NotFound(f"no manifest {manifest_id}")
    return row


class _Lists(EvalContext):
    def __init__(self, watchlists: list[Watchlist]) -> None:
        self._lists = {w.name: w for w in watchlists}

    def in_watchlist(self, watchlist: str, field: str, party: str) -> bool:
        w = self._lists.get(watchlist)
        return w is not None and w.active and party in w.entries.get(field, frozenset())


def risk_configuration(session: Session) -> tuple[list[Criterion], list[Watchlist]]:
    """The analysts' criteria and watchlists as the risk domain keeps them (read-only)."""
    criteria = [
        Criterion.of(v.criterion.id, v.current.version, risk_service.spec_of(v.criterion.code, v.current))
        for v in risk_service.list_criteria(session)
    ]
    lists = risk_repo.watchlists(session)
    by_list: dict[int, dict[str, set[str]]] = {w.id: {} for w in lists}
    for e in risk_repo.entries(session, [w.id for w in lists]):
        by_list[e.watchlist_id].setdefault(e.field, set()).add(e.party)
    watchlists = [
        Watchlist(w.id, w.name, Lane(w.lane), {f: frozenset(p) for f, p in by_list[w.id].items()}, w.active)
        for w in lists
    ]
    return criteria, watchlists


def record_of(line: screening.ScreenLine, carrier_code: str) -> learning.CargoRecord:
    return learning.CargoRecord(
        bill=line.bill,
        arrival_date=line.arrival_date,
        mode=line.mode,
        carrier_code=carrier_code,
        port_of_loading=line.port_of_loading,
        port_of_discharge=line.port_of_discharge,
        transshipment_ports=line.transshipment_ports,
        shipper_key=line.shipper_key,
        consignee_key=line.consignee_key,
        description=line.description,
        hs6=line.hs6,
        packages=line.packages,
        gross_weight_kg=float(line.gross_weight_kg),
        has_value=line.has_value,
    )


def model_view(
    session: Session, lines: list[screening.ScreenLine], carrier_code: str, models_dir: Path | None
) -> screening.ModelView | None:
    """The pre-arrival model's view of the lines, with the declaration policy's shares; None without a
    model."""
    loaded = learning.current(models_dir, runtime_caches.of(session))
    if loaded is None or not loaded.quantiles:
        return None
    policy, _ = risk_service.current_policy(session)
    records = [record_of(line, carrier_code) for line in lines]
    medium = threshold_for_share(loaded.quantiles, min(1.0, policy.red_share + policy.yellow_share))
    X = loaded.model.features(records)
    scores = loaded.model.score(records, X)
    # the explanation (TreeSHAP, the costly part) is computed for the bills the model selects
    chosen = [i for i, s in enumerate(scores) if s > medium]
    explanations = loaded.model.explain([records[i] for i in chosen], features=X[chosen])
    explained = dict(zip(chosen, explanations, strict=True))
    return screening.ModelView(
        loaded.version,
        [float(s) for s in scores],
        explained,
        high=threshold_for_share(loaded.quantiles, policy.red_share),
        medium=medium,
        exploration_share=policy.exploration_share,
        seed=f"{policy.seed}-cargo",
    )


def screen_manifest(
    session: Session, manifest: Manifest, *, other_than: int | None, models_dir: Path | None = None
) -> list[screening.Screening]:
    v = manifest.voyage
    lines = [
        screening.ScreenLine(
            bill=h.house_bill,
            mode=v.mode,
            arrival_date=v.arrival_date,
            port_of_loading=v.port_of_loading,
            port_of_discharge=v.port_of_discharge,
            transshipment_ports=tuple(h.transshipment_ports),
            shipper_key=h.shipper.key,
            consignee_key=h.consignee.key,
            description=h.description,
            hs6=h.hs6,
            packages=h.packages,
            gross_weight_kg=h.gross_weight_kg,
            has_value=h.value is not None,
        )
        for _, _, _, h in manifest.houses()
    ]
    criteria, watchlists = risk_configuration(session)
    known = frozenset(
        repo.known_consignees(session, (line.consignee_key for line in lines), other_than=other_than)
    )
    return screening.screen(
        lines,
        criteria=criteria,
        watchlists=watchlists,
        context=_Lists(watchlists),
        known_consignees=known,
        model=model_view(session, lines, v.carrier_code, models_dir),
    )


def _house_fields(house: HouseBill, result: screening.Screening) -> dict[str, Any]:
    return {
        "house_bill": house.house_bill,
        "shipper_name": house.shipper.name,
        "shipper_key": house.shipper.key,
        "consignee_name": house.consignee.name,
        "consignee_brn": house.consignee.brn,
        "consignee_key": house.consignee.key,
        "description": house.description,
        "hs6": house.hs6,
        "packages": house.packages,
        "package_type": house.package_type,
        "gross_weight_kg": house.gross_weight_kg,
        "volume_m3": house.volume_m3,
        "value": house.value,
        "currency": house.currency,
        "transshipment_ports": list(house.transshipment_ports),
        "containers": list(house.containers),
        "risk_level": result.level,
        "risk_score": result.score,
        "risk_action": result.action,
        "risk_reasons": list(result.reasons),
    }


def _voyage_fields(manifest: Manifest) -> dict[str, Any]:
    v = manifest.voyage
    return {
        "mode": v.mode,
        "carrier_code": v.carrier_code,
        "voyage_number": v.number,
        "vessel_name": v.vessel_name,
        "imo": v.imo,
        "port_of_loading": v.port_of_loading,
        "port_of_discharge": v.port_of_discharge,
        "departure_date": v.departure_date,
        "arrival_date": v.arrival_date,
    }


def _check_bills_free(session: Session, manifest: Manifest, other_than: int | None) -> None:
    taken = set(
        repo.bills_taken(session, (h.house_bill for _, _, _, h in manifest.houses()), other_than=other_than)
    )
    if taken:
        errors = [
            FieldError(
                f"/masters/{m - 1}/houses/{h - 1}/house_bill",
                "duplicate_bill",
                f"bill {house.house_bill} is already on another manifest",
            )
            for m, h, _, house in manifest.houses()
            if house.house_bill in taken
        ]
        raise Conflict(
            f"{len(taken)} bill(s) are already on another manifest", errors=errors, code="duplicate_bill"
        )


def _bills_of(manifest: Manifest) -> set[str]:
    """Every bill number the manifest carries: house bills and master bills (a declaration may name either)."""
    return {b for _, _, master, house in manifest.houses() for b in (house.house_bill, master.master_bill)}


@dataclass
class Submitted:
    manifest: CargoManifest
    replayed: bool = False
    screenings: list[screening.Screening] = field(default_factory=list)


def submit(
    session: Session,
    principal: Principal,
    document: Any,
    *,
    now: datetime,
    today: date,
    source: str = "json",
    models_dir: Path | None = None,
) -> Submitted:
    """File a new manifest: check, number (MRN and a CCN per house bill), screen and store it."""
    company_id = require_submitter(principal)
    manifest = parse_manifest(document)
    content = manifest.model_dump(mode="json")
    existing = repo.manifest_by_reference(session, company_id, manifest.reference)
    if existing is not None:
        latest = repo.latest_version(session, existing.id)
        if latest is not None and latest.content == content:
            return Submitted(existing, replayed=True)
        raise Conflict(
            f"manifest {manifest.reference} was already submitted (id {existing.id}); amend it instead",
            code="duplicate_manifest",
            manifest_id=existing.id,
        )
    _check_bills_free(session, manifest, None)
    serial = repo.next_serial(session, manifest.voyage.carrier_code, today.year)
    row = CargoManifest(
        company_id=company_id,
        submitted_by=principal.user_id,
        reference=manifest.reference,
        mrn=core.manifest_reference_number(today.year, manifest.voyage.carrier_code, serial),
        version=1,
        status="submitted",
        arrived_on=None,
        created_at=now,
        updated_at=now,
        **_voyage_fields(manifest),
    )
    session.add(row)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict(
            "another manifest was numbered at the same moment; submit again", code="numbering_race"
        ) from None
    session.add(
        CargoManifestVersion(
            manifest_id=row.id,
            version=1,
            source=source,
            content=content,
            created_by=principal.user_id,
            created_at=now,
        )
    )
    results = screen_manifest(session, manifest, other_than=None, models_dir=models_dir)
    houses = manifest.houses()
    ids = allocate_ids(session, HOUSE_TABLE, len(houses))
    rows = [
        {
            "id": i,
            "manifest_id": row.id,
            "ccn": core.cargo_control_number(row.mrn, m, h),
            "master_bill": master.master_bill,
            "master_seq": m,
            "house_seq": h,
            **_house_fields(house, result),
        }
        for i, (m, h, master, house), result in zip(ids, houses, results, strict=True)
    ]
    session.flush()
    bulk_insert(session, HOUSE_TABLE, rows)
    record(
        session,
        actor=actor_of(principal),
        subject_type="cargo_manifest",
        subject_id=row.id,
        action="submit",
        at=now,
        data={
            "mrn": row.mrn,
            "reference": row.reference,
            "bills": len(rows),
            "source": source,
            "high_risk": sum(r.level == "high" for r in results),
        },
    )
    signals.lift_holds(session, _bills_of(manifest), now=now, manifest=row.mrn)
    return Submitted(row, screenings=results)


def amend(
    session: Session,
    principal: Principal,
    manifest_id: int,
    document: Any,
    *,
    now: datetime,
    source: str = "json",
    models_dir: Path | None = None,
) -> Submitted:
    """A new version of the manifest; house bills keep their CCN. Not after arrival."""
    require_submitter(principal)
    row = visible_manifest(session, principal, manifest_id, for_update=True)
    if row.status == "arrived":
        raise CargoConflict(
            f"manifest {row.mrn} arrived on {row.arrived_on}: it can no longer be amended",
            code="amended_after_arrival",
        )
    manifest = parse_manifest(document)
    if manifest.reference != row.reference:
        raise CargoConflict(
            f"an amendment keeps the reference {row.reference}",
            code="reference_changed",
            errors=[FieldError("/reference", "reference_changed", f"expected {row.reference}")],
        )
    _check_bills_free(session, manifest, row.id)
    current = {b.house_bill: b for b in repo.houses_of(session, row.id)}
    keep = {h.house_bill for _, _, _, h in manifest.houses()}
    for bill_number, bill in current.items():
        if bill_number not in keep:
            if repo.holds(session, bill.id):
                raise CargoConflict(
                    f"bill {bill_number} is held by customs and cannot be removed", code="bill_on_hold"
                )
            session.delete(bill)
    session.flush()
    masters = {b.master_bill: b.master_seq for b in current.values()}
    next_house = {
        seq: max((b.house_seq for b in current.values() if b.master_seq == seq), default=0)
        for seq in masters.values()
    }
    results = screen_manifest(session, manifest, other_than=row.id, models_dir=models_dir)
    for (_, _, master, house), result in zip(manifest.houses(), results, strict=True):
        fields = _house_fields(house, result)
        if house.house_bill in current:
            bill = current[house.house_bill]
            for name, value in fields.items():
                setattr(bill, name, value)
            continue
        m = masters.setdefault(master.master_bill, max(masters.values(), default=0) + 1)
        next_house[m] = next_house.get(m, 0) + 1
        session.add(
            CargoHouseBill(
                manifest_id=row.id,
                ccn=core.cargo_control_number(row.mrn, m, next_house[m]),
                master_bill=master.master_bill,
                master_seq=m,
                house_seq=next_house[m],
                **fields,
            )
        )
    for name, value in _voyage_fields(manifest).items():
        setattr(row, name, value)
    row.version += 1
    row.updated_at = now
    session.add(
        CargoManifestVersion(
            manifest_id=row.id,
            version=row.version,
            source=source,
            content=manifest.model_dump(mode="json"),
            created_by=principal.user_id,
            created_at=now,
        )
    )
    session.flush()
    record(
        session,
        actor=actor_of(principal),
        subject_type="cargo_manifest",
        subject_id=row.id,
        action="amend",
        at=now,
        data={"version": row.version, "bills": len(keep), "removed": sorted(set(current) - keep)},
    )
    signals.lift_holds(session, _bills_of(manifest), now=now, manifest=row.mrn)
    return Submitted(row, screenings=results)


def report_arrival(
    session: Session, principal: Principal, manifest_id: int, *, on: date, now: datetime
) -> CargoManifest:
    """입항보고: the voyage or flight arrived; the cargo may now be carried into bonded storage."""
    principal.require_scope(Scope.CARGO_WRITE)
    row = visible_manifest(session, principal, manifest_id, for_update=True)
    if row.status == "arrived":
        raise CargoConflict(f"manifest {row.mrn} already arrived on {row.arrived_on}", code="already_arrived")
    if on < row.departure_date:
        raise CargoConflict(
            f"arrival {on} is before the departure {row.departure_date}", code="date_out_of_order"
        )
    row.status, row.arrived_on, row.updated_at = "arrived", on, now
    session.flush()
    record(
        session,
        actor=actor_of(principal),
        subject_type="cargo_manifest",
        subject_id=row.id,
        action="arrive",
        at=now,
        data={"on": on.isoformat()},
    )
    return row


@dataclass
class MessageOutcome:
    reference: str
    status: str  # accepted | rejected
    manifest_id: int | None = None
    mrn: str | None = None
    errors: list[dict[str, str]] = field(default_factory=list)
    detail: str | None = None


def submit_cuscar(
    session: Session,
    principal: Principal,
    text: str,
    *,
    now: datetime,
    today: date,
    models_dir: Path | None = None,
) -> list[MessageOutcome]:
    """Each CUSCAR message on its own, inside a savepoint: accepted, or rejected with coded reasons."""
    company_id = require_submitter(principal)
    outcomes = []
    for answer in cuscar.parse_interchange(text):
        if answer.document is None:
            outcomes.append(
                MessageOutcome(
                    answer.reference,
                    "rejected",
                    errors=[e.as_dict() for e in answer.errors],
                    detail="the message does not follow the accepted CUSCAR structure",
                )
            )
            continue
        try:
            with session.begin_nested():
                if answer.function == "replace":
                    existing = repo.manifest_by_reference(
                        session, company_id, str(answer.document.get("reference"))
                    )
                    if existing is None:
                        raise NotFound(
                            f"no manifest {answer.document.get('reference')} to replace",
                            code="unknown_manifest",
                        )
                    done = amend(
                        session,
                        principal,
                        existing.id,
                        answer.document,
                        now=now,
                        source="cuscar",
                        models_dir=models_dir,
                    )
                else:
                    done = submit(
                        session,
                        principal,
                        answer.document,
                        now=now,
                        today=today,
                        source="cuscar",
                        models_dir=models_dir,
                    )
        except ClearwayError as error:
            code = str(error.extra.get("code", error.type))
            errors = [e.as_dict() for e in error.errors] or [
                {"pointer": "", "code": code, "message": error.detail}
            ]
            outcomes.append(MessageOutcome(answer.reference, "rejected", errors=errors, detail=error.detail))
            continue
        outcomes.append(MessageOutcome(answer.reference, "accepted", done.manifest.id, done.manifest.mrn))
    return outcomes
