"""Watchlists in the database, screening flights against them, and officers' decisions on hits.

A watchlist is loaded from a CSV file as a new *version* of a named list (the whole file is checked first: a
file with one broken row stores nothing). Screening uses the newest version of every list, through a
candidate index built once per version and kept in memory. Each hit is stored with its score and reasons;
an officer confirms or clears it, and a cleared hit is remembered by (person, list, entry) so the same person
is not raised again on that entry, on this flight or a later one. The person is named by a SHA-256 digest of
the passenger's document key, never by the key itself. Flushes, never commits; no personal data in the audit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clearway import caches as runtime_caches
from clearway.audit.service import record
from clearway.errors import Conflict, FieldError, NotFound, ValidationFailed
from clearway.identity.core import Principal, Scope
from clearway.traveller.models import (
    TravellerClearance,
    TravellerHit,
    TravellerPassenger,
    TravellerWatchEntry,
    TravellerWatchlist,
)
from clearway.traveller.screening import Person, WatchEntry, WatchIndex
from clearway.traveller.service import PASSENGER, actor_of, flight_passengers
from clearway.traveller.watchlist import read_watchlist

DECISIONS = ("confirmed", "cleared")
_INDEX_LIMIT = 8


def person_ref(passenger_key: str) -> str:
    return hashlib.sha256(passenger_key.encode("utf-8")).hexdigest()


def _list_name(name: str) -> str:
    clean = name.strip()
    if not clean or len(clean) > 80 or not all(c.isalnum() or c in "-_." for c in clean):
        raise ValidationFailed(
            "a watchlist name is 1-80 letters, digits, '-', '_' or '.'",
            errors=[FieldError("/name", "bad_name", "letters, digits, '-', '_' or '.' only")],
        )
    return clean


def load_watchlist(
    session: Session, principal: Principal, name: str, text: str, *, now: datetime
) -> TravellerWatchlist:
    """Store the file as the next version of the list ``name``; a broken row refuses the whole file."""
    principal.require_scope(Scope.TRAVELLERS_WRITE)
    name = _list_name(name)
    entries = read_watchlist(text)
    if not entries:
        raise ValidationFailed(
            "the watchlist has no entries; nothing was loaded",
            errors=[FieldError("/rows", "empty", "at least one entry is required")],
        )
    latest = session.scalar(
        select(func.max(TravellerWatchlist.version)).where(TravellerWatchlist.name == name)
    )
    wl = TravellerWatchlist(
        name=name,
        version=(latest or 0) + 1,
        entry_count=len(entries),
        loaded_at=now,
        loaded_by=principal.username,
    )
    session.add(wl)
    session.flush()
    session.add_all(
        TravellerWatchEntry(
            watchlist_id=wl.id,
            entry_id=e.entry_id,
            name=e.name,
            aliases=list(e.aliases),
            date_of_birth=e.date_of_birth,
            nationality=e.nationality,
            reason=e.reason[:300],
            source=e.source[:200],
        )
        for e in entries
    )
    session.flush()
    record(
        session,
        actor=actor_of(principal),
        subject_type="traveller_watchlist",
        subject_id=wl.id,
        action="loaded",
        at=now,
        data={"name": name, "version": wl.version, "entries": len(entries)},
    )
    return wl


def watchlists(session: Session, principal: Principal) -> list[TravellerWatchlist]:
    """Every version of every list, newest first within a name."""
    principal.require_scope(Scope.TRAVELLERS_READ)
    return list(
        session.scalars(
            select(TravellerWatchlist).order_by(TravellerWatchlist.name, TravellerWatchlist.version.desc())
        )
    )


def current_watchlists(session: Session) -> list[TravellerWatchlist]:
    newest = (
        select(TravellerWatchlist.name, func.max(TravellerWatchlist.version).label("version"))
        .group_by(TravellerWatchlist.name)
        .subquery()
    )
    return list(
        session.scalars(
            select(TravellerWatchlist)
            .join(
                newest,
                (TravellerWatchlist.name == newest.c.name) & (TravellerWatchlist.version == newest.c.version),
            )
            .order_by(TravellerWatchlist.name)
        )
    )


def index_of(session: Session, wl: TravellerWatchlist) -> WatchIndex:
    """The candidate index of one list version, built once per runtime (kept in its caches, keyed by the
    version id: versions are immutable); without a runtime's caches, built for this call only."""
    caches = runtime_caches.of(session)
    indexes: dict[int, WatchIndex] = caches.slot("traveller.watch_indexes") if caches is not None else {}
    cached = indexes.get(wl.id)
    if cached is not None:
        return cached
    rows = session.scalars(
        select(TravellerWatchEntry)
        .where(TravellerWatchEntry.watchlist_id == wl.id)
        .order_by(TravellerWatchEntry.id)
    )
    index = WatchIndex(
        [
            WatchEntry(
                r.entry_id, r.name, tuple(r.aliases), r.date_of_birth, r.nationality, r.reason, r.source
            )
            for r in rows
        ]
    )
    if caches is not None:
        with caches.lock:
            if len(indexes) >= _INDEX_LIMIT:
                indexes.pop(next(iter(indexes)))
            indexes[wl.id] = index
    return index


