"""Database plumbing: the declarative base, engine construction and the unit of work.

The unit of work that commits lives in :mod:`clearway.uow`.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, ClassVar

import orjson
import psycopg
from sqlalchemy import (
    JSON,
    ColumnElement,
    DateTime,
    MetaData,
    Numeric,
    String,
    Table,
    any_,
    bindparam,
    create_engine,
    event,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection, Dialect, Engine, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, PoolResetState
from sqlalchemy.sql import FromClause
from sqlalchemy.types import TypeDecorator, TypeEngine

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A moment, always timezone-aware UTC in Python, whatever the database keeps (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware datetime (UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        Decimal: Numeric(20, 4),
        datetime: UTCDateTime(),
    }


class Money(TypeDecorator[Decimal]):
    """Exact decimal stored as NUMERIC(20, 4); SQLite gets the text form so no float ever appears."""

    impl = Numeric(20, 4)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(Numeric(20, 4))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Decimal | str | None:
        if value is None:
            return None
        value = Decimal(value)
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value: object, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(str(value))


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def scratch_database(base_url: str, suffix: str) -> str:
    """A new, empty PostgreSQL database ``<name>_<suffix>`` beside the one ``base_url`` names (dropped first if it
    exists); returns its URL. For tests and benchmarks that must not share a database."""
    url = make_url(normalise_url(base_url))
    name = f"{url.database}_{suffix}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    # Statement parameters carry personal data (names, document numbers, customs codes): they never appear in
    # the text of a database error, which the problem handlers log.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        return _sqlite_engine(url, **kwargs)
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
    # A dead connection is found before use (pre-ping) and an unreachable server within seconds, not minutes:
    # requests then answer 503 (clearway.outage) instead of hanging.
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("connect_args", {"connect_timeout": CONNECT_TIMEOUT_SECONDS})
    # JSON columns through orjson, as COPY writes them (:func:`json_text`); PostgreSQL's json type has refused
    # anything orjson could not read back (NaN, unpaired surrogates) since the first row.
    kwargs.setdefault("json_serializer", json_text)
    kwargs.setdefault("json_deserializer", orjson.loads)
    return create_engine(url, **kwargs)


WRITER_WAIT_SECONDS = 30
CONNECT_TIMEOUT_SECONDS = 5


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    """SQLite for the embedded default: WAL, foreign keys, and one writer at a time.

    Every transaction begins IMMEDIATE (it takes the write lock at once, so it can never fail half-way when
    upgrading a read lock). Threads of this process queue for that lock on a Python lock first: SQLite's own busy
    handler sleeps in steps of up to 100 ms, which would put long pauses into the tail latency."""
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": WRITER_WAIT_SECONDS}, **kwargs
    )
    writer = threading.Lock()

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's events issue BEGIN, not pysqlite
        cursor = dbapi_connection.cursor()
        for pragma in (
            "foreign_keys=ON",
            "journal_mode=WAL",
            "synchronous=NORMAL",
            f"busy_timeout={WRITER_WAIT_SECONDS * 1000}",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin_immediate(conn: Connection) -> None:
        if not writer.acquire(timeout=WRITER_WAIT_SECONDS):
            raise OperationalError("BEGIN IMMEDIATE", None, TimeoutError("the database is busy"))
        conn.info["clearway.writer"] = True
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release(conn.info)
            raise

    def _release(info: dict[str, Any]) -> None:
        if info.pop("clearway.writer", False):
            writer.release()

    def _reset(
        dbapi_connection: DBAPIConnection, connection_record: ConnectionPoolEntry, reset_state: PoolResetState
    ) -> None:
        # A connection returned to the pool without commit or rollback is reset by the pool itself.
        _release(connection_record.info)

    event.listen(engine, "commit", lambda conn: _release(conn.info))
    event.listen(engine, "rollback", lambda conn: _release(conn.info))
    event.listen(engine.pool, "reset", _reset)
    return engine


def _table(clause: FromClause) -> Table:
    """A mapped class's ``__table__`` (typed as any FROM clause) as the table it is."""
    if not isinstance(clause, Table):
        raise TypeError(f"{clause!r} is not a table")
    return clause


