"""Privacy by design for passenger data: when to mask, what masking leaves, when to delete. Pure.

Modelled on the EU PNR Directive (EU) 2016/681, art. 12: PNR data is kept for five years in all, and after six
months the data elements that could identify the passenger directly are masked out ("depersonalised"). Both
periods are parameters; the defaults below are the Directive's. Masking keeps what risk analysis needs (route,
dates, booking channel, bags, nationality, year of birth) and drops who the person is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from clearway.errors import FieldError, ValidationFailed

DEFAULT_MASK_AFTER_DAYS = 183  # six months (Directive (EU) 2016/681, art. 12(2))
DEFAULT_DELETE_AFTER_DAYS = 1826  # five years (art. 12(1) and (4))
MASK = "***"
_API_IDENTIFYING = ("family_name", "given_names", "document_number", "seat")
_PNR_IDENTIFYING = ("record_locator", "contact", "travel_agency", "co_travellers")


@dataclass(frozen=True, slots=True)
class Retention:
    mask_after_days: int = DEFAULT_MASK_AFTER_DAYS
    delete_after_days: int = DEFAULT_DELETE_AFTER_DAYS

    def __post_init__(self) -> None:
        errors = []
        if self.mask_after_days < 1:
            errors.append(
                FieldError("mask_after_days", "bad_period", "the masking period is at least one day")
            )
        if self.delete_after_days <= self.mask_after_days:
            errors.append(
                FieldError(
                    "delete_after_days",
                    "bad_period",
                    "the retention period must be longer than the masking period",
                )
            )
        if errors:
            raise ValidationFailed("the retention periods are inconsistent", errors=errors)

    def mask_before(self, today: date) -> date:
        """Passengers who arrived before this day are masked."""
        return today - timedelta(days=self.mask_after_days)

    def delete_before(self, today: date) -> date:
        """Passengers who arrived before this day are deleted."""
        return today - timedelta(days=self.delete_after_days)


def masked_api(api: dict[str, Any]) -> dict[str, Any]:
    """The API fields with the identifying ones masked; the date of birth is cut to its year."""
    out = {k: (MASK if k in _API_IDENTIFYING and v is not None else v) for k, v in api.items()}
    if api.get("date_of_birth"):
        out["date_of_birth"] = None
        out["year_of_birth"] = int(str(api["date_of_birth"])[:4])
    return out


def masked_pnr(pnr: dict[str, Any] | None) -> dict[str, Any] | None:
    if pnr is None:
        return None
    out = dict(pnr)
    for key in _PNR_IDENTIFYING:
        if key in out:
            out[key] = [] if key == "co_travellers" else (MASK if out[key] is not None else None)
    return out
