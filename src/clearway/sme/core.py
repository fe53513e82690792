"""SME pre-filing simulator, pure: compares the duty and taxes of a planned import under MFN and under each
FTA it could use, says what each FTA needs, and turns past lanes into an expected clearance path.

Inputs are the assessment engine's answers (one per scenario) and the lane counts of similar goods; nothing
here reads a database or a clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from clearway.reference.codes import Agreement

LANES = ("green", "blue", "yellow", "red")


def candidate_agreements(origin: str, on: date, agreements: Iterable[Agreement]) -> list[Agreement]:
    """The agreements in force on ``on`` whose partners include the origin."""
    return sorted(
        (a for a in agreements if origin in a.partners and a.in_force_from <= on), key=lambda a: a.code
    )


def _applied(answer: Mapping[str, Any]) -> tuple[str | None, str | None]:
    line = (answer.get("lines") or [{}])[0]
    rates = line.get("rates") or {}
    for candidate in rates.get("candidates", []):
        if candidate.get("status") == "applied":
            return candidate.get("rate_code"), candidate.get("rate")
    return rates.get("applied"), None


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str  # "MFN" or the agreement code
    agreement_name: str | None
    rate_code: str | None
    rate: str | None
    duty_krw: Decimal
    total_krw: Decimal
    saving_krw: Decimal  # against MFN
    preferential: bool  # the FTA rate is lower than the one applied without it
    needs: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.name,
            "agreement_name": self.agreement_name,
            "rate_code": self.rate_code,
            "rate": self.rate,
            "duty_krw": str(self.duty_krw),
            "total_krw": str(self.total_krw),
            "saving_krw": str(self.saving_krw),
            "preferential": self.preferential,
            "needs": list(self.needs),
        }


def _money(answer: Mapping[str, Any], key: str) -> Decimal:
    line = (answer.get("lines") or [{}])[0]
    value = line.get(key) if key != "total_due_krw" else answer.get("total_due_krw")
    return Decimal(str(value or 0))


NEEDS = (
    "a certificate of origin or origin declaration under the agreement, issued for this shipment "
    "(FTA 관세특례법 제8조)",
    "ask the supplier for the origin criterion met (wholly obtained, tariff shift or regional value content) "
    "and the evidence behind it (bill of materials, production records)",
    "direct transport to Korea, or proof of non-manipulation in transit",
    "claim the rate when filing (or within one year after acceptance: FTA 관세특례법 제9조)",
)


def compare(mfn: Mapping[str, Any], per_agreement: Mapping[Agreement, Mapping[str, Any]]) -> list[Scenario]:
    """MFN first, then each agreement, with the saving against MFN."""
    base_total = _money(mfn, "total_due_krw")
    code, rate = _applied(mfn)
    out = [Scenario("MFN", None, code, rate, _money(mfn, "duty_krw"), base_total, Decimal(0), False, ())]
    for agreement, answer in per_agreement.items():
        code, rate = _applied(answer)
        total = _money(answer, "total_due_krw")
        out.append(
            Scenario(
                agreement.code,
                agreement.name,
                code,
                rate,
                _money(answer, "duty_krw"),
                total,
                base_total - total,
                total < base_total,
                NEEDS,
            )
        )
    return out


def clearance_path(counts: Mapping[str, int], level: str) -> dict[str, Any]:
    """Lane shares of similar past declarations (no criterion is named: only the outcome frequencies)."""
    total = sum(counts.get(lane, 0) for lane in LANES)
    shares = {lane: round(counts.get(lane, 0) / total, 3) if total else None for lane in LANES}
    return {"based_on": level, "declarations": total, "shares": shares}


def _duty(candidate: Mapping[str, Any]) -> Decimal | None:
    value = candidate.get("duty_krw")
    return Decimal(str(value)) if value not in (None, "") else None


def _is_fta(candidate: Mapping[str, Any]) -> bool:
    return str(candidate.get("legal_basis", "")).startswith("FTA")


@dataclass(frozen=True, slots=True)
class LineSaving:
    declaration: str
    line_number: int
    commodity_code: str
    applied: str | None
    saved_krw: Decimal  # duty below the best non-FTA rate, thanks to an FTA rate applied
    missed_krw: Decimal  # duty above the best FTA rate that was not claimed or not granted
    missed_rate: str | None


def line_saving(declaration: str, line: Mapping[str, Any]) -> LineSaving:
    """What an FTA saved on an assessed line, or what it could have saved (duty only, before VAT)."""
    candidates = (line.get("rates") or {}).get("candidates", [])
    applied = next((c for c in candidates if c.get("status") == "applied"), None)
    applied_duty = _duty(applied) if applied else None
    saved = missed = Decimal(0)
    missed_rate = None
    if applied is not None and applied_duty is not None:
        if _is_fta(applied):
            others = [
                d
                for c in candidates
                if not _is_fta(c) and c.get("status") == "superseded" and (d := _duty(c)) is not None
            ]
            if others:
                saved = max(Decimal(0), min(others) - applied_duty)
        else:
            usable = [
                (d, c.get("rate_code"))
                for c in candidates
                if _is_fta(c)
                and c.get("status") in ("not_claimed", "not_granted")
                and (d := _duty(c)) is not None
            ]
            if usable:
                best, code = min(usable, key=lambda x: x[0])
                if best < applied_duty:
                    missed, missed_rate = applied_duty - best, code
    return LineSaving(
        declaration,
        int(line.get("line_number") or 0),
        str(line.get("commodity_code") or ""),
        applied.get("rate_code") if applied else None,
        saved,
        missed,
        missed_rate,
    )


def savings_report(lines: Iterable[LineSaving]) -> dict[str, Any]:
    rows = list(lines)
    return {
        "saved_krw": str(sum((r.saved_krw for r in rows), Decimal(0))),
        "could_have_saved_krw": str(sum((r.missed_krw for r in rows), Decimal(0))),
        "lines": len(rows),
        "note": "customs duty only; VAT (10% of value plus duty) moves with it",
        "missed": [
            {
                "declaration": r.declaration,
                "line_number": r.line_number,
                "commodity_code": r.commodity_code,
                "applied": r.applied,
                "fta_rate": r.missed_rate,
                "missed_krw": str(r.missed_krw),
            }
            for r in rows
            if r.missed_krw
        ][:100],
    }
