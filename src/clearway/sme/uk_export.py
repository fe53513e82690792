"""The exporter's view of the UK, pure: a Korean exporter's goods entering Great Britain, UK duty under the
UK–Korea FTA (a tariff preference measure whose area is Korea or a group holding it) against the UK's
third-country duty (MFN), from the UK measure model (:mod:`clearway.tariff.uk`) and the UK calculator's
options (:func:`clearway.assessment.uk.duty_options`).

Which measures apply to Korea is decided from each measure's geographical area: ERGA OMNES (1011) unless Korea
is excluded, Korea itself, or a group whose member list (from the UK commodity document) holds Korea. A
group whose members the document does not list is named as not assessed, never guessed. A measure that cannot
be evaluated for this shipment (a specific duty without the quantity or in another currency) is named too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from clearway.assessment.uk import OPTION_TYPES, UkInputs, UkOption, duty_options
from clearway.tariff.duty import CannotCompute, evaluate
from clearway.tariff.measures import ERGA_OMNES
from clearway.tariff.uk import UkCommodity, UkMeasure

KOREA = "KR"
MFN_TYPES = frozenset({"103", "105"})
PREFERENCE_TYPES = frozenset({"142", "145", "106"})


def applies(m: UkMeasure, origin: str, members: Mapping[str, frozenset[str]]) -> bool | None:
    """Whether the measure's area holds ``origin`` (None: a group whose members are not known)."""
    area = m.measure.geo_area
    if origin in m.measure.excluded:
        return False
    if area == origin:
        return True
    if area == ERGA_OMNES:
        return True
    if members.get(area):
        return origin in members[area]
    if len(area) == 2 and area.isalpha():
        return False  # another country
    return None


def quantities(net_mass_kg: Decimal | None) -> dict[str, Decimal]:
    """The UK measurement units a net mass answers (kilograms, decitonnes, tonnes)."""
    if net_mass_kg is None:
        return {}
    return {"KGM": net_mass_kg, "DTN": net_mass_kg / 100, "TNE": net_mass_kg / 1000}


def _usable(m: UkMeasure, inputs: UkInputs) -> str | None:
    """Why the measure cannot be evaluated for this shipment, or None."""
    value = inputs.goods_value + inputs.shipping + inputs.insurance
    try:
        evaluate(
            m.measure.expression,
            value,
            lambda unit, qualifier: inputs.quantities.get(unit + (qualifier or "")),
            lambda currency: Decimal(1) if currency == inputs.currency else None,
            inputs.currency,
        )
    except CannotCompute as problem:
        return str(problem)
    return None


def _option(o: UkOption) -> dict[str, Any]:
    total = o.rows[-1].exact if o.rows else None
    return {
        "type": o.type,
        "measure_type": o.measure.type_id if o.measure else None,
        "area": o.measure.area_description if o.measure else None,
        "rate": o.measure.base_text if o.measure else None,
        "duty": None if o.value is None else str(o.value.quantize(Decimal("0.01"))),
        "total_incl_vat": None if total is None else str(total.quantize(Decimal("0.01"))),
        "rows": [[r.label, r.calculation, str(r.shown)] for r in o.rows],
    }


def view(
    commodity: UkCommodity,
    members: Mapping[str, frozenset[str]],
    inputs: UkInputs,
    *,
    on: date,
) -> dict[str, Any]:
    """UK duty for goods of ``inputs.origin`` (Korea) entering Great Britain: MFN against the UK–Korea FTA
    preference, the other options the UK tariff offers, and what was left out and why."""
    applicable: list[UkMeasure] = []
    not_assessed: list[dict[str, str]] = []
    for m in commodity.measures:
        if not m.measure.valid_on(on):
            continue
        holds = applies(m, inputs.origin, members)
        if holds is None:
            not_assessed.append(
                {
                    "measure_type": m.type_id,
                    "area": m.area_description or m.measure.geo_area,
                    "reason": "the UK data do not list the countries of this group",
                }
            )
            continue
        if not holds:
            continue
        if m.measure.additional_code is None and (problem := _usable(m, inputs)) is not None:
            not_assessed.append({"measure_type": m.type_id, "area": m.area_description, "reason": problem})
            continue
        applicable.append(m)
    options = duty_options(replace(commodity, measures=tuple(applicable)), inputs)
    mfn = next((o for o in options if o.measure and o.measure.type_id in MFN_TYPES), None)
    fta = next((o for o in options if o.measure and o.measure.type_id in PREFERENCE_TYPES), None)
    others = [
        _option(o)
        for o in options
        if o is not mfn and o is not fta and o.measure is not None and o.measure.type_id in OPTION_TYPES
    ]
    saving = None
    if mfn is not None and fta is not None and mfn.rows and fta.rows:
        saving = str((mfn.rows[-1].exact - fta.rows[-1].exact).quantize(Decimal("0.01")))
    return {
        "destination": "GB",
        "commodity": commodity.code,
        "description": commodity.description,
        "currency": inputs.currency,
        "customs_value": str(
            (inputs.goods_value + inputs.shipping + inputs.insurance).quantize(Decimal("0.01"))
        ),
        "mfn": _option(mfn) if mfn else None,
        "fta": _option(fta) if fta else None,
        "fta_found": fta is not None,
        "saving": saving,
        "other_options": others,
        "not_assessed": not_assessed,
    }
