"""The origin shell: load rules and records, call the pure core, store what it decided.

Certificates here: determination, reading a document, registering and reading records, verifying a claim (and
drawing its quantity down). Electronic certificates (e-CO) are registered by :mod:`clearway.origin.electronic`;
requests to the exporting country's authority are :mod:`clearway.origin.cases`.

Services flush through the repository and never commit: the caller's unit of work (HTTP request, CLI command)
commits or rolls back.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from clearway.assessment.preference import PreferenceVerdict, Sees
from clearway.audit.service import Actor, record
from clearway.declaration.content import DeclarationContent, GoodsItem
from clearway.declaration.steps import FilingContext
from clearway.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from clearway.identity.core import Principal, Role
from clearway.origin import repository as repo
from clearway.origin.certificates import (
    CERTIFICATE_FIELDS,
    Certificate,
    CertificateItem,
    ProofRule,
    Transport,
    expiry,
    forms,
    origin_criteria,
    proof_rule,
    with_validity,
)
from clearway.origin.checks import allocate, verify_certificate
from clearway.origin.determination import Determination, determine
from clearway.origin.errors import UnknownAgreement
from clearway.origin.loader import bundled_agreements, get_agreement, hs_code_known
from clearway.origin.models import (
    OriginCertificate,
    OriginCertificateItem,
    OriginDrawdown,
)
from clearway.origin.reading import Found, Reading, read_certificate
from clearway.origin.reading import read_document as read_bytes
from clearway.origin.schemas import (
    BomIn,
    CertificateIn,
    parse,
)
from clearway.origin.values import parse_date
from clearway.reference import codes

if TYPE_CHECKING:
    pass

SUBJECT = "origin_certificate"


# ------------------------------------------------------------------------------------------ determination


def determine_origin(
    document: Any, *, agreement: str | None = None, today: date | None = None
) -> Determination:
    """Parse a bill of materials (the :class:`BomIn` shape) and determine origin under its agreement."""
    bom_in: BomIn = parse(BomIn, document, "bill of materials")
    code = agreement or bom_in.agreement
    if not code:
        raise ValidationFailed(
            "name the agreement the origin is determined under",
            errors=[FieldError("/agreement", "required", "an agreement code such as UK-KR, KR-EU or KORUS")],
        )
    rules = get_agreement(code)
    return determine(rules, bom_in.to_core(), on=bom_in.on or today, known_code=hs_code_known)


def agreement_parties(code: str) -> frozenset[str]:
    loaded = bundled_agreements().get(code)
    if loaded is not None:
        return loaded.parties
    reference = codes.agreements().get(code)
    if reference is not None:
        return frozenset(reference.partners | {"KR"})
    return frozenset({"KR"})


def proof_rule_for(agreement: str) -> ProofRule | None:
    """The agreement's proof of origin: form from ``certificate_forms.json``; validity from the agreement's
    own rules-of-origin file when it states one, else from that file's default table."""
    rule = proof_rule(agreement)
    loaded = bundled_agreements().get(agreement.upper())
    if rule is None or loaded is None:
        return rule
    proof = next((p for p in loaded.provisions.proofs if p.validity_months), None)
    if proof is None:
        return rule
    return with_validity(rule, proof.validity_months, f"{proof.name} ({loaded.code} rules-of-origin data)")


def rule_kinds(agreement: str, commodity_code: str, on: date) -> tuple[frozenset[str], ...] | None:
    """The criterion kinds of each alternative of the agreement's product-specific rule for the goods; None
    when the agreement's rules are not loaded."""
    loaded = bundled_agreements().get(agreement.upper())
    if loaded is None:
        return None
    return tuple(
        frozenset(c.kind for c in alternative.criteria)
        for rule in loaded.rules_for(commodity_code[:6], on)
        for alternative in rule.alternatives
    )


# ------------------------------------------------------------------------------------------ reading


def read_document(data: bytes, *, filename: str = "", agreement: str | None = None) -> Reading:
    return read_bytes(data, filename, agreement_hint=agreement)


def confirm(reading: Reading, confirmed: dict[str, str]) -> None:
    """Put the officer's confirmed values in place of what was read (confidence 1, label "confirmed")."""
    for name, raw in confirmed.items():
        if name not in CONFIRMABLE or not raw.strip():
            continue
        value: Any = raw.strip()
        if name in DATE_FIELDS:
            parsed, _ = parse_date(value)
            if parsed is None:
                raise ValidationFailed(
                    f"the confirmed {name} is not a date",
                    errors=[FieldError(f"/{name}", "invalid_date", f"'{value}' is not a date (YYYY-MM-DD)")],
                )
            value = parsed
        reading.fields[name] = Found(value, 1.0, None, "confirmed by the officer")
        if name in reading.missing:
            reading.missing.remove(name)


