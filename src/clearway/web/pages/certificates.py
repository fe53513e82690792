"""Certificates of origin in the portal: the list (a company's own; customs sees all), a certificate's page
(fields read with their confidence, the drawdown of its quantities, the declarations that used it) and
registering one from a page — a document (PDF or scan, read and, for a scan, confirmed field by field) or an
electronic certificate (e-CO JSON, pasted or uploaded). Same services and access rule as the API."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.datastructures import FormData, UploadFile

from clearway.audit.service import savepoint
from clearway.errors import ClearwayError, FieldError, ValidationFailed
from clearway.identity.core import Principal, Role, Scope
from clearway.origin import electronic, service
from clearway.origin.certificates import proof_rule
from clearway.origin.reading import MAX_BYTES
from clearway.reference import codes
from clearway.web.deps import ResourceId, RuntimeDep, SessionDep
from clearway.web.pages import forms, origin_views
from clearway.web.pages.guard import PageRoute, form_page_context
from clearway.web.pages.render import redirect, render
from clearway.web.pages.security import CsrfForm, PagePrincipal

router = APIRouter(route_class=PageRoute, include_in_schema=False)
REGISTRARS = (Role.TRADER, Role.BROKER, Role.OFFICER, Role.ADMIN)
NOTICES = ("registered", "confirmed")
CONFIRM = "confirm."  # the prefix of a confirmed field's name in the upload form


def _registrar(principal: Principal) -> None:
    principal.require_role(*REGISTRARS)
    principal.require_scope(Scope.ORIGIN_WRITE)


@router.get("/origin/certificates")
def certificates_page(
    request: Request, principal: PagePrincipal, session: SessionDep, reference: str = ""
) -> Response:
    principal.require_scope(Scope.ORIGIN_READ)
    reference = reference.strip()[:60]
    rows = service.find_certificates(session, principal, reference=reference or None)
    return render(
        request,
        "origin/certificates.html",
        {
            "rows": [origin_views.certificate_summary(session, r) for r in rows],
            "reference": reference,
            "can_register": principal.role in REGISTRARS,
        },
    )


def agreements_with_proof() -> list[str]:
    return sorted(code for code in codes.agreements() if proof_rule(code) is not None)


def new_page(
    request: Request,
    *,
    error: ClearwayError | None = None,
    form_name: str | None = None,
    values: dict[str, str] | None = None,
    document: dict[str, str] | None = None,
) -> Response:
    """The registration page; after a failed attempt, the problem beside the form that failed. A scan whose
    fields need confirmation comes back with what was read, each doubtful field an input to confirm or
    correct, and the document kept in the form so it need not be chosen again."""
    reading = error.extra.get("reading") if error is not None else None
    context = form_page_context(
        request,
        {
            "agreements": agreements_with_proof(),
            "confirmable": service.CONFIRMABLE - {"reference"},
            "reading": reading if isinstance(reading, dict) else None,
            "document": document or {},
        },
        error=error,
        form_name=form_name,
        values=values,
    )
    return render(
        request,
        "origin/new.html",
        context,
        status=error.status if error else 200,
        here="/origin/certificates/new",
    )


@router.get("/origin/certificates/new")
def register_page(request: Request, principal: PagePrincipal) -> Response:
    _registrar(principal)
    return new_page(request)


def _uploaded(form: FormData, name: str) -> tuple[bytes, str] | None:
    upload = form.get(name)
    if isinstance(upload, UploadFile) and upload.filename:
        return upload.file.read(MAX_BYTES + 1), upload.filename
    return None


def _document(form: FormData) -> tuple[bytes, str]:
    """The uploaded document, or the one kept in the form while its reading is being confirmed."""
    uploaded = _uploaded(form, "file")
    if uploaded is not None:
        return uploaded
    kept = forms.text(form, "document")
    if kept:
        try:
            return base64.b64decode(kept, validate=True), forms.text(form, "filename")
        except (binascii.Error, ValueError):
            pass
    raise ValidationFailed(
        "choose the certificate's document",
        errors=[FieldError("/file", "required", "a PDF, a scan (PNG, JPEG, TIFF) or a text file")],
    )


@router.post("/origin/certificates/upload")
def upload_certificate(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    _registrar(principal)
    values = {name: forms.text(form, name) for name in ("agreement", "reference")}
    confirmed = {
        key[len(CONFIRM) :]: value.strip()
        for key, value in form.multi_items()
        if key.startswith(CONFIRM) and isinstance(value, str) and value.strip()
    }
    values.update({CONFIRM + k: v for k, v in confirmed.items()})
    data, filename = b"", ""
    try:
        data, filename = _document(form)
        with savepoint(session):
            row, _ = service.register_document(
                session,
                data,
                filename=filename,
                agreement=values["agreement"] or None,
                reference=values["reference"] or None,
                principal=principal,
                now=runtime.clock(),
                confirmed=confirmed,
            )
    except ClearwayError as error:
        kept = (
            {"data": base64.b64encode(data).decode("ascii"), "filename": filename}
            if data and len(data) <= MAX_BYTES and "reading" in error.extra
            else None
        )
        return new_page(request, error=error, form_name="upload", values=values, document=kept)
    return redirect(request, f"/origin/certificates/{row.id}?notice=registered")


def _eco_document(form: FormData) -> tuple[Any, str]:
    uploaded = _uploaded(form, "eco_file")
    text = forms.text(form, "eco_json")
    pointer = "/eco_json"
    if uploaded is not None:
        try:
            text = uploaded[0][:MAX_BYTES].decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationFailed(
                "the file is not UTF-8 text",
                errors=[FieldError("/eco_file", "not_utf8", f"'{uploaded[1]}' is not a UTF-8 JSON file")],
            ) from None
        pointer = "/eco_file"
    if not text.strip():
        raise ValidationFailed(
            "paste the electronic certificate's JSON or choose its file",
            errors=[FieldError("/eco_json", "required", "the e-CO data as JSON")],
        )
    try:
        return json.loads(text), text
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            "the electronic certificate is not valid JSON",
            errors=[FieldError(pointer, "not_json", f"line {exc.lineno}, column {exc.colno}: {exc.msg}")],
        ) from None


@router.post("/origin/certificates/electronic")
def register_electronic(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    _registrar(principal)
    text = forms.text(form, "eco_json")
    try:
        document, text = _eco_document(form)
        with savepoint(session):
            row = electronic.register_electronic(session, document, principal=principal, now=runtime.clock())
    except ClearwayError as error:
        return new_page(request, error=error, form_name="eco", values={"eco_json": text})
    return redirect(request, f"/origin/certificates/{row.id}?notice=registered")


def _certificate_page(
    request: Request,
    session: SessionDep,
    principal: Principal,
    certificate_id: int,
    *,
    error: ClearwayError | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    context = form_page_context(
        request,
        origin_views.certificate_page(session, principal, certificate_id),
        error=error,
        form_name="confirm" if error else None,
        values=values,
    )
    if context["notice"] not in NOTICES:
        context["notice"] = None
    return render(
        request,
        "origin/certificate.html",
        context,
        status=error.status if error else 200,
        here=f"/origin/certificates/{certificate_id}",
    )


@router.get("/origin/certificates/{certificate_id}")
def certificate_page(
    certificate_id: ResourceId, request: Request, principal: PagePrincipal, session: SessionDep
) -> Response:
    principal.require_scope(Scope.ORIGIN_READ)
    return _certificate_page(request, session, principal, certificate_id)


@router.post("/origin/certificates/{certificate_id}/confirm")
def confirm_fields(
    certificate_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    """The officer's confirmation (or correction) of the fields read with low confidence."""
    principal.require_scope(Scope.ORIGIN_WRITE)
    confirmed = {
        key[len(CONFIRM) :]: value.strip()
        for key, value in form.multi_items()
        if key.startswith(CONFIRM) and isinstance(value, str)
    }
    try:
        with savepoint(session):
            service.confirm_fields(
                session, certificate_id, confirmed, principal=principal, now=runtime.clock()
            )
    except ClearwayError as error:
        values = {CONFIRM + k: v for k, v in confirmed.items()}
        return _certificate_page(request, session, principal, certificate_id, error=error, values=values)
    return redirect(request, f"/origin/certificates/{certificate_id}?notice=confirmed")
