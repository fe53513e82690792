"""Seed the demo and walk declarations through their lifecycle with the same services the API uses."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.clock import KOREA, utcnow
from clearway.declaration import holds as declaration_holds
from clearway.declaration.decisions import Decision, DecisionKind, Finding, InspectionFinding
from clearway.declaration.filing import Filing
from clearway.demo import cargo as cargo_demo
from clearway.demo import risk as risk_demo
from clearway.demo.certificates import certificates_for, registered
from clearway.demo.parties import COMPANIES, MANDATES, USERS
from clearway.demo.scenario import DemoCase, cases
from clearway.identity import service as identity
from clearway.identity.core import Principal, Role, scopes_for
from clearway.identity.models import Company, User
from clearway.origin import repository as origin_records
from clearway.origin import service as origin
from clearway.party import repository as party_records
from clearway.party import service as parties
from clearway.payment import service as payment
from clearway.payment.core import callback_secret
from clearway.runtime import Runtime
from clearway.tariff import service as tariff
from clearway.uow import unit_of_work

Progress = Callable[[str, int], None]


@dataclass
class DemoSummary:
    filed: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    lanes: Counter[str] = field(default_factory=Counter)
    total_due_krw: Decimal = Decimal(0)
    model: str = ""


def principal_of(user: User) -> Principal:
    role = Role(user.role)
    return Principal(user.id, user.username, role, user.company_id, scopes_for(role))


def seed(session: Session, runtime: Runtime) -> dict[str, User]:
    """Create the demo companies and users if they are not there yet."""
    now = runtime.clock()
    companies: dict[str, Company] = {}
    for c in COMPANIES:
        company = session.scalar(select(Company).where(Company.name == c.name))
        companies[c.key] = company or identity.create_company(
            session, name=c.name, kind=c.kind, brn=c.brn, now=now
        )
        companies[c.key].customs_code = companies[c.key].customs_code or c.customs_code
    users: dict[str, User] = {}
    for u in USERS:
        existing = session.scalar(select(User).where(User.username == u.username))
        users[u.username] = existing or identity.create_user(
            session,
            username=u.username,
            password=u.password,
            role=u.role,
            company_id=companies[u.company].id,
            display_name=u.display_name,
            now=now,
        )
    if not party_records.mandates(session):  # brokers file for their clients under a recorded mandate
        admin = principal_of(users["admin"])
        for m in MANDATES:
            parties.record_mandate(
                session,
                admin,
                broker_company_id=companies[m.broker].id,
                client_company_id=companies[m.client].id,
                scope=m.scope,
                valid_from=m.valid_from,
                valid_to=m.valid_to,
                now=now,
            )
    return users


class DemoClock:
    """Real time, or real time shifted into the past while the demo files its history."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return utcnow() + self.offset

    def travel_to(self, moment: datetime) -> None:
        self.offset = moment - utcnow()

    def back_to_now(self) -> None:
        self.offset = timedelta(0)


HISTORY_DAYS = 7
HISTORY_SHARE = 0.7


def walk(runtime: Runtime, count: int, progress: Progress | None = None) -> DemoSummary:
    """The demo's story. With a :class:`DemoClock`, 70% of the declarations are filed over the past week while
    risk selection has no model yet (criteria and a wide random share); officers inspect what is selected and
    record what they find; a risk model is then trained on those findings and promoted, and the rest are filed
    today under it. Officers work part of today's queue, traders pay, goods are released."""
    clock = runtime.clock if isinstance(runtime.clock, DemoClock) else None
    today = runtime.today()
    with unit_of_work(runtime.sessions) as session:
        users = {name: principal_of(u) for name, u in seed(session, runtime).items()}
        tariff.load_demo_tariff(session, now=runtime.clock())
        risk_demo.seed_demo_configuration(session, now=runtime.clock(), today=today)
    filers = {"hanbit": users["trader"], "seoul-broker": users["broker"], "daehan": users["trader2"]}
    actors = _Actors(runtime, filers, users["officer"])
    history = int(count * HISTORY_SHARE) if clock else 0
    # Every case is drawn first, so the carriers' manifests are filed before the declarations naming their
    # bills (an import whose bill is on no manifest is held); one bill is left off on purpose.
    plan: list[tuple[date, list[DemoCase]]] = []
    serial = 0
    for day in range(HISTORY_DAYS, 0, -1):
        day_cases = history // HISTORY_DAYS + (1 if HISTORY_DAYS - day < history % HISTORY_DAYS else 0)
        if not day_cases or clock is None:
            continue
        plan.append(
            (
                today - timedelta(days=day),
                cases(day_cases, today - timedelta(days=day), seed=day, first_serial=serial + 1),
            )
        )
        serial += day_cases
    today_cases = cases(count - serial, today, seed=0, first_serial=serial + 1)
    imports = [c for c in today_cases if c.document["kind"] == "import"]
    held_back = imports[-1].document["consignment"]["transport_document"].upper() if imports else None
    if clock is not None and plan:  # the manifests are reported the morning before the history's first day
        clock.travel_to(datetime.combine(plan[0][0] - timedelta(days=1), time(8, 0), tzinfo=KOREA))
    documents = [c.document for _, day_list in plan for c in day_list] + [c.document for c in today_cases]
    cargo_demo.file_manifests(runtime, users["carrier"], today, documents, held_back=held_back)
    done = 0
    rng = random.Random(3)
    for on, day_list in plan:
        # Filed through the morning; checks, payments and releases through the afternoon, so the
        # release-time study has real stages to measure.
        assert clock is not None
        clock.travel_to(datetime.combine(on, time(9, 0), tzinfo=KOREA))
        filed = []
        for case in day_list:
            filed.append((case, actors.file(case, on)))
            clock.travel_to(clock() + timedelta(minutes=rng.randint(5, 25)))
            done += 1
            if progress:
                progress("filing", done)
        clock.travel_to(datetime.combine(on, time(13, 0), tzinfo=KOREA))
        for case, filing in filed:
            actors.settle(
                case,
                filing,
                settle_all=True,
                wait=lambda: clock.travel_to(clock() + timedelta(minutes=rng.randint(10, 70))),
            )
    if clock is not None:
        clock.travel_to(datetime.combine(today, time(8, 0), tzinfo=KOREA))
    with unit_of_work(runtime.sessions) as session:
        model = risk_demo.bootstrap_demo_model(
            session, models_dir=runtime.settings.models_dir, now=runtime.clock()
        )
        actors.summary.model = f"{model.version} ({model.note})"
    if clock is not None:
        clock.back_to_now()
    for case in today_cases:
        filing = actors.file(case, today)
        if actors.rng.random() < 0.6:  # the rest stay in the officer's queue or await payment
            actors.settle(case, filing, settle_all=False)
        done += 1
        if progress:
            progress("filing", done)
    return actors.summarise()


