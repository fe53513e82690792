"""Filing many declarations in one transaction, each answered on its own.

Documents are parsed one by one (a bad one gets its own problem), resubmissions are recognised with one query,
and the new declarations are built with ids allocated up front and inserted in bulk (COPY on PostgreSQL), so a
batch costs a handful of round trips instead of a dozen per declaration. The objects a batch returns are not
attached to the session (they were inserted in bulk): read them, do not change them. The filing steps must not raise for an expected problem (they report it in their outcome); an
unexpected failure rolls the whole batch back, so nothing is ever half-stored. If a concurrent request takes one
of the references meanwhile, the batch falls back to filing one at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clearway.audit.service import savepoint
from clearway.clock import korea_date
from clearway.db import allocate_ids, bulk_insert, row_of
from clearway.declaration import repository as repo
from clearway.declaration.content import DeclarationContent
from clearway.declaration.filing import Filing, actor_of, fingerprint, reference_conflict
from clearway.declaration.lifecycle import Action, Party
from clearway.declaration.models import Declaration, DeclarationHold, DeclarationLine, DeclarationVersion
from clearway.declaration.steps import PendingLane
from clearway.declaration.transitions import step
from clearway.errors import ClearwayError
from clearway.gcpause import paused_until_transaction_ends
from clearway.identity.core import Principal
from clearway.party import service as party_service

if TYPE_CHECKING:  # the service is passed in; this module knows its type only (no import cycle)
    from clearway.declaration.service import DeclarationService

Parsed = tuple[int, DeclarationContent, str]  # (index in the batch, content bound to accounts, fingerprint)


@dataclass(frozen=True, slots=True)
class BatchItem:
    index: int
    filing: Filing | None = None
    error: ClearwayError | None = None


def file_batch(
    service: DeclarationService, session: Session, principal: Principal, documents: list[Any]
) -> list[BatchItem]:
    paused_until_transaction_ends(
        session
    )  # a batch's objects live until its commit: no collections meanwhile
    return _file_batch(service, session, principal, documents)


def _file_batch(
    service: DeclarationService, session: Session, principal: Principal, documents: list[Any]
) -> list[BatchItem]:
    service.require_filer(principal)
    assert principal.company_id is not None
    now = service.clock()
    on = korea_date(now)
    results: dict[int, BatchItem] = {}
    firsts: dict[str, Parsed] = {}
    repeats: list[Parsed] = []
    parties: dict[int, int] = {}  # index → the bound importer/exporter company
    own, terms = party_service.filing_terms(session, principal)  # the mandates, loaded once for the batch
    for index, document in enumerate(documents):
        try:
            content, parties[index] = party_service.bind_content(service.parse(document, on), own, terms, on)
        except ClearwayError as error:
            results[index] = BatchItem(index, error=error)
            continue
        entry = (index, content, fingerprint(content))
        (
            repeats.append(entry)
            if content.declarant_reference in firsts
            else firsts.__setitem__(content.declarant_reference, entry)
        )

    existing = repo.by_references(session, principal.company_id, list(firsts))
    current = repo.current_versions(session, [d.id for d in existing.values()])
    fresh: list[Parsed] = []
    for reference, (index, _content, digest) in firsts.items():
        found = existing.get(reference)
        if found is None:
            fresh.append(firsts[reference])
        elif found.content_hash == digest:
            results[index] = BatchItem(index, filing=Filing(found, current[found.id], created=False))
        else:
            results[index] = BatchItem(index, error=reference_conflict(found, reference))

    try:
        with savepoint(session):
            filings = _file_new(service, session, principal, fresh, now, parties)
    except (IntegrityError, ClearwayError):
        # a concurrent filer took a reference, or one declaration cannot be stored: one at a time, so each
        # is answered on its own
        for index, content, digest in fresh:
            try:
                with savepoint(session):
                    filing = service.file_parsed(
                        session, principal, content, digest, now, party_company_id=parties[index]
                    )
                results[index] = BatchItem(index, filing=filing)
            except ClearwayError as error:
                results[index] = BatchItem(index, error=error)
    else:
        for filing, (index, _content, _digest) in zip(filings, fresh, strict=True):
            results[index] = BatchItem(index, filing=filing)

    for index, content, digest in repeats:  # the same reference twice in one batch
        first = results[firsts[content.declarant_reference][0]]
        if first.filing is None:
            results[index] = BatchItem(index, error=first.error)
        elif first.filing.declaration.content_hash == digest:
            results[index] = BatchItem(
                index, filing=Filing(first.filing.declaration, first.filing.version, False)
            )
        else:
            results[index] = BatchItem(
                index, error=reference_conflict(first.filing.declaration, content.declarant_reference)
            )
    session.flush()
    return [results[i] for i in range(len(documents))]


def _file_new(
    service: DeclarationService,
    session: Session,
    principal: Principal,
    fresh: list[Parsed],
    now: datetime,
    parties: dict[int, int],
) -> list[Filing]:
    """Build every new declaration with its version and lines (ids allocated up front), run the filing steps on
    each (the lanes of all at once), then insert the rows in bulk (COPY on PostgreSQL). Rows the steps add to the
    session themselves are flushed after, since they may refer to the declarations."""
    if not fresh:
        return []
    contents = [content for _, content, _ in fresh]
    declaration_ids = allocate_ids(session, Declaration.__table__, len(fresh))
    version_ids = allocate_ids(session, DeclarationVersion.__table__, len(fresh))
    line_ids = iter(allocate_ids(session, DeclarationLine.__table__, sum(len(c.items) for c in contents)))
    service.steps.assessment.prepare(session, contents)
    for advisor in service.steps.advisors:
        advisor.prepare(session, contents)
    actor = actor_of(principal)
    built: list[tuple[Declaration, DeclarationVersion, list[DeclarationLine]]] = []
    pending: list[PendingLane] = []
    for (index, content, digest), declaration_id, version_id in zip(
        fresh, declaration_ids, version_ids, strict=True
    ):
        declaration = service.new_declaration(
            principal, content, digest, now, party_company_id=parties[index]
        )
        declaration.id = declaration_id
        version = repo.version_row(declaration, content, 1, principal.user_id, now)
        version.id = version_id
        lines = repo.line_rows(version, content)
        for line in lines:
            line.id = next(line_ids)
        step(session, declaration, version, Action.FILE, actor=actor, at=now, party=Party.FILER)
        pending.append(service.evaluate(session, declaration, version, lines, content, now))
        built.append((declaration, version, lines))
    selections = service.steps.lane_selector.select_many(session, pending)
    holds = service.holds(session, contents)
    hold_rows: list[dict[str, Any]] = []
    for (declaration, version, _), selection, waiting, held in zip(
        built, selections, pending, holds, strict=True
    ):
        service.conclude(session, declaration, version, selection, waiting.assessment, now, held, hold_rows)
    bulk_insert(session, Declaration.__table__, [row_of(d) for d, _, _ in built])
    bulk_insert(session, DeclarationVersion.__table__, [row_of(v) for _, v, _ in built])
    bulk_insert(session, DeclarationLine.__table__, [row_of(line) for _, _, lines in built for line in lines])
    bulk_insert(session, DeclarationHold.__table__, hold_rows)
    session.flush()
    return [Filing(d, v, created=True) for d, v, _ in built]
