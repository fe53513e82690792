"""Filing, amending, cancelling and reading declarations: load → decide in the pure core → save → record.

Every function runs inside the caller's unit of work and flushes; the boundary commits. Filing runs the
pluggable steps (assessment, advice, lane selection) in the same transaction, so a declaration is never stored
half-processed. Batches take the bulk path in :mod:`clearway.declaration.batch`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clearway import __version__ as clearway_version
from clearway.audit.service import Actor, savepoint
from clearway.clock import Clock, korea_date, utcnow
from clearway.declaration import batch, decisions, release_study, requests
from clearway.declaration import holds as declaration_holds
from clearway.declaration import repository as repo
from clearway.declaration.access import may_change, may_see
from clearway.declaration.batch import BatchItem
from clearway.declaration.content import DeclarationContent, DeclarationKind
from clearway.declaration.decisions import Decision
from clearway.declaration.filing import Filing, actor_of, fingerprint, reference_conflict
from clearway.declaration.lifecycle import (
    Action,
    Lane,
    Party,
    follow_up_for_lane,
    higher_lane,
    needs_approval,
    successor,
)
from clearway.declaration.models import Declaration, DeclarationLine, DeclarationVersion, IdempotencyKey
from clearway.declaration.schemas import declaration_number
from clearway.declaration.steps import (
    Advice,
    AssessmentOutcome,
    FilingContext,
    FilingSteps,
    Hold,
    LaneSelection,
    PendingLane,
)
from clearway.declaration.transitions import case_of, step
from clearway.declaration.validation import parse_declaration
from clearway.errors import Conflict, FieldError, Forbidden, NotFound, PreconditionRequired, ValidationFailed
from clearway.identity.core import COMPANY_ROLES, Principal, Scope
from clearway.party import service as parties
from clearway.receipts import core as receipts
from clearway.tariff.nomenclature import Nomenclature

SYSTEM = Actor("system")


@dataclass(frozen=True, slots=True)
class Preview:
    content: DeclarationContent
    assessment: AssessmentOutcome
    advice: list[Advice]


def effective_lane(
    selection: LaneSelection, assessment: AssessmentOutcome
) -> tuple[Lane, list[dict[str, Any]]]:
    """A declaration whose duty could not be assessed is never released unchecked: green or blue become
    yellow (document check) so an officer settles the figures."""
    if not assessment.can_assess and selection.lane in (Lane.GREEN, Lane.BLUE):
        return Lane.YELLOW, [
            *selection.reasons,
            {"kind": "assessment", "message": "duties could not be fully assessed; an officer must check"},
        ]
    return selection.lane, selection.reasons


@dataclass
class DeclarationService:
    steps: FilingSteps
    nomenclature: Nomenclature
    clock: Clock = utcnow
    receipt_key: receipts.SigningKey | None = None  # signs each version's decision receipt (None: not signed)

    def parse(self, document: Any, on: date) -> DeclarationContent:
        return parse_declaration(document, nomenclature=self.nomenclature, on=on)

    def check(
        self, principal: Principal, document: Any, *, on: date | None = None, session: Session | None = None
    ) -> DeclarationContent:
        """Validate as filing would (on ``on``, default today), without storing anything; with a ``session``
        the parties are bound to accounts as filing binds them."""
        self.require_filer(principal)
        day = on or korea_date(self.clock())
        content = self.parse(document, day)
        return content if session is None else self.bind(session, principal, content, day)[0]

    def bind(
        self, session: Session, principal: Principal, content: DeclarationContent, day: date
    ) -> tuple[DeclarationContent, int]:
        """Declarant = the signed-in company; importer/exporter = itself (trader) or a mandated client
        (broker)."""
        own, terms = parties.filing_terms(session, principal)
        return parties.bind_content(content, own, terms, day)

    def preview(self, session: Session, principal: Principal, document: Any) -> Preview:
        """Check without filing: validation, the duty estimate and every warning, nothing stored. The lane is
        not previewed (a filer must not be able to try declarations against risk selection)."""
        on = korea_date(self.clock())
        content = self.check(principal, document, on=on, session=session)
        context = FilingContext(0, 0, on, principal.company_id)
        assessment = self.steps.assessment.assess(session, content, context)
        advice = [a for advisor in self.steps.advisors for a in advisor.advise(session, content, context)]
        return Preview(content, assessment, advice)

    # ---- filing -------------------------------------------------------------------------------------
    def file(
        self, session: Session, principal: Principal, document: Any, *, idempotency_key: str | None = None
    ) -> Filing:
        self.require_filer(principal)
        now = self.clock()
        content, party = self.bind(session, principal, self.parse(document, korea_date(now)), korea_date(now))
        return self.file_parsed(
            session, principal, content, fingerprint(content), now, idempotency_key, party_company_id=party
        )

    def file_parsed(
        self,
        session: Session,
        principal: Principal,
        content: DeclarationContent,
        digest: str,
        now: datetime,
        idempotency_key: str | None = None,
        *,
        party_company_id: int | None = None,
    ) -> Filing:
        replay = self.replay(session, principal, content, digest, idempotency_key)
        if replay is not None:
            return replay
        try:
            with savepoint(session):
                declaration = self.new_declaration(
                    principal, content, digest, now, party_company_id=party_company_id
                )
                repo.add(session, declaration)
                session.flush()
                if idempotency_key:
                    repo.add(
                        session,
                        IdempotencyKey(
                            company_id=principal.company_id,
                            key=idempotency_key,
                            request_hash=digest,
                            declaration_id=declaration.id,
                            created_at=now,
                        ),
                    )
                version, lines = self.new_version(session, declaration, content, 1, principal.user_id, now)
                session.flush()
        except IntegrityError:
            # Another request filed the same reference or key first and committed; answer with its result.
            replay = self.replay(session, principal, content, digest, idempotency_key)
            if replay is None:
                raise
            return replay
        step(session, declaration, version, Action.FILE, actor=actor_of(principal), at=now, party=Party.FILER)
        self.process(session, declaration, version, lines, content, now)
        session.flush()
        return Filing(declaration, version, created=True)

    def replay(
        self,
        session: Session,
        principal: Principal,
        content: DeclarationContent,
        digest: str,
        idempotency_key: str | None,
    ) -> Filing | None:
        """The earlier filing this submission repeats, if any; a conflict if it repeats a key or reference
        with different content."""
        company = principal.company_id
        assert company is not None
        if idempotency_key:
            key = repo.idempotency_key(session, company, idempotency_key)
            if key is not None:
                if key.request_hash != digest:
                    raise Conflict(
                        "this Idempotency-Key was used for a different declaration",
                        declaration_id=key.declaration_id,
                    )
                return self.filing_of(session, key.declaration_id)
        existing = repo.by_reference(session, company, content.declarant_reference)
        if existing is None:
            return None
        if existing.content_hash != digest:
            raise reference_conflict(existing, content.declarant_reference)
        return self.filing_of(session, existing.id)

    def filing_of(self, session: Session, declaration_id: int) -> Filing:
        declaration = repo.get(session, declaration_id)
        assert declaration is not None
        version = repo.version(session, declaration_id, declaration.current_version)
        assert version is not None
        return Filing(declaration, version, created=False)

    def new_declaration(
        self,
        principal: Principal,
        content: DeclarationContent,
        digest: str,
        now: datetime,
        *,
        party_company_id: int | None = None,
    ) -> Declaration:
        party = content.importer if content.kind is DeclarationKind.IMPORT else content.exporter
        return Declaration(
            kind=content.kind.value,
            filer_company_id=principal.company_id,
            filer_user_id=principal.user_id,
            declarant_reference=content.declarant_reference,
            content_hash=digest,
            current_version=1,
            status="draft",
            lane=None,
            importer_name=party.name if party else None,
            importer_brn=party.brn.replace("-", "") if party and party.brn else None,
            party_company_id=party_company_id,
            customs_office=content.consignment.customs_office,
            arrival_date=content.consignment.arrival_date,
            filed_on=korea_date(now),
            filed_at=now,
            updated_at=now,
        )

    def new_version(
        self,
        session: Session,
        declaration: Declaration,
        content: DeclarationContent,
        number: int,
        user_id: int,
        now: datetime,
        reason: str | None = None,
    ) -> tuple[DeclarationVersion, list[DeclarationLine]]:
        """A version and its lines, added to the session (the version is flushed for its id)."""
        version = repo.version_row(declaration, content, number, user_id, now, reason)
        repo.add(session, version)
        session.flush()
        lines = repo.line_rows(version, content)
        repo.add(session, *lines)
        return version, lines

    def process(
        self,
        session: Session,
        declaration: Declaration,
        version: DeclarationVersion,
        lines: list[DeclarationLine],
        content: DeclarationContent,
        now: datetime,
    ) -> None:
        """Assessment → advice → lane → the lane's follow-up, each step an event. Does not flush."""
        pending = self.evaluate(session, declaration, version, lines, content, now)
        selection = self.steps.lane_selector.select(
            session, content, pending.context, pending.assessment, pending.advice
        )
        self.conclude(
            session,
            declaration,
            version,
            selection,
            pending.assessment,
            now,
            self.holds(session, [content])[0],
        )

    def holds(self, session: Session, contents: list[DeclarationContent]) -> list[list[Hold]]:
        """What each declaration must wait for (every hold check, one call each for the whole list)."""
        out: list[list[Hold]] = [[] for _ in contents]
        for check in self.steps.hold_checks:
            for mine, found in zip(out, check.holds(session, contents), strict=True):
                mine.extend(found)
        return out

    def evaluate(
        self,
        session: Session,
        declaration: Declaration,
        version: DeclarationVersion,
        lines: list[DeclarationLine],
        content: DeclarationContent,
        now: datetime,
    ) -> PendingLane:
        """Assessment and advice (the first half of :meth:`process`; a batch selects its lanes at once)."""
        context = FilingContext(
            declaration.id, version.version, declaration.filed_on, declaration.filer_company_id
        )
        outcome = self.steps.assessment.assess(session, content, context)
        too_large = unstorable_amounts(content, outcome)
        if too_large:
            raise ValidationFailed("the assessed amounts are too large to be stored", errors=too_large)
        version.assessment = outcome.as_dict()
        declaration.total_due_krw = outcome.total_due_krw
        store_line_figures(lines, outcome)
        step(
            session,
            declaration,
            version,
            Action.ASSESS,
            actor=SYSTEM,
            at=now,
            data={
                "method": outcome.method,
                "placeholder": outcome.placeholder,
                "can_assess": outcome.can_assess,
                "total_due_krw": None if outcome.total_due_krw is None else str(outcome.total_due_krw),
            },
        )
        advice = [a for advisor in self.steps.advisors for a in advisor.advise(session, content, context)]
        version.advice = [a.as_dict() for a in advice]
        return PendingLane(content, context, outcome, advice)

    def conclude(
        self,
        session: Session,
        declaration: Declaration,
        version: DeclarationVersion,
        selection: LaneSelection,
        outcome: AssessmentOutcome,
        now: datetime,
        holds: Sequence[Hold] = (),
        hold_rows: list[dict[str, Any]] | None = None,
    ) -> None:
        """The lane and its follow-up (the second half of :meth:`process`). A new version carries the old
        version's lane as its floor: re-selection after an amendment never lowers it. ``holds`` are placed
        after the lane (which they never change); while one stands, the automatic acceptance of a green or blue
        lane waits for it to be lifted (:mod:`clearway.declaration.holds`). With ``hold_rows`` the hold rows are
        collected there for the caller to insert in bulk (the batch path)."""
        lane, reasons = effective_lane(selection, outcome)
        floor = Lane(version.lane) if version.lane else None
        if higher_lane(floor, lane) is not lane:
            assert floor is not None
            reasons = [
                *reasons,
                {
                    "kind": "floor",
                    "message": f"amended after selection: the lane stays {floor.value}, as selected before",
                },
            ]
            lane = floor
        version.lane_selection = {**selection.as_dict(), "lane": lane.value, "reasons": reasons}
        version.receipt = decision_receipt(
            declaration, version, outcome, selection, lane, now, self.receipt_key
        )
        step(
            session,
            declaration,
            version,
            Action.ASSIGN_LANE,
            actor=SYSTEM,
            at=now,
            lane=lane,
            data={
                "lane": lane.value,
                "method": selection.method,
                "placeholder": selection.placeholder,
                "score": selection.score,
                "reasons": reasons,
            },
        )
        follow_up = follow_up_for_lane(lane)
        if holds:
            declaration_holds.place(session, declaration, version, holds, at=now, rows=hold_rows)
            if follow_up is Action.ACCEPT:
                return
        step(
            session,
            declaration,
            version,
            follow_up,
            actor=SYSTEM,
            at=now,
            reason="automatic acceptance (전자수리) in the green or blue lane"
            if follow_up is Action.ACCEPT
            else None,
        )

    # ---- amendment and cancellation ------------------------------------------------------------------
    def amend(
        self,
        session: Session,
        principal: Principal,
        declaration_id: int,
        document: Any,
        *,
        reason: str,
        base_version: int | None = None,
    ) -> Filing:
        """Amend (정정). ``base_version`` (the version the filer corrected) must still be current, else 409: two
        filers amending from the same version do not silently overwrite each other. Before selection for a
        check the new version is filed at once; after it, the amendment becomes a request an officer grants or
        refuses (``created`` is then False and the version is the unchanged current one)."""
        self.require_filer(principal)
        declaration = self.owned(session, principal, declaration_id, for_update=True)
        if base_version is None:
            raise PreconditionRequired(
                'say which version you amend: If-Match: "<version>" or base_version',
                errors=[FieldError("/base_version", "required", "the version you corrected")],
            )
        if base_version != declaration.current_version:
            raise Conflict(
                f"the declaration is at version {declaration.current_version}, not "
                f"{base_version}: it changed since you read it; reload and amend the current "
                "version",
                current_version=declaration.current_version,
            )
        old = repo.version(session, declaration.id, declaration.current_version)
        assert old is not None
        now = self.clock()
        # 정정: the declaration keeps its date (관세법 제16조: taxed as at the time of the import declaration).
        content, party = self.bind(
            session, principal, self.parse(document, declaration.filed_on), declaration.filed_on
        )
        declaration.party_company_id = party
        if content.declarant_reference != declaration.declarant_reference:
            raise ValidationFailed(
                "an amendment keeps the declarant reference",
                errors=[
                    FieldError(
                        "/declarant_reference",
                        "must_not_change",
                        f"must stay {declaration.declarant_reference}",
                    )
                ],
            )
        if needs_approval(case_of(session, declaration, old)):
            requests.ask(
                session,
                declaration,
                old,
                principal,
                Action.REQUEST_AMENDMENT,
                reason=reason,
                document=content.model_dump(mode="json"),
                now=now,
            )
            session.flush()
            return Filing(declaration, old, created=False)
        version = self.amended(
            session,
            declaration,
            old,
            content,
            actor=actor_of(principal),
            party=Party.FILER,
            user_id=principal.user_id,
            reason=reason,
            now=now,
        )
        return Filing(declaration, version, created=True)

    def amended(
        self,
        session: Session,
        declaration: Declaration,
        old: DeclarationVersion,
        content: DeclarationContent,
        *,
        actor: Actor,
        party: Party,
        user_id: int,
        reason: str,
        now: datetime,
        data: dict[str, Any] | None = None,
        ex_officio: bool = False,
    ) -> DeclarationVersion:
        """File ``content`` as the next version (the old one ends as amended) and process it; the new version
        starts from the old one's lane, so re-selection can raise it but never lower it. ``ex_officio``: an
        officer's correction of his own motion (직권경정), without a filer's request."""
        step(
            session,
            declaration,
            old,
            Action.AMEND,
            actor=actor,
            at=now,
            party=party,
            reason=reason,
            data={
                "new_version": old.version + 1,
                **(data or {}),
                **({"ex_officio": True} if ex_officio else {}),
            },
            override=ex_officio and party is Party.OFFICER,
        )
        declaration.current_version = old.version + 1
        declaration.arrival_date = content.consignment.arrival_date
        version, lines = self.new_version(
            session, declaration, content, old.version + 1, user_id, now, reason
        )
        floor = successor(case_of(session, declaration, old)).lane
        version.lane = floor.value if floor else None
        step(
            session,
            declaration,
            version,
            Action.FILE,
            actor=actor,
            at=now,
            party=party,
            reason=f"amendment: {reason}",
            data={"granted": True} if party is Party.OFFICER else None,
        )
        self.process(session, declaration, version, lines, content, now)
        session.flush()
        return version

    def cancel(self, session: Session, principal: Principal, declaration_id: int, *, reason: str) -> Filing:
        """Withdraw (취하); after selection for a check, a request an officer grants or refuses."""
        self.require_filer(principal)
        declaration = self.owned(session, principal, declaration_id, for_update=True)
        version = repo.version(session, declaration.id, declaration.current_version)
        assert version is not None
        now = self.clock()
        if needs_approval(case_of(session, declaration, version)):
            requests.ask(
                session,
                declaration,
                version,
                principal,
                Action.REQUEST_CANCELLATION,
                reason=reason,
                document=None,
                now=now,
            )
        else:
            step(
                session,
                declaration,
                version,
                Action.CANCEL,
                actor=actor_of(principal),
                at=now,
                party=Party.FILER,
                reason=reason,
            )
        session.flush()
        return Filing(declaration, version, created=False)

    # ---- reading --------------------------------------------------------------------------------------
    def get(
        self, session: Session, principal: Principal, declaration_id: int, version: int | None = None
    ) -> Filing:
        principal.require_scope(Scope.DECLARATIONS_READ)
        declaration = self.visible(session, principal, declaration_id)
        row = repo.version(session, declaration.id, version or declaration.current_version)
        if row is None:
            raise NotFound(f"declaration {declaration_id} has no version {version}")
        return Filing(declaration, row, created=False)

    def search(
        self, session: Session, principal: Principal, f: repo.ListFilter, *, offset: int, limit: int
    ) -> tuple[list[Declaration], int]:
        principal.require_scope(Scope.DECLARATIONS_READ)
        if not principal.is_customs and principal.company_id is None:
            raise Forbidden("this account belongs to no company")
        company = None if principal.is_customs else principal.company_id
        # A company sees what it filed and what a broker filed in its name (read only).
        return repo.page(
            session, replace(f, company_id=company, with_named_party=True), offset=offset, limit=limit
        )

    # ---- bulk filing, officers' decisions, the release-time study (modules of their own) -------------------
    # Shells reach them through the service (the modules take the service; they know its type only).
    def file_batch(self, session: Session, principal: Principal, documents: list[Any]) -> list[BatchItem]:
        return batch.file_batch(self, session, principal, documents)

    def decide(
        self, session: Session, principal: Principal, declaration_id: int, decision: Decision
    ) -> Filing:
        return decisions.decide(self, session, principal, declaration_id, decision)

    def decide_request(
        self,
        session: Session,
        principal: Principal,
        declaration_id: int,
        *,
        grant: bool,
        message: str,
        reason: str | None,
    ) -> Filing:
        return decisions.decide_request(
            self, session, principal, declaration_id, grant=grant, message=message, reason=reason
        )

    def assign(self, session: Session, principal: Principal, declaration_id: int, *, take: bool) -> Filing:
        return decisions.assign(self, session, principal, declaration_id, take=take)

    def release(self, session: Session, principal: Principal, declaration_id: int) -> Filing:
        return decisions.release(self, session, principal, declaration_id)

    def release_study(self, session: Session, principal: Principal, f: repo.ListFilter) -> dict[str, Any]:
        return release_study.study(self, session, principal, f)

    # ---- access ---------------------------------------------------------------------------------------
    def visible(
        self, session: Session, principal: Principal, declaration_id: int, *, for_update: bool = False
    ) -> Declaration:
        declaration = repo.get(session, declaration_id, for_update=for_update)
        # Another company's declaration is reported as absent, so its existence does not leak (access.py).
        if declaration is None or not may_see(principal, declaration):
            raise NotFound(f"no declaration {declaration_id}")
        return declaration

    def owned(
        self, session: Session, principal: Principal, declaration_id: int, *, for_update: bool = False
    ) -> Declaration:
        declaration = self.visible(session, principal, declaration_id, for_update=for_update)
        if not may_change(principal, declaration):
            raise Forbidden("only the filing company may change this declaration")
        return declaration

    @staticmethod
    def require_filer(principal: Principal) -> None:
        principal.require_scope(Scope.DECLARATIONS_WRITE)
        if principal.role not in COMPANY_ROLES or principal.company_id is None:
            raise Forbidden("declarations are filed by traders and brokers of a company")


