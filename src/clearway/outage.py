"""What a database failure means for the caller: which errors are an outage (503, retry), a full database (507),
and which are bugs (left alone: 500).

The HTTP shell (:mod:`clearway.web.problems`) renders the answer as problem+json with ``Retry-After``; the
request's transaction has been rolled back, so nothing of it was stored and the same request may be sent again
(filing is idempotent by reference and ``Idempotency-Key``). PostgreSQL connections that died are dropped by the
pool (SQLAlchemy invalidates them) and idle ones are tested before use (``pool_pre_ping``), so the service
recovers by itself when the database is back.
"""

from __future__ import annotations

import sqlite3

import psycopg
from sqlalchemy.exc import (
    DBAPIError,
    InterfaceError,
    OperationalError,
    PendingRollbackError,
    SQLAlchemyError,
)

from clearway.errors import ClearwayError, DatabaseUnavailable, InsufficientStorage

RETRY_AFTER_SECONDS = 1  # a dropped connection: the next request gets a fresh one
RETRY_AFTER_BLOCKED_SECONDS = 30  # a full or read-only database needs an operator

# SQLite's primary result codes (sqlite3.h)
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR = 5, 6, 8, 10
_SQLITE_FULL, _SQLITE_CANTOPEN = 13, 14


def _driver_error(exc: BaseException) -> BaseException:
    return exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc


def database_problem(exc: BaseException) -> ClearwayError | None:
    """The problem to answer for a database error, or None when it is not an outage (a bug: 500).

    A connection lost inside a savepoint surfaces as SQLAlchemy's complaint about the invalid transaction
    (``PendingRollbackError``) raised while the disconnect was being handled: the chain of causes is read, so
    that is an outage too, and a named cause (full, read-only) found in it wins over a generic one."""
    problems: list[ClearwayError] = []
    link: BaseException | None = exc
    while link is not None and len(problems) < 8:
        problem = _problem_of(link)
        if problem is not None:
            problems.append(problem)
        elif not isinstance(link, SQLAlchemyError):
            break
        link = link.__cause__ or link.__context__
    # the most specific wins: SQLite rolls the whole transaction back on SQLITE_FULL, so the savepoint's
    # rollback fails next ("no such savepoint") and that generic error hides the named cause
    named = [p for p in problems if "cause" in p.extra]
    chosen = named or problems
    return chosen[0] if chosen else None


def _problem_of(exc: BaseException) -> ClearwayError | None:
    if isinstance(exc, PendingRollbackError) and "can't reconnect" in str(exc).lower():
        exc = OperationalError("reconnect", None, ConnectionError(str(exc)), connection_invalidated=True)
    orig = _driver_error(exc)
    if isinstance(orig, sqlite3.Error):
        return _sqlite_problem(orig)
    if isinstance(orig, TimeoutError):  # the embedded default's writer lock (db.py) waited too long
        return DatabaseUnavailable(
            "the database is busy with other writes; retry shortly", retry_after_seconds=RETRY_AFTER_SECONDS
        )
    lost = (
        (isinstance(exc, DBAPIError) and exc.connection_invalidated)
        or isinstance(exc, OperationalError | InterfaceError)
        or isinstance(orig, psycopg.OperationalError | psycopg.InterfaceError)
    )
    if lost:
        return DatabaseUnavailable(
            "the database is not reachable or dropped the connection; nothing of this request was stored, "
            "retry shortly",
            retry_after_seconds=RETRY_AFTER_SECONDS,
        )
    return None


def _sqlite_problem(error: sqlite3.Error) -> ClearwayError | None:
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(error).lower()
    if primary == _SQLITE_FULL or "disk is full" in text:
        return InsufficientStorage(
            "the database file has no room left (disk or size limit full); nothing of this request was "
            "stored — free space, then retry",
            retry_after_seconds=RETRY_AFTER_BLOCKED_SECONDS,
            cause="database_full",
        )
    if primary == _SQLITE_READONLY or "readonly" in text:
        return DatabaseUnavailable(
            "the database file is read-only; nothing of this request was stored — make it writable, then retry",
            retry_after_seconds=RETRY_AFTER_BLOCKED_SECONDS,
            cause="database_read_only",
        )
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return DatabaseUnavailable(
            "the database is busy with other writes; retry shortly", retry_after_seconds=RETRY_AFTER_SECONDS
        )
    if primary in (_SQLITE_IOERR, _SQLITE_CANTOPEN) or "disk i/o" in text or "unable to open" in text:
        return DatabaseUnavailable(
            "the database file cannot be read or written; nothing of this request was stored",
            retry_after_seconds=RETRY_AFTER_BLOCKED_SECONDS,
            cause="database_io_error",
        )
    if isinstance(error, sqlite3.OperationalError):
        return DatabaseUnavailable(
            "the database is not available; retry shortly", retry_after_seconds=RETRY_AFTER_SECONDS
        )
    return None
