"""Errors of the origin domain (subclasses of the product's one error model)."""

from __future__ import annotations

from clearway.errors import ClearwayError, NotFound


class RuleDataInvalid(ClearwayError):
    """An agreement file in the loader format is malformed (raised with field errors naming the JSON path)."""

    type = "origin-rule-data-invalid"
    title = "The rules-of-origin data are invalid"
    status = 422


class UnknownAgreement(NotFound):
    type = "origin-unknown-agreement"
    title = "No rules of origin for that agreement"


class CertificateUnreadable(ClearwayError):
    """A certificate document that cannot be read into fields (a scan with no text, a broken PDF...)."""

    type = "certificate-unreadable"
    title = "The certificate of origin cannot be read"
    status = 422


class OcrUnavailable(ClearwayError):
    """A scan was uploaded but the OCR engine (Debian's tesseract-ocr with its language packs) is not installed."""

    type = "ocr-unavailable"
    title = "OCR is not installed on this server"
    status = 503


ORIGIN_ERRORS: tuple[type[ClearwayError], ...] = (
    RuleDataInvalid,
    UnknownAgreement,
    CertificateUnreadable,
    OcrUnavailable,
)