def decision_receipt(
    declaration: Declaration,
    version: DeclarationVersion,
    outcome: AssessmentOutcome,
    selection: LaneSelection,
    lane: Lane,
    now: datetime,
    key: receipts.SigningKey | None,
) -> dict[str, Any] | None:
    """The signed receipt of what this version's duty and lane were computed from (:mod:`clearway.receipts`)."""
    if key is None:
        return None
    assessment = outcome.inputs or {
        "engine": outcome.method,
        "placeholder": outcome.placeholder,
        "can_assess": outcome.can_assess,
        "total_due_krw": receipts.money(outcome.total_due_krw),
        "notes": list(outcome.notes),
    }
    # a selector that names no inputs: the filer learns only that it was (or was not) a placeholder
    risk = selection.inputs or {
        "public": {"placeholder": selection.placeholder, "model": None},
        "confidential": {"lane": selection.lane.value, "method": selection.method, "score": selection.score},
    }
    body = receipts.content(
        declaration={
            "id": declaration.id,
            "number": declaration_number(declaration),
            "version": version.version,
            "kind": declaration.kind,
            "filed_on": declaration.filed_on.isoformat(),
            "content_fingerprint": receipts.digest(version.content),
        },
        assessment=assessment,
        risk=risk["public"],
        outcome={"lane": lane.value, "total_due_krw": receipts.money(outcome.total_due_krw)},
        issued_at=now.isoformat(),
        software=f"clearway {clearway_version}",
    )
    return receipts.seal(body, risk["confidential"], key)


