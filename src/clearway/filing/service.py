"""Filing from the other channels (shell): translate, then file through the declaration service's batch path,
so validation, idempotency, risk and audit are exactly those of a JSON filing; map each error back to the place
in the sender's file."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from clearway.declaration import batch
from clearway.declaration.schemas import declaration_number
from clearway.declaration.service import DeclarationService
from clearway.errors import ClearwayError
from clearway.filing import cusdec, cusres
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