class _Actors:
    """The demo's traders and officer, acting through the same services as the API."""

    def __init__(self, runtime: Runtime, filers: dict[str, Principal], officer: Principal) -> None:
        self.runtime, self.filers, self.officer = runtime, filers, officer
        self.rng = random.Random(7)
        self.filings: list[tuple[Principal, Filing]] = []
        self.summary = DemoSummary()

    def file(self, case: DemoCase, on: date) -> Filing:
        """The trader registers the certificates of origin it has, then files."""
        filer = self.filers[case.company]
        with unit_of_work(self.runtime.sessions) as session:
            for certificate in certificates_for(case.document, on):
                known = origin_records.by_reference(
                    session, certificate["agreement"], certificate["reference"]
                )
                if registered(self.rng) and known is None:
                    origin.register_json(session, certificate, principal=filer, now=self.runtime.clock())
            filing = self.runtime.declarations.file(session, filer, case.document)
        self.filings.append((filer, filing))
        return filing

    def settle(
        self, case: DemoCase, filing: Filing, *, settle_all: bool, wait: Callable[[], None] = lambda: None
    ) -> None:
        """The officer checks what risk selection sent to a check, the trader pays, the officer releases —
        with ``wait`` letting time pass between the steps."""
        service, filer = self.runtime.declarations, self.filers[case.company]
        declaration_id = filing.declaration.id
        with unit_of_work(self.runtime.sessions) as session:
            version = service.get(session, filer, declaration_id).version
            status = version.status
            if declaration_holds.is_held(session, declaration_id, version.version):
                return  # waits for its manifest: nothing is accepted while the hold stands
        if status in ("under_document_check", "under_inspection"):
            wait()
            with unit_of_work(self.runtime.sessions) as session:
                service.decide(
                    session,
                    self.officer,
                    declaration_id,
                    Decision(
                        DecisionKind.INSPECTION_RESULT,
                        "checked against invoice and goods",
                        self._finding(case, filing),
                    ),
                )
                service.decide(session, self.officer, declaration_id, Decision(DecisionKind.ACCEPT))
            status = "accepted"
        if status not in ("accepted", "paid"):  # "paid": nothing was due
            return
        wait()
        with unit_of_work(self.runtime.sessions) as session:
            # The trader pays its order at the (simulated) bank; the bank's signed confirmation makes it paid.
            if service.get(session, filer, declaration_id).version.status == "accepted":
                bank = payment.simulator(
                    session, callback_secret(self.runtime.settings.secret_key), self.runtime.clock
                )
                payment.pay(bank, session, declaration_id, None)
        if settle_all or self.rng.random() < 0.6:
            wait()
            with unit_of_work(self.runtime.sessions) as session:
                service.release(session, self.officer, declaration_id)

    def _finding(self, case: DemoCase, filing: Filing) -> InspectionFinding:
        if case.undervalued_by is None:
            return InspectionFinding(Finding.NO_IRREGULARITY)
        duty = filing.declaration.total_due_krw or Decimal(0)
        # What the hidden part of the price would have paid, in whole thousands of won.
        extra = (duty * case.undervalued_by / (1 - case.undervalued_by)).quantize(Decimal("1000"))
        return InspectionFinding(
            Finding.IRREGULARITY,
            f"invoice shows {1 - case.undervalued_by:.0%} of the price paid (bank remittance records)",
            max(extra, Decimal(0)),
            critical=False,
        )

    def summarise(self) -> DemoSummary:
        summary = self.summary
        summary.filed = len(self.filings)
        with unit_of_work(self.runtime.sessions) as session:
            for filer, filing in self.filings:
                current = self.runtime.declarations.get(session, filer, filing.declaration.id)
                summary.statuses[current.version.status] += 1
                summary.lanes[current.version.lane or "-"] += 1
                summary.total_due_krw += current.declaration.total_due_krw or Decimal(0)
        return summary