# NUMERIC(20,4) holds less than 10^16: what validation accepts must fit (a larger figure would be a 500).
MAX_STORABLE = Decimal("1e16") - Decimal("0.0001")


def unstorable_amounts(content: DeclarationContent, outcome: AssessmentOutcome) -> list[FieldError]:
    """The goods items whose assessed won figures (or the declaration's total) would not fit the database."""
    index_of = {item.line_number: index for index, item in enumerate(content.items)}
    errors = []
    for line in outcome.results:
        if any(v is not None and abs(v) > MAX_STORABLE for v in line.amounts()):
            index = index_of.get(line.line_number, 0)
            errors.append(
                FieldError(
                    f"/items/{index}/invoice_amount",
                    "amount_too_large",
                    f"the assessed figures exceed {MAX_STORABLE:f} won",
                )
            )
    total = outcome.total_due_krw
    if not errors and total is not None and abs(total) > MAX_STORABLE:
        errors.append(FieldError("/items", "amount_too_large", f"the total due exceeds {MAX_STORABLE:f} won"))
    return errors


def store_line_figures(lines: list[DeclarationLine], outcome: AssessmentOutcome) -> None:
    """The assessed figures per line, for queries and statistics; the explanation stays on the version."""
    by_number = outcome.result_by_line()
    for row in lines:
        assessed = by_number.get(row.line_number)
        if assessed is None:
            continue
        row.customs_value_krw = assessed.customs_value_krw
        row.duty_krw = assessed.duty_krw
        row.taxes_krw = assessed.taxes_krw
