"""RFC 9457 problem details for every error the HTTP API returns."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from clearway.declaration.validation import pointer
from clearway.errors import (
    ClearwayError,
    FieldError,
    MethodNotAllowed,
    NotFound,
    ValidationFailed,
)
from clearway.outage import database_problem
from clearway.web.retry import LOST_CONNECTION

log = logging.getLogger("clearway.web")
PROBLEM_JSON = "application/problem+json"


def problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=body["status"], media_type=PROBLEM_JSON, headers=headers)


HtmlRenderer = Callable[[Request, ClearwayError], Response]


def wants_html(request: Request) -> bool:
    """A browser asking for a page (not the API): show the error as a page, not as JSON."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def error_response(error: ClearwayError, request: Request) -> Response:
    html: HtmlRenderer | None = getattr(request.app.state, "html_errors", None)
    if html is not None and wants_html(request):
        return html(request, error)
    headers = {"WWW-Authenticate": 'Bearer realm="clearway"'} if error.status == 401 else None
    if "retry_after_seconds" in error.extra:
        headers = {"Retry-After": str(error.extra["retry_after_seconds"])}
    return problem_response(error.to_problem(instance=request.url.path), headers)


def _request_validation(request: Request, exc: RequestValidationError) -> Response:
    errors = []
    for e in exc.errors():
        loc = tuple(e.get("loc", ()))
        where, rest = (loc[0], loc[1:]) if loc else ("body", ())
        if e.get("type") == "json_invalid":
            body = {
                "type": "https://clearway.dev/problems/malformed-json",
                "title": "The request body is not valid JSON",
                "status": 400,
                "detail": f"JSON syntax error: {e.get('ctx', {}).get('error', e.get('msg'))}",
                "instance": request.url.path,
            }
            return problem_response(body)
        prefix = "" if where == "body" else f"/{where}"
        errors.append(FieldError(prefix + pointer(rest), e.get("type", "invalid"), e.get("msg", "invalid")))
    return error_response(ValidationFailed(f"{len(errors)} invalid field(s)", errors=errors), request)


def _http_exception(request: Request, exc: StarletteHTTPException) -> Response:
    status = HTTPStatus(exc.status_code)
    if (
        exc.status_code in (404, 405)
        and getattr(request.app.state, "html_errors", None)
        and wants_html(request)
    ):
        return error_response(
            NotFound("there is no such page")
            if exc.status_code == 404
            else MethodNotAllowed(f"{request.method} is not used here"),
            request,
        )
    body = {
        "type": "about:blank",
        "title": status.phrase,
        "status": exc.status_code,
        "detail": exc.detail if isinstance(exc.detail, str) else status.description,
        "instance": request.url.path,
    }
    return problem_response(body, getattr(exc, "headers", None))


def _database_error(request: Request, exc: Exception) -> Response:
    """A database outage (dropped connection, unreachable, busy, read-only) is a 503 and a full database a
    507, each with Retry-After and the cause named; any other database error is a bug (500)."""
    problem = database_problem(exc)
    if problem is None:
        return _unexpected(request, exc)
    log.error("database unavailable on %s: %s", request.url.path, exc)
    mark_lost_connection(request, problem)
    return error_response(problem, request)


def mark_lost_connection(request: Request, problem: ClearwayError) -> None:
    """A lost or unreachable connection (no named cause): the request's state says so, and a read is tried once
    more by :class:`clearway.web.retry.RetryReadsOnce`."""
    if "cause" not in problem.extra:
        request.scope.setdefault("state", {})[LOST_CONNECTION] = True


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unexpected error on %s", request.url.path, exc_info=exc)
    body = {
        "type": "https://clearway.dev/problems/internal-error",
        "title": "Internal error",
        "status": 500,
        "detail": "an unexpected error occurred; it has been logged",
        "instance": request.url.path,
    }
    return problem_response(body)


def install(app: FastAPI, html: HtmlRenderer | None = None) -> None:
    """Render errors as problem+json; with ``html``, browsers asking for pages get an HTML page instead."""
    app.state.html_errors = html
    app.add_exception_handler(ClearwayError, lambda r, e: error_response(e, r))
    app.add_exception_handler(RequestValidationError, _request_validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_exception)  # type: ignore[arg-type]
    for database_error in (SQLAlchemyError, psycopg.Error, sqlite3.Error):
        app.add_exception_handler(database_error, _database_error)
    app.add_exception_handler(Exception, _unexpected)


_PROBLEM_CONTENT = {"content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
# Declared on every router, so the OpenAPI document names each error a client can get.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"description": text, **_PROBLEM_CONTENT}
    for code, text in {
        400: "Malformed JSON",
        401: "No or invalid credential",
        403: "Not allowed for this role or scope",
        404: "Not found (or not yours)",
        409: "Conflicts with the current state or an earlier submission",
        413: "Body too large",
        422: "Invalid fields, each with a JSON pointer and a reason code",
        429: "Too many attempts; retry after the time given (Retry-After)",
        503: "A required part (the database) is not reachable; retry after the time given (Retry-After)",
        507: "The database is full; nothing was stored",
    }.items()
}


def problem_schema() -> dict[str, Any]:
    """The OpenAPI description of a problem body, referenced by every error response."""
    return {
        "type": "object",
        "required": ["type", "title", "status"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "instance": {"type": "string"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "pointer": {"type": "string", "description": "JSON pointer into the request body"},
                        "code": {"type": "string"},
                        "message": {"type": "string"},
                        "cell": {
                            "type": "string",
                            "description": "For a spreadsheet upload: the cell (Sheet!A1) the field came from",
                        },
                    },
                },
            },
        },
    }
