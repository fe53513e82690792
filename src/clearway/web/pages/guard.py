"""Pages never answer with JSON or a bare 500: every failure becomes a readable page.

:class:`PageRoute` wraps each page handler. A missing or expired session sends the browser to the login form; a
:class:`ClearwayError` (not found, forbidden, invalid fields, illegal step …) renders ``error.html`` with its
title, detail and field errors and the error's own status; request-validation errors (a bad path or query
value) are rendered the same way. Only a genuinely unexpected failure gives a 500 — still as a page, and logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from clearway.declaration.validation import pointer
from clearway.errors import ClearwayError, FieldError, ValidationFailed
from clearway.outage import database_problem
from clearway.web.deps import SESSION_COOKIE
from clearway.web.i18n import translator
from clearway.web.pages.render import language_of, local_path, problem_detail, redirect, render, with_query
from clearway.web.pages.security import CsrfRejected, LoginRequired
from clearway.web.problems import mark_lost_connection

log = logging.getLogger("clearway.web.pages")


def problem_title(error: ClearwayError, lang: str) -> str:
    t = translator(lang)
    key = f"problem.{error.type}"
    return t(key) if t.has(key) else error.title


def error_page(request: Request, error: ClearwayError) -> Response:
    lang = language_of(request)
    t = translator(lang)
    detail = t("problem.csrf.detail") if isinstance(error, CsrfRejected) else problem_detail(error, lang)
    back = request.headers.get("referer") if request.method == "GET" else None
    return render(
        request,
        "error.html",
        {
            "status": error.status,
            "title": problem_title(error, lang),
            "detail": detail,
            "errors": error.errors,
            "back": local_path(_same_site_path(request, back), default=""),
        },
        status=error.status,
    )


def _same_site_path(request: Request, url: str | None) -> str | None:
    base = str(request.base_url)
    if url and url.startswith(base):
        return "/" + url[len(base) :]
    return None


def validation_error(exc: RequestValidationError) -> ValidationFailed:
    errors = []
    for e in exc.errors():
        loc = tuple(e.get("loc", ()))
        where, rest = (loc[0], loc[1:]) if loc else ("body", ())
        errors.append(
            FieldError(f"/{where}" + pointer(rest), e.get("type", "invalid"), e.get("msg", "invalid"))
        )
    return ValidationFailed(f"{len(errors)} invalid value(s) in the address or form", errors=errors)


class PageNotFound(ClearwayError):
    type = "page-not-found"
    title = "There is no such page"
    status = 404


class BadRequest(ClearwayError):
    type = "bad-request"
    title = "The request could not be read"
    status = 400


class InternalError(ClearwayError):
    type = "internal"
    title = "Internal error"
    status = 500


def _http_error(exc: StarletteHTTPException) -> ClearwayError:
    detail = exc.detail if isinstance(exc.detail, str) else ""
    if exc.status_code == 404:
        return PageNotFound(detail)
    error = BadRequest(detail)
    error.status = exc.status_code  # type: ignore[misc]
    return error


def to_login(request: Request, clear_cookie: bool) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    next_path = target if request.method == "GET" and request.url.path != "/" else None
    response = redirect(request, with_query("/login", {"next": next_path}))
    if clear_cookie:
        response.delete_cookie(SESSION_COOKIE, path="/")
    return response


class PageRoute(APIRoute):
    """An API route whose failures are rendered as pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired as signal:
                return to_login(request, signal.clear_cookie)
            except ClearwayError as error:
                return error_page(request, error)
            except RequestValidationError as exc:
                return error_page(request, validation_error(exc))
            except StarletteHTTPException as exc:
                return error_page(request, _http_error(exc))
            except Exception as exc:
                problem = database_problem(exc)
                if problem is not None:
                    log.error("database unavailable on %s: %s", request.url.path, exc)
                    mark_lost_connection(request, problem)
                    return error_page(request, problem)
                log.exception("unexpected error on page %s", request.url.path)
                return error_page(request, _internal(language_of(request)))

        return guarded


def _internal(lang: str) -> ClearwayError:
    return InternalError(translator(lang)("problem.internal.detail"))


def problem_context(error: ClearwayError, lang: str) -> dict[str, Any]:
    """Template values for an error shown inside a page (a form that failed)."""
    return {
        "problem": {
            "title": problem_title(error, lang),
            "detail": problem_detail(error, lang),
            "errors": error.errors,
            "status": error.status,
        }
    }


def form_page_context(
    request: Request,
    context: dict[str, Any],
    *,
    error: ClearwayError | None,
    form_name: str | None,
    values: dict[str, str] | None,
) -> dict[str, Any]:
    """The values of a page of forms: its notice, or the problem beside the form named ``form_name`` that
    failed, with that form's values and field errors."""
    shown = {
        "notice": request.query_params.get("notice"),
        "failed_form": form_name if error else None,
        "values": values or {},
        "problem": None,
        "field_errors": {},
        **context,
    }
    if error is not None:
        shown.update(
            problem_context(error, language_of(request)),
            notice=None,
            field_errors={e.pointer: e for e in error.errors},
        )
    return shown
