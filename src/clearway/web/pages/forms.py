"""Reading what a form posted: text fields, won amounts, and a declaration document (pasted or uploaded).

Problems are reported as :class:`FieldError` with the JSON pointer of the matching API field, so a form shows the
same pointers and codes as the JSON API.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.datastructures import FormData, UploadFile

from clearway.errors import FieldError, ValidationFailed
from clearway.identity.models import Company

MAX_KRW = Decimal("1e13")
MISSING = object()


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def checked(form: FormData, name: str) -> bool:
    return text(form, name).lower() in ("1", "on", "true", "yes")


def reason_errors(
    reason: str, pointer: str = "/reason", *, required: bool, minimum: int = 3, maximum: int = 1000
) -> list[FieldError]:
    if not reason:
        return [FieldError(pointer, "required", "a reason is required")] if required else []
    if len(reason) < minimum:
        return [FieldError(pointer, "too_short", f"at least {minimum} characters")]
    if len(reason) > maximum:
        return [FieldError(pointer, "too_long", f"at most {maximum} characters")]
    return []


def krw(raw: str, pointer: str, *, default: Decimal | None = None) -> tuple[Decimal | None, list[FieldError]]:
    """A whole-won amount typed by a person: ``450,000`` or ``450000`` (spaces and commas ignored)."""
    cleaned = raw.replace(",", "").replace(" ", "").replace("₩", "").removesuffix("원").removesuffix("KRW")
    if not cleaned:
        if default is not None:
            return default, []
        return None, [FieldError(pointer, "required", "enter an amount in won")]
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None, [FieldError(pointer, "not_a_number", f"{raw!r} is not an amount in won")]
    if not amount.is_finite():
        return None, [FieldError(pointer, "not_a_number", f"{raw!r} is not an amount in won")]
    if amount < 0:
        return None, [FieldError(pointer, "must_not_be_negative", "an amount is never negative")]
    if amount != amount.to_integral_value():
        return None, [FieldError(pointer, "whole_won", "amounts are in whole won")]
    if amount > MAX_KRW:
        return None, [FieldError(pointer, "too_large", "too large")]
    return amount.quantize(Decimal(1)), []


def fail_if(errors: list[FieldError], detail: str) -> None:
    if errors:
        raise ValidationFailed(detail, errors=errors)


def optional_date(raw: str, pointer: str) -> date | None:
    """A date field (YYYY-MM-DD) that may be left empty."""
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed("not a date", errors=[FieldError(pointer, "bad_date", "YYYY-MM-DD")]) from None


def required_date(raw: str, pointer: str) -> date:
    """A date field (YYYY-MM-DD) that must be filled in."""
    found = optional_date(raw, pointer)
    if found is None:
        raise ValidationFailed("a date is required", errors=[FieldError(pointer, "required", "a date")])
    return found


# ---- declaration documents ----------------------------------------------------------------------------------
def read_text(form: FormData, max_bytes: int) -> str:
    """The declaration's text: the uploaded file if one was chosen, else the text area."""
    upload = form.get("file")
    raw = ""
    if isinstance(upload, UploadFile) and upload.filename:
        data = upload.file.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ValidationFailed(
                "the file is too large", errors=[FieldError("", "too_large", f"at most {max_bytes} bytes")]
            )
        try:
            raw = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationFailed(
                "the file is not UTF-8 text",
                errors=[FieldError("", "not_utf8", "save the file as UTF-8 JSON")],
            ) from None
    if not raw.strip():
        pasted = form.get("document")
        raw = pasted if isinstance(pasted, str) else ""
    if not raw.strip():
        raise ValidationFailed(
            "nothing was sent", errors=[FieldError("", "required", "paste or upload JSON")]
        )
    return raw


def parse_json(raw: str) -> Any:
    """Parsed exactly as the JSON API parses a body, so both channels fingerprint a document alike."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise ValidationFailed(
            f"the declaration is not valid JSON ({where})", errors=[FieldError("", "invalid_json", where)]
        ) from None


def value_at(document: Any, pointer: str) -> Any:
    """The value a JSON pointer points at in what was sent, or :data:`MISSING`."""
    if not pointer:
        return document
    current = document
    for part in pointer.lstrip("/").split("/"):
        key = part.replace("~1", "/").replace("~0", "~")
        if isinstance(current, dict) and key in current:
            current = current[key]
        elif isinstance(current, list) and key.isdigit() and int(key) < len(current):
            current = current[int(key)]
        else:
            return MISSING
    return current


def shown(value: Any, limit: int = 120) -> str:
    """A sent value as the filer typed it (JSON), shortened."""
    text_value = json.dumps(value, ensure_ascii=False, default=str)
    return text_value if len(text_value) <= limit else text_value[: limit - 1] + "…"


def example_document(
    company: Company | None, today: date, suffix: str, *, client: Company | None = None
) -> str:
    """A valid import declaration in the company's name (or, for a broker, for its ``client``), to start from."""
    party: dict[str, Any] = {"name": company.name if company else "Your company", "country": "KR"}
    if company is not None and company.brn:
        party["brn"] = company.brn
    importer: dict[str, Any] = {"name": client.name, "brn": client.brn, "country": "KR"} if client else party
    document = {
        "kind": "import",
        "declarant_reference": f"WEB-{today:%Y%m%d}-{suffix}",
        "declarant": party,
        "importer": importer,
        "seller": {
            "name": "Shenzhen Everbright Trading Co.",
            "address": "Futian District, Shenzhen",
            "country": "CN",
        },
        "buyer": importer,
        "consignment": {
            "transport_mode": "sea",
            "transport_document": "HDMU12345678",
            "arrival_date": (today - timedelta(days=1)).isoformat(),
            "customs_office": "030",
            "port": "KRPUS",
        },
        "items": [
            {
                "line_number": 1,
                "commodity_code": "8471300000",
                "description": "Notebook computer, 14-inch, 16 GB RAM",
                "origin_country": "CN",
                "quantity": "100",
                "quantity_unit": "U",
                "net_mass_kg": "160",
                "invoice_amount": "85000.00",
                "currency": "USD",
                "incoterm": "FOB",
                "freight": "1200.00",
                "insurance": "150.00",
            }
        ],
        "documents": [
            {
                "kind": "invoice",
                "reference": f"INV-{suffix}",
                "issue_date": (today - timedelta(days=10)).isoformat(),
            }
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
