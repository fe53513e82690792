"""Filing from the other channels (shell): translate, then file through the declaration service's batch path,
so validation, idempotency, risk and audit are exactly those of a JSON filing; map each error back to the place
in the sender's file."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from python_calamine import CalamineWorkbook
from sqlalchemy.orm import Session

from clearway.declaration import batch
from clearway.declaration.schemas import declaration_number
from clearway.declaration.service import DeclarationService, Filing
from clearway.errors import ClearwayError, FieldError, ValidationFailed
from clearway.filing import cusdec, cusres, sheet
from clearway.filing.cusdec import MessageError, Place
from clearway.identity.core import Principal


@dataclass
class Answered:
    outcomes: list[cusres.Outcome]
    cusres: str

    @property
    def accepted(self) -> int:
        return sum(o.accepted for o in self.outcomes)

    @property
    def rejected(self) -> int:
        return sum(not o.accepted for o in self.outcomes)


def located_errors(answer: cusdec.CusdecAnswer, error: ClearwayError) -> list[MessageError]:
    if not error.errors:
        return [MessageError(Place(2, "BGM"), str(error.extra.get("code", error.type)), error.detail)]
    return [MessageError(answer.place_of(e.pointer), e.code, e.message, e.pointer) for e in error.errors]


def answer_cusdec(service: DeclarationService, session: Session, principal: Principal, text: str) -> Answered:
    """Every CUSDEC message filed (in one batch) or rejected, and the CUSRES that says so."""
    parsed = cusdec.parse_interchange(text)
    sound = [a for a in parsed.answers if a.document is not None]
    filed = batch.file_batch(service, session, principal, [a.document for a in sound]) if sound else []
    results = {id(a): item for a, item in zip(sound, filed, strict=True)}
    outcomes = []
    for answer in parsed.answers:
        reference = answer.declarant_reference
        item = results.get(id(answer))
        if item is None:
            outcomes.append(cusres.Outcome(answer.reference, reference, False, errors=answer.errors))
        elif item.filing is not None:
            f = item.filing
            outcomes.append(
                cusres.Outcome(
                    answer.reference,
                    f.declaration.declarant_reference,
                    True,
                    number=declaration_number(f.declaration),
                    lane=f.version.lane,
                    replayed=not f.created,
                )
            )
        else:
            assert item.error is not None
            outcomes.append(
                cusres.Outcome(answer.reference, reference, False, errors=located_errors(answer, item.error))
            )
    text_out = cusres.response(outcomes, recipient=parsed.sender, control=parsed.control, now=service.clock())
    return Answered(outcomes, text_out)


# ---- spreadsheets -------------------------------------------------------------------------------------------
MAX_SHEET_ROWS = 10_000


@dataclass
class SheetResult:
    reference: str
    row: int  # the declaration's row in the Header sheet
    filing: Filing | None = None
    error: ClearwayError | None = None

    @property
    def status(self) -> int:
        if self.filing is not None:
            return 201 if self.filing.created else 200
        assert self.error is not None
        return self.error.status


def read_xlsx(data: bytes) -> dict[str, list[list[Any]]]:
    """The sheets of an .xlsx (or .xls/.ods) workbook as rows of cell values."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = {}
        for name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            if len(rows) > MAX_SHEET_ROWS:
                raise ValidationFailed(
                    f"the sheet {name} has more than {MAX_SHEET_ROWS} rows",
                    errors=[FieldError("", "too_many", f"{len(rows)} rows", f"{name}!A1")],
                )
            sheets[name] = rows
        return sheets
    except ValidationFailed:
        raise
    except Exception as exc:  # calamine raises its own errors for anything that is not a workbook
        raise ValidationFailed(
            "the file is not a spreadsheet workbook",
            errors=[
                FieldError("", "not_a_spreadsheet", f"send the .xlsx template filled in ({str(exc)[:120]})")
            ],
        ) from None


def _with_cells(found: sheet.SheetDeclaration, error: ClearwayError) -> ClearwayError:
    errors = [FieldError(e.pointer, e.code, e.message, found.cell_of(e.pointer)) for e in error.errors] or [
        FieldError("", str(error.extra.get("code", error.type)), error.detail, f"{sheet.HEADER}!A{found.row}")
    ]
    located = type(error)(error.detail, errors=errors, **error.extra)
    return located


def file_workbook(
    service: DeclarationService, session: Session, principal: Principal, data: bytes, *, limit: int
) -> list[SheetResult]:
    """Every declaration of the workbook filed in one batch, each answered on its own with its errors' cells;
    a workbook that does not follow the template is refused whole."""
    workbook = sheet.read_workbook(read_xlsx(data))
    if workbook.errors:
        raise ValidationFailed("the workbook does not follow the template", errors=workbook.errors)
    if not workbook.declarations:
        raise ValidationFailed(
            "the workbook has no declaration",
            errors=[FieldError("", "required", "fill in a Header row from row 3", f"{sheet.HEADER}!A3")],
        )
    if len(workbook.declarations) > limit:
        raise ValidationFailed(
            f"at most {limit} declarations per workbook",
            errors=[
                FieldError("", "too_many", f"{len(workbook.declarations)} > {limit}", f"{sheet.HEADER}!A3")
            ],
        )
    items = batch.file_batch(service, session, principal, [d.document for d in workbook.declarations])
    return [
        SheetResult(
            found.reference,
            found.row,
            item.filing,
            None if item.error is None else _with_cells(found, item.error),
        )
        for found, item in zip(workbook.declarations, items, strict=True)
    ]
