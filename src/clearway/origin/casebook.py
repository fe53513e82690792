"""Replay the CBP ruling cases shipped with originshift and compare Clearway's answers (pure).

- ``agreement-cases.json``: HQ rulings applying 19 CFR 102.20 with a stated verdict (tariff shift met / not
  met), the good's and the materials' classifications. Every material is foreign (non-originating); the
  ruling's qualifiers ("when that change is pursuant to GRI 2(a)": true) are passed as attestations. Nothing
  else is attested, so a proviso nobody stated counts as not shown.
- ``textile-cases.json``: rulings applying one paragraph of the 102.21(c) hierarchy, with the production facts.

Each row says whether Clearway reproduces CBP and, when it does not, why.
"""

from __future__ import annotations

from typing import Any

from clearway.errors import ValidationFailed
from clearway.origin.bom import BillOfMaterials, Material, Product
from clearway.origin.determination import ORIGINATING, UNDETERMINED, determine
from clearway.origin.hs import digits
from clearway.origin.rules import Agreement
from clearway.origin.us_textile import textile_origin


def _verdict(agreement: Agreement, bom: BillOfMaterials) -> tuple[str, Any]:
    det = determine(agreement, bom, known_code=None)
    return (
        "met" if det.status == ORIGINATING else "undetermined" if det.status == UNDETERMINED else "not_met"
    ), det


def favourable_attestations(det: Any, given: dict[str, Any]) -> dict[str, bool]:
    """Every condition of the rules found attested in the claimant's favour (keeping what the case states)."""
    out: dict[str, bool] = {}
    for outcome in det.rules:
        for alt in outcome.rule.alternatives:
            for c in alt.criteria:
                if c.kind in ("attested", "specific_process"):
                    out[c.id] = True
                for _, when in c.conditional_exceptions:
                    out[when] = False
    out.update(given)
    return out


def agreement_case(agreement: Agreement, case: dict[str, Any]) -> dict[str, Any]:
    good = digits(case["good"])
    materials = tuple(
        Material(hs=digits(m), originating=False, origin_country=(case.get("origins") or {}).get(m))
        for m in case["materials"]
    )
    given = dict(case.get("qualifiers") or {})
    bom = BillOfMaterials(Product(hs=good), materials, attestations=given)
    row: dict[str, Any] = {
        "ruling": case["ruling"],
        "good": case["good"],
        "materials": case["materials"],
        "cbp": case["cbp"],
        "note": case.get("note", ""),
    }
    try:
        ours, det = _verdict(agreement, bom)
    except ValidationFailed as exc:
        row.update(clearway="error", agrees=False, why=str(exc))
        return row
    favourable, _ = _verdict(
        agreement, BillOfMaterials(bom.product, materials, attestations=favourable_attestations(det, given))
    )
    row.update(
        clearway=ours,
        clearway_if_all_conditions_attested=favourable,
        agrees=ours == case["cbp"],
        decided_on_codes=ours == favourable,
        reasons=det.reasons,
        attestations_needed=[a["text"] for a in det.attestations_needed],
    )
    if ours == "undetermined" or not row["agrees"]:
        row["why"] = "; ".join(
            det.reasons + [r["reason"] for rule in det.rules for r in rule.per_material if not r["met"]]
        )
    elif ours != favourable:
        row["why"] = (
            "reproduced conservatively: the verdict rests on a condition nobody attested ("
            + "; ".join(row["attestations_needed"])
            + ")"
        )
    return row


def run_agreement_cases(agreement: Agreement, doc: dict[str, Any]) -> dict[str, Any]:
    rows = [agreement_case(agreement, c) for c in doc["cases"]]
    agree = sum(1 for r in rows if r["agrees"])
    on_codes = sum(1 for r in rows if r["agrees"] and r.get("decided_on_codes"))
    return {
        "cases": len(rows),
        "reproduced": agree,
        "reproduced_on_codes_alone": on_codes,
        "differ": len(rows) - agree,
        "rows": rows,
    }


def run_textile_cases(corpus: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    rows = []
    for case in doc["cases"]:
        result = textile_origin(case["good"], case.get("facts") or {}, corpus)
        country_ok = result.country == case["country"]
        step_ok = result.step == case["step"]
        row = {
            "ruling": case["ruling"],
            "good": case["good"],
            "cbp_country": case["country"],
            "cbp_step": case["step"],
            "clearway_country": result.country,
            "clearway_step": result.step,
            "country_agrees": country_ok,
            "step_agrees": step_ok,
            "steps": result.steps,
            "note": case.get("note", ""),
        }
        if not country_ok and result.country is None and step_ok:
            row["why"] = "the step matches but the facts do not state the country (the ruling text does)"
        elif country_ok and not step_ok:
            row["why"] = f"same country through paragraph {result.step} instead of {case['step']}: " + (
                result.steps[2] if len(result.steps) > 2 else ""
            )
        rows.append(row)
    return {
        "cases": len(rows),
        "country_reproduced": sum(1 for r in rows if r["country_agrees"]),
        "country_and_step_reproduced": sum(1 for r in rows if r["country_agrees"] and r["step_agrees"]),
        "rows": rows,
    }