DATE_FIELDS = frozenset(
    {"issue_date", "valid_until", "invoice_date", "departure_date", "blanket_from", "blanket_to"}
)
# every field of a certificate an officer may confirm on a scan, but the agreement and form (chosen, not read)
# and the remarks (free text); the departure date is read from the transport box
CONFIRMABLE = (frozenset(CERTIFICATE_FIELDS) - {"agreement", "form", "remarks"}) | {"departure_date"}


def read_text(text: str, *, agreement: str | None = None) -> Reading:
    return read_certificate(text, agreement_hint=agreement)


# ------------------------------------------------------------------------------------------ records


def to_core(row: OriginCertificate) -> Certificate:
    transport = None
    if row.transport:
        t = row.transport
        transport = Transport(
            means=t.get("means"),
            departure_date=date.fromisoformat(t["departure_date"]) if t.get("departure_date") else None,
            vessel=t.get("vessel"),
            port_of_loading=t.get("port_of_loading"),
            port_of_discharge=t.get("port_of_discharge"),
            transit=tuple(t.get("transit") or ()),
            transit_evidence=bool(t.get("transit_evidence")),
        )
    return Certificate(
        reference=row.reference,
        agreement=row.agreement,
        form=row.form,
        issuer=row.issuer,
        issuing_country=row.issuing_country,
        issue_date=row.issue_date,
        valid_until=row.valid_until,
        exporter_name=row.exporter_name,
        exporter_address=row.exporter_address,
        exporter_country=row.exporter_country,
        exporter_authorisation=row.exporter_authorisation,
        producer_name=row.producer_name,
        importer_name=row.importer_name,
        importer_address=row.importer_address,
        importer_country=row.importer_country,
        certifier_role=row.certifier_role,
        certifier_name=row.certifier_name,
        origin_country=row.origin_country,
        origin_criterion=row.origin_criterion,
        invoice_reference=row.invoice_reference,
        invoice_date=row.invoice_date,
        blanket_from=row.blanket_from,
        blanket_to=row.blanket_to,
        place=row.place,
        signatory=row.signatory,
        remarks=row.remarks,
        declaration_text=row.declaration_text,
        items=tuple(
            CertificateItem(
                description=i.description,
                hs6=i.hs6,
                quantity=i.quantity,
                unit=i.unit,
                gross_weight_kg=i.gross_weight_kg,
                origin_criterion=i.origin_criterion,
                origin_country=i.origin_country,
                value=i.value,
                marks=i.marks,
                item_number=i.item_number,
                hs_version=i.hs_version,
            )
            for i in row.items
        ),
        transport=transport,
        elements=dict(row.elements or {}),
        status=row.status,
    )


def certificate_read(row: OriginCertificate, session: Session | None = None) -> dict[str, Any]:
    """The record as the API shows it; with a ``session``, each goods item's drawdown too (certified, used by
    declarations, left)."""
    out = to_core(row).as_dict()
    rule = proof_rule_for(row.agreement)
    out.update(
        id=row.id,
        created_at=row.created_at.isoformat(),
        document_name=row.document_name,
        reading=row.reading,
        channel=row.channel,
        validity_basis=rule.basis if rule else None,
    )
    if session is not None:
        out["drawdown"] = drawdown(session, row)
    return out


