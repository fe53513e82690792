"""The risk engine's view of a declaration: one :class:`RiskRecord` per goods item, and its outcome.

Everything the criteria and the model look at is here, as plain values, so the same feature code serves the
product (records built from a :class:`~clearway.declaration.content.DeclarationContent` and its assessment)
and the benchmark (records built from rows of the KCS customs import declaration dataset). Fields a source
does not have stay ``None``; the model treats them as missing.

Pure: no session, no clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from clearway.declaration.content import DeclarationContent, Party
from clearway.declaration.steps import Advice, AssessmentOutcome, FilingContext


@dataclass(frozen=True, slots=True)
class RiskRecord:
    """One goods item of a declaration, with the declaration-level facts repeated.

    ``value_krw`` is the customs value in won (KCS "Item Price"); ``value_key`` is the declared amount as
    filed (currency and exact amount), used to recognise identical declared values seen before.
    """

    declared_on: date
    hs6: str | None = None
    commodity_code: str | None = None
    origin_country: str | None = None
    departure_country: str | None = None
    office: str | None = None
    transport_mode: str | None = None
    process_type: str | None = None
    import_type: str | None = None
    import_use: str | None = None
    payment_type: str | None = None
    courier: str | None = None
    origin_indicator: str | None = None
    tax_type: str | None = None
    importer: str | None = None
    declarant: str | None = None
    seller: str | None = None
    tax_rate: float | None = None
    net_mass_kg: float | None = None
    value_krw: float | None = None
    value_key: str | None = None
    mass_key: str | None = None
    risk_signal: float | None = None
    kind: str | None = None
    ref: str = ""  # where the record comes from: "declaration 12 v1 line 2", "row 17"

    @property
    def value_per_kg(self) -> float | None:
        if self.value_krw is None or not self.net_mass_kg:
            return None
        return self.value_krw / self.net_mass_kg

    def as_dict(self) -> dict[str, Any]:
        d = {name: getattr(self, name) for name in RECORD_FIELDS}
        d["declared_on"] = self.declared_on.isoformat()
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RiskRecord:
        values = {k: v for k, v in data.items() if k in RECORD_FIELDS}
        values["declared_on"] = date.fromisoformat(str(data["declared_on"]))
        return cls(**values)


RECORD_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(RiskRecord))


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a check found (검사결과): the label. ``known_on`` is the day the finding was recorded."""

    fraud: bool
    critical: bool = False
    additional_duty_krw: Decimal = Decimal(0)
    known_on: date | None = None


# ---- canonical forms ---------------------------------------------------------------------------------------


def canonical_amount(value: Any) -> str | None:
    """The exact decimal written the same way whatever its source: ``372254.40`` and ``372254.4`` agree."""
    if value is None or value == "":
        return None
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return None
    if not d.is_finite():
        return None
    d = d.normalize()
    text = format(d, "f")
    return "0" if text in ("-0", "0") else text


def party_key(party: Party | None) -> str | None:
    """A stable key for a party: the business registration number when given, else name and country."""
    if party is None:
        return None
    if party.brn:
        digits = "".join(c for c in party.brn if c.isdigit())
        if digits:
            return f"BRN:{digits}"
    name = " ".join(party.name.upper().split())
    return f"{name}|{party.country}"


def _float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


# ---- the product's declarations ----------------------------------------------------------------------------


def _as_float(value: Decimal | None) -> float | None:
    if value is None:
        return None
    f = float(value)
    return f if math.isfinite(f) else None


def records_from_content(
    content: DeclarationContent,
    context: FilingContext,
    assessment: AssessmentOutcome | None = None,
    advice: list[Advice] | None = None,
) -> list[RiskRecord]:
    """One record per goods item of a filed declaration.

    The customs value, the duty and the rate the goods are taxed at come from the assessment's typed line
    results (:class:`~clearway.declaration.assessed.AssessedLine`) when the assessment engine provides them;
    otherwise they stay missing.
    The departure country is the seller's country (the declaration has no separate country of consignment).
    Advice ``risk_signal`` values become the record's ``risk_signal`` (the largest that points at the item or
    at the whole declaration).
    """
    results = assessment.result_by_line() if assessment is not None else {}
    importer = party_key(content.importer if content.importer is not None else content.exporter)
    declarant = party_key(content.declarant)
    seller = party_key(content.seller)
    records = []
    for index, item in enumerate(content.items):
        assessed = results.get(item.line_number)
        value = _as_float(assessed.customs_value_krw) if assessed is not None else None
        duty = _as_float(assessed.duty_krw) if assessed is not None else None
        tax_rate = None
        if value and duty is not None:
            tax_rate = round(100.0 * duty / value, 2)
        signal = _signal_for(advice or [], index)
        records.append(
            RiskRecord(
                declared_on=context.filed_on,
                hs6=item.commodity_code[:6],
                commodity_code=item.commodity_code,
                origin_country=item.origin_country,
                departure_country=content.seller.country,
                office=content.consignment.customs_office,
                transport_mode=content.consignment.transport_mode,
                tax_type=assessed.taxed_at() if assessed is not None else None,
                importer=importer,
                declarant=declarant,
                seller=seller,
                tax_rate=tax_rate,
                net_mass_kg=float(item.net_mass_kg),
                value_krw=value,
                value_key=f"{item.currency}:{canonical_amount(item.invoice_amount)}",
                mass_key=canonical_amount(item.net_mass_kg),
                risk_signal=signal,
                kind=content.kind.value,
                ref=f"declaration {context.declaration_id} v{context.version} line {item.line_number}",
            )
        )
    return records


