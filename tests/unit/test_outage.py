"""Which database errors are an outage (503), a full database (507) or a bug (None: 500)."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
from sqlalchemy.exc import IntegrityError, OperationalError, PendingRollbackError, ProgrammingError

from clearway.errors import DatabaseUnavailable, InsufficientStorage
from clearway.outage import database_problem


def _sqlite(message: str, code: int) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code  # type: ignore[attr-defined]
    return error


def test_a_full_sqlite_file_is_507_naming_it():
    problem = database_problem(OperationalError("INSERT", None, _sqlite("database or disk is full", 13)))
    assert isinstance(problem, InsufficientStorage) and problem.status == 507
    assert problem.extra["cause"] == "database_full" and problem.extra["retry_after_seconds"] > 0


def test_a_read_only_sqlite_file_is_503_naming_it():
    error = OperationalError("INSERT", None, _sqlite("attempt to write a readonly database", 8))
    problem = database_problem(error)
    assert isinstance(problem, DatabaseUnavailable) and problem.extra["cause"] == "database_read_only"


def test_a_dropped_postgresql_connection_is_503_with_a_short_retry():
    error = OperationalError("SELECT 1", None, psycopg.OperationalError("server closed the connection"))
    problem = database_problem(error)
    assert isinstance(problem, DatabaseUnavailable) and problem.extra["retry_after_seconds"] == 1
    assert database_problem(psycopg.OperationalError("consuming input failed")) is not None


def test_the_invalid_transaction_left_by_a_lost_connection_is_an_outage():
    try:
        try:
            raise OperationalError("COPY", None, psycopg.OperationalError("terminating connection"))
        except OperationalError as lost:
            message = "Can't reconnect until invalid savepoint transaction is rolled back"
            raise PendingRollbackError(message) from lost
    except PendingRollbackError as chained:
        assert isinstance(database_problem(chained), DatabaseUnavailable)
    alone = PendingRollbackError("Can't reconnect until invalid transaction is rolled back")
    assert isinstance(database_problem(alone), DatabaseUnavailable)


def test_a_named_cause_deeper_in_the_chain_wins_over_a_generic_one():
    try:
        try:
            raise OperationalError("INSERT", None, _sqlite("database or disk is full", 13))
        except OperationalError as full:
            raise OperationalError("ROLLBACK TO SAVEPOINT", None, _sqlite("no such savepoint", 1)) from full
    except OperationalError as chained:
        assert isinstance(database_problem(chained), InsufficientStorage)


@pytest.mark.parametrize(
    "error",
    [
        IntegrityError("INSERT", None, psycopg.errors.UniqueViolation("duplicate")),
        ProgrammingError("SELECT", None, psycopg.errors.UndefinedColumn("no such column")),
        ValueError("not a database error"),
        PendingRollbackError("This Session's transaction has been rolled back due to a previous exception"),
    ],
)
def test_bugs_are_not_called_outages(error):
    assert database_problem(error) is None