@dataclass(frozen=True, slots=True)
class FlightScreening:
    passengers: int
    hits: list[TravellerHit]
    suppressed: int  # matches not raised again because an officer cleared them for that person before
    lists: list[tuple[str, int]]


def screen_flight(
    session: Session,
    principal: Principal,
    flight_number: str,
    arrival_date: date,
    *,
    now: datetime,
    threshold: float,
) -> FlightScreening:
    """Screen the flight's passengers against the newest version of every stored list; store the hits."""
    principal.require_scope(Scope.TRAVELLERS_WRITE)
    if not 0 <= threshold <= 100:
        raise ValidationFailed(
            "the threshold is a score from 0 to 100",
            errors=[FieldError("/threshold", "bad_threshold", f"{threshold} is not 0-100")],
        )
    rows = [
        r
        for r in flight_passengers(session, principal, flight_number, arrival_date, now=now)
        if r.masked_at is None
    ]
    lists = current_watchlists(session)
    indexes = [(wl, index_of(session, wl)) for wl in lists]
    hits: list[TravellerHit] = []
    suppressed = 0
    for row in rows:
        ref = person_ref(row.passenger_key)
        cleared = {
            (c.watchlist, c.entry_id)
            for c in session.scalars(select(TravellerClearance).where(TravellerClearance.person_ref == ref))
        }
        existing = {
            (h.watchlist, h.entry_id): h
            for h in session.scalars(select(TravellerHit).where(TravellerHit.passenger_id == row.id))
        }
        person = person_of(row)
        raised: list[str] = []
        for wl, index in indexes:
            for m in index.screen(person, threshold=threshold):
                if (wl.name, m.entry_id) in cleared:
                    suppressed += 1
                    continue
                hit = existing.get((wl.name, m.entry_id))
                if hit is None:
                    hit = TravellerHit(
                        passenger_id=row.id,
                        person_ref=ref,
                        watchlist=wl.name,
                        list_version=wl.version,
                        entry_id=m.entry_id,
                        score=m.score,
                        name_score=m.name_score,
                        reasons=list(m.reasons),
                        status="open",
                        raised_at=now,
                    )
                    session.add(hit)
                    raised.append(f"{wl.name}/{m.entry_id}")
                elif hit.status == "open":
                    hit.score, hit.name_score, hit.reasons = m.score, m.name_score, list(m.reasons)
                    hit.list_version = wl.version
                hits.append(hit)
        if raised:
            record(
                session,
                actor=actor_of(principal),
                subject_type=PASSENGER,
                subject_id=row.id,
                action="watchlist_hit",
                at=now,
                data={"entries": raised},
            )
    session.flush()
    return FlightScreening(len(rows), hits, suppressed, [(wl.name, wl.version) for wl in lists])


def person_of(row: TravellerPassenger) -> Person:
    api = row.api
    return Person(
        api["family_name"],
        api["given_names"],
        date.fromisoformat(api["date_of_birth"]),
        api["nationality"],
    )


def passenger_hits(session: Session, passenger_id: int) -> list[TravellerHit]:
    return list(
        session.scalars(
            select(TravellerHit)
            .where(TravellerHit.passenger_id == passenger_id)
            .order_by(TravellerHit.score.desc(), TravellerHit.id)
        )
    )


def decide_hit(
    session: Session, principal: Principal, hit_id: int, decision: str, note: str, *, now: datetime
) -> TravellerHit:
    """An officer confirms or clears an open hit; clearing remembers the person and entry."""
    principal.require_scope(Scope.TRAVELLERS_WRITE)
    if decision not in DECISIONS:
        raise ValidationFailed(
            "a hit is confirmed or cleared",
            errors=[FieldError("/decision", "bad_decision", f"one of {', '.join(DECISIONS)}")],
        )
    hit = session.get(TravellerHit, hit_id)
    if hit is None:
        raise NotFound(f"no hit {hit_id}")
    if hit.status != "open":
        raise Conflict(f"hit {hit_id} was already {hit.status}")
    hit.status, hit.decided_at, hit.decided_by, hit.note = decision, now, principal.username, note[:500]
    if decision == "cleared":
        known = session.scalar(
            select(TravellerClearance).where(
                TravellerClearance.person_ref == hit.person_ref,
                TravellerClearance.watchlist == hit.watchlist,
                TravellerClearance.entry_id == hit.entry_id,
            )
        )
        if known is None:
            session.add(
                TravellerClearance(
                    person_ref=hit.person_ref,
                    watchlist=hit.watchlist,
                    entry_id=hit.entry_id,
                    cleared_at=now,
                    cleared_by=principal.username,
                )
            )
    session.flush()
    record(
        session,
        actor=actor_of(principal),
        subject_type=PASSENGER,
        subject_id=hit.passenger_id,
        action=f"hit_{decision}",
        at=now,
        data={"hit_id": hit.id, "watchlist": hit.watchlist, "entry_id": hit.entry_id},
    )
    return hit