def _signal_for(advice: list[Advice], index: int) -> float | None:
    """The strongest advice signal about goods item ``index`` or about the declaration as a whole."""
    best = None
    prefix = f"/items/{index}/"
    for a in advice:
        if a.risk_signal is None:
            continue
        pointer = a.pointer or ""
        if pointer.startswith("/items/") and not (pointer + "/").startswith(prefix):
            continue
        s = _float(a.risk_signal)
        if s is not None and (best is None or s > best):
            best = s
    return best


# ---- the KCS customs import declaration dataset ------------------------------------------------------------

KCS_COLUMNS = (
    "Declaration ID",
    "Date",
    "Office ID",
    "Process Type",
    "Import Type",
    "Import Use",
    "Payment Type",
    "Mode of Transport",
    "Declarant ID",
    "Importer ID",
    "Seller ID",
    "Courier ID",
    "HS6 Code",
    "Country of Departure",
    "Country of Origin",
    "Tax Rate",
    "Tax Type",
    "Country of Origin Indicator",
    "Net Mass",
    "Item Price",
)
KCS_LABELS = ("Fraud", "Critical Fraud")


def _text(row: dict[str, str], column: str) -> str | None:
    value = (row.get(column) or "").strip()
    return value or None


def record_from_kcs(row: dict[str, str], index: int = 0) -> RiskRecord:
    """Map one row of the KCS dataset to a record. Reads no label column. Raises ``ValueError`` on a bad
    date."""
    hs6 = _text(row, "HS6 Code")
    if hs6 is not None and hs6.isdigit():
        hs6 = hs6.zfill(6)
    price = _text(row, "Item Price")
    mass = _text(row, "Net Mass")
    return RiskRecord(
        declared_on=date.fromisoformat((row.get("Date") or "").strip()),
        hs6=hs6,
        origin_country=_text(row, "Country of Origin"),
        departure_country=_text(row, "Country of Departure"),
        office=_text(row, "Office ID"),
        transport_mode=_text(row, "Mode of Transport"),
        process_type=_text(row, "Process Type"),
        import_type=_text(row, "Import Type"),
        import_use=_text(row, "Import Use"),
        payment_type=_text(row, "Payment Type"),
        courier=_text(row, "Courier ID"),
        origin_indicator=_text(row, "Country of Origin Indicator"),
        tax_type=_text(row, "Tax Type"),
        importer=_text(row, "Importer ID"),
        declarant=_text(row, "Declarant ID"),
        seller=_text(row, "Seller ID"),
        tax_rate=_float(_text(row, "Tax Rate")),
        net_mass_kg=_float(mass),
        value_krw=_float(price),
        value_key=None if price is None else f"KRW:{canonical_amount(price)}",
        mass_key=canonical_amount(mass),
        kind="import",
        ref=f"row {index + 1}"
        + (f" (declaration {row['Declaration ID']})" if row.get("Declaration ID") else ""),
    )


def outcome_from_kcs(row: dict[str, str]) -> Outcome:
    """The labels of one KCS row: Fraud 0/1 and Critical Fraud 0/1/2 (2 = critical)."""
    fraud = (row.get("Fraud") or "").strip()
    critical = (row.get("Critical Fraud") or "").strip()
    if fraud not in ("0", "1") or critical not in ("0", "1", "2"):
        raise ValueError(f"bad labels Fraud={fraud!r} Critical Fraud={critical!r}")
    return Outcome(
        fraud=fraud == "1",
        critical=critical == "2",
        known_on=date.fromisoformat((row.get("Date") or "").strip()),
    )