# The text of a JSON column written by COPY: orjson, several times faster than the standard encoder over a batch's
# thousands of documents, giving the same JSON as ``json.dumps(value, ensure_ascii=False, default=str)`` (only
# the whitespace differs): values JSON has no type for (Decimal, dates and times, dataclasses) are written as
# ``str`` gives them, non-string keys as strings (``tests/unit/test_json_columns.py``).
_JSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def json_text(value: Any) -> str:
    """A JSON column's text as COPY writes it."""
    return orjson.dumps(value, default=str, option=_JSON_OPTIONS).decode("utf-8")


def bulk_insert(session: Session, clause: FromClause, rows: list[dict[str, Any]]) -> None:
    """Insert many rows without returning anything: COPY on PostgreSQL (an order of magnitude faster than
    multi-row INSERT for thousands of rows), executemany elsewhere. Runs in the session's transaction."""
    if not rows:
        return
    table = _table(clause)
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(table.insert(), rows)
        return
    columns = list(rows[0])
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
    raw = connection.connection.driver_connection
    if raw is None:
        raise RuntimeError("the database connection is closed")
    try:
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            encode = json_text
            as_json = [c in json_columns for c in columns]
            for row in rows:
                copy.write_row(
                    [
                        encode(value) if is_json and value is not None else value
                        for value, is_json in zip(map(row.__getitem__, columns), as_json, strict=True)
                    ]
                )
    except psycopg.errors.IntegrityError as error:  # the same exception the ORM path raises
        raise IntegrityError(f"COPY {table.name}", None, error) from error
    except psycopg.OperationalError as error:  # the connection died under COPY: the pool must drop it
        if raw.closed or raw.broken:
            connection.invalidate(error)
        raise OperationalError(f"COPY {table.name}", None, error, connection_invalidated=True) from error


# Look-ups a transaction may remember in ``session.info`` (a batch reads each tariff line, certificate or setting
# once) use keys starting with this prefix; they are forgotten when the transaction ends, so nothing stale
# outlives it.
MEMO_PREFIX = "memo:"


def _forget_memos(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost transaction, not a savepoint
        for key in [k for k in session.info if isinstance(k, str) and k.startswith(MEMO_PREFIX)]:
            del session.info[key]


def allocate_ids(session: Session, clause: FromClause, count: int) -> list[int]:
    """``count`` fresh primary keys for ``table``, so rows can be built (and refer to each other) before they
    are inserted in bulk. PostgreSQL draws them from the column's sequence; SQLite continues after the largest
    id, which is safe because a SQLite write transaction holds the database's write lock from its start."""
    if count == 0:
        return []
    table = _table(clause)
    if session.get_bind().dialect.name == "postgresql":
        return list(
            session.scalars(
                text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
                {"table": table.name, "n": count},
            )
        )
    start = session.scalar(text(f"SELECT coalesce(max(id), 0) FROM {table.name}")) or 0
    return list(range(start + 1, start + 1 + count))


def one_of(session: Session, column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """``column IN (values)``, sent to PostgreSQL as one array parameter (``column = ANY(:values)``): with one
    parameter per value, a statement naming hundreds of ids costs the driver a parse of its whole text on
    every call (it cannot cache a statement whose text changes with the count)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(list(values))


def row_of(instance: Any) -> dict[str, Any]:
    """A mapped object's column values, for :func:`bulk_insert` (read from the object's own dictionary where
    they are set, as a new object's are: a batch reads thousands)."""
    values = instance.__dict__
    return {
        key: values[key] if key in values else getattr(instance, key)
        for key in _column_keys(instance.__table__)
    }


@functools.cache
def _column_keys(table: Table) -> tuple[str, ...]:
    return tuple(column.key for column in table.columns)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    factory = sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
    event.listen(factory, "after_transaction_end", _forget_memos)
    return factory
