"""One error model for the whole product (RFC 9457 problem details).

Domain code raises subclasses of :class:`ClearwayError`; it imports nothing from the web framework.
The HTTP shell renders them as ``application/problem+json`` (see :mod:`clearway.web.problems`), the CLI
prints ``title: detail`` and the field errors, and the web pages show the same text to the user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class FieldError:
    """One invalid field: where (a JSON pointer into the submitted document), a stable code, and why; ``cell``
    names the place in a spreadsheet (``Sheet!A1``) when the document came from one."""

    pointer: str
    code: str
    message: str
    cell: str | None = None

    def as_dict(self) -> dict[str, str]:
        out = {"pointer": self.pointer, "code": self.code, "message": self.message}
        if self.cell is not None:
            out["cell"] = self.cell
        return out


class ClearwayError(Exception):
    """Base of every expected failure. Subclasses set ``type``, ``title`` and ``status``."""

    type: ClassVar[str] = "about:blank"
    title: ClassVar[str] = "Error"
    status: ClassVar[int] = 400

    def __init__(self, detail: str, *, errors: list[FieldError] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors or [])
        self.extra = extra

    @classmethod
    def type_uri(cls) -> str:
        return cls.type if cls.type == "about:blank" else f"https://clearway.dev/problems/{cls.type}"

    def to_problem(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": self.type_uri(),
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = [e.as_dict() for e in self.errors]
        # Extension members never override the standard ones (RFC 9457 §3.2).
        body.update({k: v for k, v in self.extra.items() if k not in body})
        return body

    def __str__(self) -> str:  # readable in the CLI and logs
        lines = [f"{self.title}: {self.detail}"]
        lines += [
            f"  {e.cell + ' ' if e.cell else ''}{e.pointer or '/'}: {e.message} [{e.code}]"
            for e in self.errors
        ]
        return "\n".join(lines)


class ValidationFailed(ClearwayError):
    type = "validation-failed"
    title = "The submission has invalid fields"
    status = 422


class NotFound(ClearwayError):
    type = "not-found"
    title = "Not found"
    status = 404


class MethodNotAllowed(ClearwayError):
    type = "method-not-allowed"
    title = "Method not allowed"
    status = 405


class Conflict(ClearwayError):
    type = "conflict"
    title = "Conflict with the current state"
    status = 409


class IllegalTransition(Conflict):
    type = "illegal-transition"
    title = "That step is not allowed in the declaration's current status"


class Unauthenticated(ClearwayError):
    type = "unauthenticated"
    title = "Authentication required"
    status = 401


class Forbidden(ClearwayError):
    type = "forbidden"
    title = "Not allowed"
    status = 403


class PayloadTooLarge(ClearwayError):
    type = "payload-too-large"
    title = "Request body too large"
    status = 413


class CannotAssess(ClearwayError):
    """Raised when a figure cannot be computed honestly (no rate, no exchange rate...)."""

    type = "cannot-assess"
    title = "Cannot assess"
    status = 422


class ServiceUnavailable(ClearwayError):
    type = "service-unavailable"
    title = "A required part is not available"
    status = 503


class DatabaseUnavailable(ServiceUnavailable):
    """The database cannot be reached, dropped the connection, or refuses writes for now; nothing of the request
    was stored (its transaction rolled back) and the same request may be sent again."""

    type = "database-unavailable"
    title = "The database is not available"


class InsufficientStorage(ClearwayError):
    """The database has no room left for the request's writes; nothing of the request was stored."""

    type = "insufficient-storage"
    title = "The database is full"
    status = 507


ALL_ERRORS: tuple[type[ClearwayError], ...] = (
    ValidationFailed,
    NotFound,
    MethodNotAllowed,
    Conflict,
    IllegalTransition,
    Unauthenticated,
    Forbidden,
    PayloadTooLarge,
    CannotAssess,
    ServiceUnavailable,
    DatabaseUnavailable,
    InsufficientStorage,
)


class PreconditionRequired(ClearwayError):
    type = "precondition-required"
    title = "Precondition required"
    status = 428
