"""A read whose database connection was lost is tried once more; a write is answered 503 for the client to retry."""

from __future__ import annotations

import psycopg
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from clearway.web import problems
from clearway.web.retry import RetryReadsOnce


def _app(failures: int) -> tuple[FastAPI, list[str]]:
    calls: list[str] = []
    app = FastAPI()
    problems.install(app)
    app.add_middleware(RetryReadsOnce)

    def answer(method: str) -> dict[str, int]:
        calls.append(method)
        if len(calls) <= failures:
            raise OperationalError("SELECT", None, psycopg.OperationalError("server closed the connection"))
        return {"calls": len(calls)}

    app.get("/thing")(lambda: answer("GET"))
    app.post("/thing")(lambda: answer("POST"))
    return app, calls


def test_a_read_that_lost_its_connection_is_answered_by_the_second_try():
    app, calls = _app(failures=1)
    response = TestClient(app).get("/thing")
    assert response.status_code == 200 and response.json() == {"calls": 2}
    assert calls == ["GET", "GET"]


def test_a_read_is_tried_only_once_more():
    app, calls = _app(failures=5)
    response = TestClient(app).get("/thing")
    assert response.status_code == 503 and response.headers["retry-after"] == "1"
    assert calls == ["GET", "GET"]


def test_a_write_is_never_repeated_by_the_server():
    app, calls = _app(failures=1)
    response = TestClient(app).post("/thing")
    assert response.status_code == 503 and response.headers["content-type"].startswith("application/problem")
    assert calls == ["POST"]
