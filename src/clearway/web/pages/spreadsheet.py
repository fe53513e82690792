"""Filing from a spreadsheet: download the template, upload it filled in; every declaration of the workbook is
filed as one batch and answered on its own, each error with its cell (Sheet!A1) beside the JSON pointer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.datastructures import UploadFile

from clearway.audit.service import savepoint
from clearway.errors import ClearwayError, FieldError, ValidationFailed
from clearway.filing.api import MAX_WORKBOOK_BYTES, sheet_response
from clearway.filing.service import file_workbook
from clearway.web.deps import RuntimeDep, SessionDep
from clearway.web.pages.guard import PageRoute, problem_context
from clearway.web.pages.render import field_message, language_of, render
from clearway.web.pages.security import CsrfForm, PagePrincipal

router = APIRouter(route_class=PageRoute, include_in_schema=False)
TEMPLATE_URL = "/static/clearway-declarations.xlsx"


def _page(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    base: dict[str, Any] = {"template_url": TEMPLATE_URL, "problem": None, "rows": [], "answer": None}
    return render(request, "declarations/spreadsheet.html", {**base, **context}, status=status)


def _rows(errors: list[FieldError], lang: str) -> list[dict[str, Any]]:
    return [
        {"cell": e.cell or "", "pointer": e.pointer or "/", "code": e.code, "message": field_message(e, lang)}
        for e in errors
    ]


@router.get("/declarations/spreadsheet")
def spreadsheet_form(request: Request, principal: PagePrincipal, runtime: RuntimeDep) -> Response:
    runtime.declarations.require_filer(principal)
    return _page(request, {})


@router.post("/declarations/spreadsheet")
def upload_spreadsheet(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    runtime.declarations.require_filer(principal)
    lang = language_of(request)
    upload = form.get("workbook")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ValidationFailed(
                "choose the filled-in workbook", errors=[FieldError("", "required", "choose an .xlsx file")]
            )
        data = upload.file.read(MAX_WORKBOOK_BYTES + 1)
        if len(data) > MAX_WORKBOOK_BYTES:
            raise ValidationFailed(
                "the workbook is too large", errors=[FieldError("", "too_large", "at most 8 MB")]
            )
        with savepoint(session):
            results = file_workbook(
                runtime.declarations, session, principal, data, limit=runtime.settings.batch_limit
            )
    except ClearwayError as error:
        return _page(
            request, {**problem_context(error, lang), "rows": _rows(error.errors, lang)}, status=error.status
        )
    answer = sheet_response(results, customs=principal.is_customs, instance="/declarations/spreadsheet")
    shown = []
    for r, result in zip(answer.results, results, strict=True):
        errors = result.error.errors if result.error is not None else []
        shown.append({"result": r, "errors": _rows(errors, lang), "detail": (r.problem or {}).get("detail")})
    return _page(request, {"answer": answer, "results": shown})