def _amount(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.0001")))  # as stored (NUMERIC(20,4)), whichever database


def drawdown(session: Session, row: OriginCertificate) -> list[dict[str, Any]]:
    uses = repo.uses(session, row.id)
    out = []
    for item in row.items:
        mine = [(u, d) for u, d in uses if u.certificate_item_id == item.id]
        used = sum((u.quantity for u, _ in mine), Decimal(0))
        out.append(
            {
                "item_number": item.item_number or item.position,
                "hs6": item.hs6,
                "unit": item.unit,
                "certified": None if item.quantity is None else _amount(item.quantity),
                "used": _amount(used),
                "left": None if item.quantity is None else _amount(item.quantity - used),
                "uses": [
                    {
                        "declaration_id": d.id,
                        "declarant_reference": d.declarant_reference,
                        "version": u.version,
                        "line_number": u.line_number,
                        "quantity": _amount(u.quantity),
                    }
                    for u, d in mine
                ],
            }
        )
    return out


def register(
    session: Session,
    certificate: Certificate,
    *,
    principal: Principal | None,
    now: datetime,
    reading: Reading | None = None,
    document_name: str | None = None,
    document_sha256: str | None = None,
    channel: str | None = None,
) -> OriginCertificate:
    if repo.by_reference(session, certificate.agreement, certificate.reference):
        raise Conflict(
            f"certificate {certificate.reference} under {certificate.agreement} is already registered",
            errors=[FieldError("/reference", "duplicate", "a certificate with this number is on record")],
        )
    if certificate.issuing_country:
        twin = repo.by_issuer(session, certificate.issuing_country, certificate.reference)
        if twin is not None:
            raise Conflict(
                f"certificate {certificate.reference} issued in {certificate.issuing_country} is already "
                f"registered (under {twin.agreement}): one certificate cannot be registered twice — cite the "
                "registered one, whose quantities are drawn down over the declarations that use it",
                errors=[
                    FieldError(
                        "/reference",
                        "duplicate",
                        f"already registered for issuing country {certificate.issuing_country}",
                    )
                ],
            )
    rule = proof_rule_for(certificate.agreement)
    if rule is None and certificate.agreement not in codes.agreements():
        raise UnknownAgreement(
            f"'{certificate.agreement}' is neither a trade agreement of the code list nor one with an "
            "encoded proof of origin"
        )
    form = certificate.form or (rule.form.code if rule else "authority_certificate")
    row = OriginCertificate(
        reference=certificate.reference,
        agreement=certificate.agreement,
        form=form,
        status="registered",
        issuer=certificate.issuer,
        issuing_country=certificate.issuing_country,
        issue_date=certificate.issue_date,
        valid_until=expiry(certificate, rule),
        exporter_name=certificate.exporter_name,
        exporter_address=certificate.exporter_address,
        exporter_country=certificate.exporter_country,
        exporter_authorisation=certificate.exporter_authorisation,
        producer_name=certificate.producer_name,
        importer_name=certificate.importer_name,
        importer_address=certificate.importer_address,
        importer_country=certificate.importer_country,
        certifier_role=certificate.certifier_role,
        certifier_name=certificate.certifier_name,
        origin_country=certificate.origin_country,
        origin_criterion=certificate.origin_criterion,
        invoice_reference=certificate.invoice_reference,
        invoice_date=certificate.invoice_date,
        blanket_from=certificate.blanket_from,
        blanket_to=certificate.blanket_to,
        place=certificate.place,
        signatory=certificate.signatory,
        remarks=certificate.remarks,
        declaration_text=certificate.declaration_text,
        transport=certificate.transport.as_dict() if certificate.transport else None,
        elements=dict(certificate.elements),
        reading=reading.as_dict() if reading else None,
        document_name=document_name,
        document_sha256=document_sha256,
        channel=channel or ("document" if document_name else "fields"),
        company_id=principal.company_id if principal else None,
        created_by=principal.user_id if principal else None,
        created_at=now,
    )
    row.items = [
        OriginCertificateItem(
            position=n,
            item_number=i.item_number,
            description=i.description,
            hs6=i.hs6,
            quantity=i.quantity,
            unit=i.unit,
            gross_weight_kg=i.gross_weight_kg,
            origin_criterion=i.origin_criterion,
            origin_country=i.origin_country,
            value=i.value,
            marks=i.marks,
            hs_version=i.hs_version,
        )
        for n, i in enumerate(certificate.items, start=1)
    ]
    repo.add(session, row)
    actor = Actor(principal.username, principal.user_id) if principal else Actor("system")
    record(
        session,
        actor=actor,
        subject_type=SUBJECT,
        subject_id=row.id,
        action="registered",
        at=now,
        data={
            "agreement": row.agreement,
            "reference": row.reference,
            "from_document": bool(document_name),
            "channel": row.channel,
        },
    )
    return row


def register_json(
    session: Session, document: Any, *, principal: Principal | None, now: datetime
) -> OriginCertificate:
    certificate_in: CertificateIn = parse(CertificateIn, document, "certificate")
    return register(session, certificate_in.to_core(), principal=principal, now=now)


def register_document(
    session: Session,
    data: bytes,
    *,
    filename: str,
    agreement: str | None,
    reference: str | None,
    principal: Principal | None,
    now: datetime,
    confirmed: dict[str, str] | None = None,
) -> tuple[OriginCertificate, Reading]:
    """Read an uploaded certificate and register what was read (the reading, with its confidences and the
    fields not found, is kept on the record and returned). A scan read by OCR is registered only once every
    required field read with low confidence is confirmed: sent again with the upload under its field name
    (``confirmed``); until then the answer lists the fields to confirm with what was read."""
    reading = read_document(data, filename=filename, agreement=agreement)
    confirm(reading, {**(confirmed or {}), **({"reference": reference} if reference else {})})
    if reading.source == "ocr":
        required = {*forms()[reading.form].required, "reference"} - {"items"}
        doubtful = [name for name in reading.needs_confirmation if name in required]
        if doubtful:
            raise ValidationFailed(
                f"'{filename}' was read by OCR and these fields need the officer's confirmation: "
                + ", ".join(doubtful)
                + "; send each confirmed value with the upload under its field name",
                errors=[
                    FieldError(f"/{name}", "needs_confirmation", f"read as '{reading.fields[name].value}'")
                    for name in doubtful
                ],
                needs_confirmation=doubtful,
                reading=reading.as_dict(),
            )
    certificate = reading.to_certificate(agreement=agreement, reference=reference)
    problems = []
    if not certificate.agreement:
        problems.append("the agreement (give it with the upload)")
    if not certificate.reference:
        problems.append("the certificate number (give it as 'reference')")
    if problems:
        raise ValidationFailed(
            "could not read " + " or ".join(problems) + " from the document",
            missing=reading.missing,
            reading=reading.as_dict(),
        )
    row = register(
        session,
        certificate,
        principal=principal,
        now=now,
        reading=reading,
        document_name=filename,
        document_sha256=hashlib.sha256(data).hexdigest(),
    )
    return row, reading


def visible(row: OriginCertificate | None, principal: Principal) -> OriginCertificate:
    """A certificate belongs to the company that registered it and to customs (the declaration rule,
    :meth:`Principal.sees_company`); one registered by the operator (no company) is customs' alone. Anything
    else is "not found", so a guessed number reveals nothing."""
    if row is None or not principal.sees_company(row.company_id):
        raise NotFound("no such certificate (or not yours)")
    return row


def get_certificate(session: Session, certificate_id: int, principal: Principal) -> OriginCertificate:
    return visible(repo.get(session, certificate_id), principal)


def find_certificates(
    session: Session, principal: Principal, *, reference: str | None = None, agreement: str | None = None
) -> list[OriginCertificate]:
    """The newest certificates this principal may see: its company's, or every one for customs."""
    company = None if principal.is_customs else principal.company_id
    if company is None and not principal.is_customs:
        return []
    return repo.search(
        session, reference=reference, agreement=agreement.upper() if agreement else None, company_id=company
    )


def certificate_for_claim(
    session: Session, reference: str, agreement: str, principal: Principal
) -> OriginCertificate | None:
    """The certificate a goods line's claim cites, as its verification finds it (the one under the claimed
    agreement first), among those this principal may see."""
    rows = [c for c in repo.with_reference(session, reference) if principal.sees_company(c.company_id)]
    return next((c for c in rows if c.agreement == agreement), rows[-1] if rows else None)


def _reading_of(stored: dict[str, Any]) -> Reading:
    """The reading kept on a record, as the reader made it (so :func:`confirm` works on it again)."""
    return Reading(
        form=stored.get("form") or "",
        agreement=stored.get("agreement"),
        agreement_confidence=float(stored.get("agreement_confidence") or 0),
        fields={
            name: Found(f.get("value"), float(f.get("confidence") or 0), f.get("line"), f.get("label") or "")
            for name, f in (stored.get("fields") or {}).items()
        },
        items=list(stored.get("items") or []),
        missing=list(stored.get("missing") or []),
        warnings=list(stored.get("warnings") or []),
        source=stored.get("source") or "text",
    )


def confirm_fields(
    session: Session, certificate_id: int, confirmed: dict[str, str], *, principal: Principal, now: datetime
) -> OriginCertificate:
    """An officer confirms or corrects fields of a registered certificate that were read from its document
    (those read by OCR with low confidence): the same :func:`confirm` as at upload puts each value in place of
    what was read (confidence 1, "confirmed by the officer"); the record takes the value. The number and the
    agreement are not changed here (they identify the record)."""
    principal.require_role(Role.OFFICER)
    row = visible(repo.get(session, certificate_id), principal)
    if not isinstance(row.reading, dict):
        raise Conflict("this certificate was not read from a document: there is no reading to confirm")
    given = {k: v for k, v in confirmed.items() if v.strip()}
    wrong = [k for k in given if k not in CONFIRMABLE or k == "reference"]
    if wrong or not given:
        raise ValidationFailed(
            "confirm at least one field read from the document"
            if not given
            else "these fields cannot be confirmed",
            errors=[
                FieldError(f"/{k}", "not_confirmable", "not a field of the certificate read") for k in wrong
            ]
            or [FieldError("", "required", "the value of a field read from the document")],
        )
    reading = _reading_of(row.reading)
    confirm(reading, given)
    for name in given:
        value = reading.fields[name].value
        if name == "departure_date":
            row.transport = {**(row.transport or {}), "departure_date": value.isoformat()}
        else:
            setattr(row, name, value)
    if "issue_date" in given and "valid_until" not in reading.fields:
        row.valid_until = expiry(replace(to_core(row), valid_until=None), proof_rule_for(row.agreement))
    row.reading = reading.as_dict()
    record(
        session,
        actor=Actor(principal.username, principal.user_id),
        subject_type=SUBJECT,
        subject_id=row.id,
        action="fields_confirmed",
        at=now,
        data={"fields": sorted(given)},
    )
    session.flush()
    return row


def withdraw(
    session: Session, certificate_id: int, *, principal: Principal, reason: str, now: datetime
) -> OriginCertificate:
    if not principal.is_customs:
        raise Forbidden("only customs may withdraw a certificate (e.g. after a negative verification reply)")
    row = visible(repo.get(session, certificate_id), principal)
    row.status = "withdrawn"
    record(
        session,
        actor=Actor(principal.username, principal.user_id),
        subject_type=SUBJECT,
        subject_id=row.id,
        action="withdrawn",
        at=now,
        reason=reason,
    )
    session.flush()
    return row


# ------------------------------------------------------------------------------------------ verification


def verify_item(
    session: Session,
    content: DeclarationContent,
    item: GoodsItem,
    on: date,
    *,
    sees: Sees | None,
    filing: FilingContext | None = None,
    declaration_id: int | None = None,
    now: datetime | None = None,
) -> PreferenceVerdict:
    """Check the item's claim against the certificate it cites — among the certificates ``sees`` admits only
    (the caller's company's, or all for customs and the operator): another company's certificate is "not
    registered" and never quoted.

    What other declarations — and the other lines of this one — already drew from the certificate is deducted
    from its quantities (this line of ``declaration_id``, or of the one being filed, excepted). For a version being ``filing``, the certificate's
    row is locked first, so concurrent filings on one certificate take turns, and a granted claim records its
    drawdown against that version."""
    claim = item.preference
    if claim is None:
        return PreferenceVerdict(False, ["the goods item claims no preferential rate"])
    candidates = [
        c
        for c in repo.with_reference(session, claim.certificate_reference)
        if sees is None or sees(c.company_id)
    ]
    # registered under another agreement by mistake: verify that one, and the agreement check says so
    row = next(
        (c for c in candidates if c.agreement == claim.agreement), candidates[-1] if candidates else None
    )
    if row is None:
        reason = (
            f"certificate {claim.certificate_reference} under {claim.agreement} is not registered in "
            "Clearway by your company (register it: POST /api/v1/origin/certificates or "
            "/certificates/upload)"
        )
        check: dict[str, Any] = {"check": "certificate_on_record", "passed": False, "reason": reason}
        return PreferenceVerdict(False, [reason], [check])
    if filing is not None:
        repo.lock(session, row.id)
        declaration_id = filing.declaration_id
    this_line = (declaration_id, item.line_number) if declaration_id is not None else None
    by_id = repo.drawn(session, row.id, excluding=this_line)
    drawn = {n: by_id[i.id] for n, i in enumerate(row.items) if i.id in by_id}
    certificate = to_core(row)
    checks = verify_certificate(
        certificate,
        content,
        item,
        on,
        proof_rule_for(claim.agreement),
        agreement_parties(claim.agreement),
        drawn=drawn,
        criteria=origin_criteria(claim.agreement),
        rule_kinds=rule_kinds(claim.agreement, item.commodity_code, on),
    )
    failed = [c for c in checks if not c["passed"]]
    if failed:
        reasons = [f"{c['check'].replace('_', ' ')}: {c['reason']} — to fix: {c['fix']}" for c in failed]
    else:
        reasons = [f"certificate {row.reference} under {row.agreement} verified: {len(checks)} checks passed"]
    if filing is not None:
        taken = allocate(certificate, item, drawn) if not failed else []
        repo.replace_drawdowns(
            session,
            filing.declaration_id,
            filing.version,
            item.line_number,
            [
                OriginDrawdown(
                    certificate_id=row.id,
                    certificate_item_id=row.items[n].id,
                    declaration_id=filing.declaration_id,
                    version=filing.version,
                    line_number=item.line_number,
                    quantity=quantity,
                    unit=unit,
                    drawn_at=now or row.created_at,  # the filing's clock; the record's time if none given
                )
                for n, quantity, unit in taken
            ],
        )
    return PreferenceVerdict(not failed, reasons, checks)
