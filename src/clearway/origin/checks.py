"""Verify a certificate of origin against the declaration that relies on it (pure).

:func:`verify_certificate` returns one check per point a verifier looks at — each ``{"check", "passed",
"reason"}`` — and the preference is granted only when every check passes (FTA 관세특례법 제8조-제10조: a
preferential rate needs a valid proof that matches the goods). A data element the agreement's form does not
carry (an importer on an EU origin declaration) passes as "not an element of this proof"; an element the form
requires but the certificate lacks fails.

Checks: certificate on record and in force; agreement; declared as a certificate_of_origin document; form
completeness; dates and validity (issued before the import, not expired, blanket period); exporter; importer;
origin country; HS6 (the certificate's code carried over to HS 2022 by :mod:`clearway.origin.hs_editions`);
goods description; origin criterion against the agreement's rule for the goods; quantity (what other
declarations already drew from the certificate is deducted); invoice reference; direct transport.

Every failed check carries ``fix``: what the broker (or the exporter) can do to make the claim hold.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from rapidfuzz import fuzz

from clearway.declaration.content import DeclarationContent, DocumentKind, GoodsItem
from clearway.origin.certificates import Certificate, CertificateItem, ProofRule, expiry, missing_elements
from clearway.origin.hs_editions import correlate
from clearway.reference import codes

_SUFFIXES = re.compile(
    r"\b(co|corp|corporation|company|ltd|limited|inc|incorporated|llc|plc|gmbh|ag|sa|s\.a|bv|b\.v|nv|kg|srl|spa|"
    r"pte|pty|jsc|kk|k\.k|the|주식회사|유한회사|\(주\))\b\.?",
    re.I,
)
_STOP = {"and", "the", "for", "with", "of", "other", "parts", "new", "used", "type", "model", "pcs", "set"}
PARTY_THRESHOLD = 85
DESCRIPTION_THRESHOLD = 60


def normalise_name(name: str) -> str:
    text = _SUFFIXES.sub(" ", name.lower())
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def same_party(a: str | None, b: str | None) -> tuple[bool, int]:
    if not a or not b:
        return False, 0
    x, y = normalise_name(a), normalise_name(b)
    if not x or not y:
        return False, 0
    score = int(
        max(fuzz.token_sort_ratio(x, y), fuzz.token_set_ratio(x, y) if min(len(x), len(y)) >= 6 else 0)
    )
    return score >= PARTY_THRESHOLD, score


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z가-힣]{3,}", text.lower()) if w not in _STOP}


def similar_description(a: str, b: str) -> tuple[bool, int]:
    score = int(fuzz.token_set_ratio(a.lower(), b.lower()))
    return score >= DESCRIPTION_THRESHOLD or bool(_words(a) & _words(b)), score


def _n(value: Decimal) -> str:
    """A quantity as people write it: 500, 12.5 (whatever scale the database returned)."""
    text = format(value.normalize(), "f")
    return text


def _check(name: str, passed: bool, reason: str, **extra: Any) -> dict[str, Any]:
    return {"check": name, "passed": passed, "reason": reason, **extra}


def _quantity_in(quantity: Decimal, unit: str, target_unit: str | None) -> Decimal | None:
    """Convert a declared quantity into the certificate's unit when both are known and of one dimension."""
    if not target_unit:
        return None
    aliases = {
        "PCS": "U",
        "PCE": "U",
        "PC": "U",
        "UNIT": "U",
        "UNITS": "U",
        "KGS": "KGM",
        "KG": "KGM",
        "SET": "SET",
        "SETS": "SET",
        "PR": "PR",
        "PAIR": "PR",
        "PAIRS": "PR",
        "L": "LTR",
        "TNE": "TNE",
    }
    source, target = (
        aliases.get(unit.upper(), unit.upper()),
        aliases.get(target_unit.upper(), target_unit.upper()),
    )
    if source == target:
        return quantity
    table = codes.units()
    if source in table and target in table and table[source].dimension == table[target].dimension:
        return quantity * table[source].factor_to_base / table[target].factor_to_base
    return None


def _matching_items(cert: Certificate, item: GoodsItem) -> list[CertificateItem]:
    return [cert.items[n] for n in matching_positions(cert, item)]


def matching_positions(cert: Certificate, item: GoodsItem) -> list[int]:
    """The indexes of the certificate's goods items whose HS code, carried over to the declaration's edition,
    is the declared subheading."""
    hs6 = item.commodity_code[:6]
    return [n for n, i in enumerate(cert.items) if i.hs6 and hs6 in correlate(i.hs6, i.hs_version).codes]


# what fixes a failed check, by check name (a check may give a more precise ``fix`` of its own)
FIXES = {
    "certificate_on_record": "register the certificate (POST /api/v1/origin/certificates, /certificates/upload or "
    "/certificates/electronic) under your company before filing",
    "certificate_status": "the certificate was withdrawn: obtain a new certificate from the exporter or pay the "
    "basic rate",
    "agreement": "claim the agreement the certificate was issued under, or obtain a certificate under the "
    "agreement claimed",
    "declared_document": "list the certificate among the declaration's documents (kind certificate_of_origin, "
    "its number as reference)",
    "declared_issue_date": "give the certificate's issue date in the declaration's document list",
    "proof_rule": "no proof of origin is encoded for this agreement: check the certificate by hand and claim "
    "after a ruling",
    "form_complete": "ask the exporter for a certificate carrying every required element (a corrected or "
    "replacement certificate)",
    "issue_date": "a certificate issued after the import can be used only as a retroactive certificate: ask the "
    "exporter for one marked 'issued retroactively' and claim after release (FTA 관세특례법 제9조)",
    "validity": "the certificate expired: ask the exporter for a new certificate covering this shipment",
    "blanket_period": "the goods arrived outside the blanket period: use a certificate covering the arrival date",
    "exporter": "correct the declaration's seller/exporter if it was mis-keyed, or obtain the certificate made "
    "out for this exporter",
    "importer": "correct the declaration's importer if it was mis-keyed, or ask the exporter for a certificate "
    "naming this importer",
    "origin_country": "declare the origin the certificate states, or obtain a certificate for the actual origin",
    "hs6": "check the classification: if the declaration is right, ask the exporter for a certificate with the "
    "correct HS code; if the certificate is right, amend the declaration's commodity code",
    "goods_description": "describe the goods as on the certificate, or obtain a certificate describing them",
    "origin_criterion": "ask the exporter for a certificate stating the criterion the goods actually meet under "
    "the agreement's rule",
    "quantity": "claim the preference for at most the quantity left on the certificate and pay the basic rate "
    "on the rest (split the line), or obtain a further certificate",
    "invoice_reference": "list the invoice the certificate cites among the declaration's documents, or, for a "
    "third-party invoice, state it on the certificate",
    "direct_transport": "produce the through bill of lading or the transit country's customs certificate showing "
    "the goods were not manipulated in transit",
    "preference_claim": "claim a preference on the goods item",
}


def with_fixes(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        c if c["passed"] or c.get("fix") else {**c, "fix": FIXES.get(c["check"], "see the reason")}
        for c in checks
    ]


def allocate(
    cert: Certificate, item: GoodsItem, drawn: Mapping[int, Decimal]
) -> list[tuple[int, Decimal, str | None]]:
    """What the goods item draws from the certificate: (item index, quantity in the certificate's unit, unit),
    first come first served over its matching goods items, each net of what other declarations ``drawn``.
    Empty when no quantity can be drawn (no matching item with a quantity, units not comparable)."""
    out: list[tuple[int, Decimal, str | None]] = []
    positions = [n for n in matching_positions(cert, item) if cert.items[n].quantity is not None]
    if not positions:
        return out
    unit = cert.items[positions[0]].unit
    need = _quantity_in(item.quantity, item.quantity_unit, unit)
    if need is None:
        return out
    for n in positions:
        if need <= 0:
            break
        certified = cert.items[n].quantity
        assert certified is not None
        left = certified - drawn.get(n, Decimal(0))
        take = min(left, need)
        if take > 0:
            out.append((n, take, cert.items[n].unit))
            need -= take
    return out


def verify_certificate(
    cert: Certificate,
    content: DeclarationContent,
    item: GoodsItem,
    on: date,
    rule: ProofRule | None,
    parties: frozenset[str] = frozenset(),
    *,
    drawn: Mapping[int, Decimal] | None = None,
    criteria: Mapping[str, str] | None = None,
    rule_kinds: tuple[frozenset[str], ...] | None = None,
) -> list[dict[str, Any]]:
    """Every check of the certificate against the goods item. ``drawn``: what other declarations already drew
    per certificate goods item (index → quantity in the item's unit). ``criteria``: the origin criteria the
    agreement's certificates state (code → what it asserts). ``rule_kinds``: the criterion kinds of each
    alternative of the agreement's product-specific rule for the goods (None: the agreement's rules are not
    loaded; () : loaded, but no rule covers the goods)."""
    return with_fixes(
        _verify(cert, content, item, on, rule, parties, drawn or {}, criteria or {}, rule_kinds)
    )


def _verify(
    cert: Certificate,
    content: DeclarationContent,
    item: GoodsItem,
    on: date,
    rule: ProofRule | None,
    parties: frozenset[str],
    drawn: Mapping[int, Decimal],
    criteria: Mapping[str, str],
    rule_kinds: tuple[frozenset[str], ...] | None,
) -> list[dict[str, Any]]:
    checks: list[dict[str, Any]] = []
    claim = item.preference
    form = rule.form if rule else None
    required = set(form.required) if form else {"exporter_name", "importer_name", "invoice_reference"}

    checks.append(
        _check(
            "certificate_status",
            cert.status == "registered",
            "on record" if cert.status == "registered" else f"the certificate is {cert.status}",
        )
    )
    if claim is None:
        checks.append(_check("preference_claim", False, "the goods item claims no preference"))
        return checks
    checks.append(
        _check(
            "agreement",
            cert.agreement == claim.agreement,
            f"certificate under {cert.agreement}"
            + ("" if cert.agreement == claim.agreement else f", the claim is under {claim.agreement}"),
        )
    )
    attached = [
        d
        for d in content.documents
        if d.kind is DocumentKind.CERTIFICATE_OF_ORIGIN and d.reference == claim.certificate_reference
    ]
    checks.append(
        _check(
            "declared_document",
            bool(attached),
            "listed among the declaration's documents as a certificate of origin"
            if attached
            else f"{claim.certificate_reference} is not listed as a certificate_of_origin document",
        )
    )
    if attached and attached[0].issue_date and cert.issue_date and attached[0].issue_date != cert.issue_date:
        checks.append(
            _check(
                "declared_issue_date",
                False,
                f"the declaration gives issue date {attached[0].issue_date}, "
                f"the certificate {cert.issue_date}",
            )
        )
    if rule is None:
        checks.append(
            _check(
                "proof_rule",
                False,
                f"no proof of origin is encoded for {claim.agreement}: the form "
                "and validity cannot be checked",
            )
        )
    else:
        missing = missing_elements(cert, rule.form)
        checks.append(
            _check(
                "form_complete",
                not missing,
                f"all required elements of the {rule.form.name} are present"
                if not missing
                else f"missing required element(s): {', '.join(missing)}",
            )
        )
    checks += _dates(cert, content, on, rule)
    exporter = (
        cert.exporter_name or cert.producer_name
    )  # KORUS: the exporter only "if different from the producer"
    checks.append(
        _party_check(
            "exporter", exporter, (content.exporter or content.seller).name, required, "exporter_name"
        )
    )
    checks.append(
        _party_check(
            "importer",
            cert.importer_name,
            (content.importer or content.buyer).name,
            required,
            "importer_name",
        )
    )
    origin = cert.value_of("origin_country")
    matching = _matching_items(cert, item)
    origins = {i.origin_country for i in matching if i.origin_country} or ({origin} if origin else set())
    if "EU" in origins and item.origin_country in parties:
        origins = {item.origin_country}
    if origins:
        ok = item.origin_country in origins
        checks.append(
            _check(
                "origin_country",
                ok,
                f"certified origin {', '.join(sorted(origins))}; declared {item.origin_country}",
            )
        )
    else:
        checks.append(_check("origin_country", False, "the certificate states no country of origin"))
    checks += _goods(cert, item, matching, form.kind if form else "", drawn)
    if matching and criteria:
        checks.append(_criterion(cert, claim.agreement, matching, criteria, rule_kinds, item.commodity_code))
    checks.append(_invoice(cert, content, required))
    checks.append(_transport(cert, content, parties))
    return checks


def _dates(
    cert: Certificate, content: DeclarationContent, on: date, rule: ProofRule | None
) -> list[dict[str, Any]]:
    out = []
    if cert.issue_date is None:
        out.append(_check("issue_date", False, "the certificate has no date of issue"))
        return out
    out.append(
        _check(
            "issue_date",
            cert.issue_date <= on,
            f"issued {cert.issue_date}" + ("" if cert.issue_date <= on else f", after the import date {on}"),
        )
    )
    last = expiry(cert, rule)
    if last is None:
        out.append(_check("validity", False, "the validity period of this proof is not known"))
    else:
        months = (
            f" ({rule.validity_months} months, {rule.basis})"
            if rule and rule.validity_months and not cert.valid_until
            else ""
        )
        out.append(
            _check(
                "validity",
                on <= last,
                f"valid until {last}{months}" + ("" if on <= last else f": expired on the import date {on}"),
            )
        )
    if cert.blanket_from or cert.blanket_to:
        start, end = cert.blanket_from or cert.issue_date, cert.blanket_to
        arrival = content.consignment.arrival_date
        ok = (start is None or start <= arrival) and (end is None or arrival <= end)
        out.append(_check("blanket_period", ok, f"blanket period {start} to {end}; goods arrived {arrival}"))
    return out


def _party_check(
    role: str, certified: str | None, declared: str, required: set[str], element: str
) -> dict[str, Any]:
    if not certified:
        if element not in required:
            return _check(role, True, f"the {role} is not a required element of this proof")
        return _check(role, False, f"the certificate names no {role}")
    ok, score = same_party(certified, declared)
    return _check(
        role,
        ok,
        f"certificate: '{certified}'; declaration: '{declared}' (similarity {score}%)"
        + ("" if ok else f" — a certificate for another {role}"),
    )


def _goods(
    cert: Certificate,
    item: GoodsItem,
    matching: list[CertificateItem],
    kind: str,
    drawn: Mapping[int, Decimal],
) -> list[dict[str, Any]]:
    out = []
    hs6 = item.commodity_code[:6]
    if not cert.items:
        if kind == "origin_declaration":
            out.append(
                _check(
                    "hs6",
                    True,
                    "an origin declaration covers the goods of the invoice it is made out on "
                    "(checked through the invoice reference)",
                )
            )
            return out
        out.append(_check("hs6", False, "the certificate lists no goods"))
        return out
    listed = ", ".join(sorted({i.hs6 for i in cert.items if i.hs6})) or "none"
    editions = sorted({correlate(i.hs6, i.hs_version).basis for i in cert.items if i.hs6 and i.hs_version})
    out.append(
        _check(
            "hs6",
            bool(matching),
            f"declared {hs6[:4]}.{hs6[4:]}; certificate lists {listed}"
            + (f" ({'; '.join(editions)})" if editions else ""),
        )
    )
    if not matching:
        return out
    best = max(matching, key=lambda i: similar_description(i.description, item.description)[1])
    ok, score = similar_description(best.description, item.description)
    out.append(
        _check(
            "goods_description",
            ok,
            f"certificate: '{best.description}'; declaration: '{item.description}' (similarity {score}%)",
        )
    )
    quantities = [(i.quantity, i.unit) for i in matching if i.quantity is not None]
    if not quantities:
        out.append(
            _check(
                "quantity",
                kind != "certificate",
                "no quantity on the certificate"
                + ("" if kind != "certificate" else ", which this form requires"),
            )
        )
        return out
    total, unit = sum((q for q, _ in quantities), Decimal(0)), quantities[0][1]
    positions = {id(i): n for n, i in enumerate(cert.items)}
    used = sum((drawn.get(positions[id(i)], Decimal(0)) for i in matching), Decimal(0))
    declared = _quantity_in(item.quantity, item.quantity_unit, unit)
    if declared is None:
        out.append(
            _check(
                "quantity",
                False,
                f"certificate: {total} {unit}; declaration: {item.quantity} "
                f"{item.quantity_unit} — units not comparable",
            )
        )
    elif used:
        left = total - used
        ok = declared <= left
        short = _n(declared - left)
        out.append(
            _check(
                "quantity",
                ok,
                f"declared {_n(item.quantity)} {item.quantity_unit}; certified {_n(total)} {unit}, of which "
                f"{_n(used)} {unit} already used by other declarations: {_n(left)} {unit} left"
                + ("" if ok else f" — {short} {unit} more than is left"),
                certified=_n(total),
                used=_n(used),
                left=_n(left),
                **(
                    {}
                    if ok
                    else {
                        "fix": f"claim the preference for at most {_n(left)} {unit} (split the line: the rest "
                        f"at the basic rate), or obtain a further certificate for {short} {unit}"
                    }
                ),
            )
        )
    else:
        out.append(
            _check(
                "quantity",
                declared <= total,
                f"declared {_n(item.quantity)} {item.quantity_unit}; certified "
                f"{_n(total)} {unit}" + ("" if declared <= total else " — more than certified"),
                certified=_n(total),
                used="0",
                left=_n(total),
            )
        )
    return out


def _criterion(
    cert: Certificate,
    agreement: str,
    matching: list[CertificateItem],
    criteria: Mapping[str, str],
    rule_kinds: tuple[frozenset[str], ...] | None,
    commodity_code: str,
) -> dict[str, Any]:
    """The origin criterion the certificate states for the goods, against the agreement's criteria and the
    product-specific rule for the goods."""
    stated = next((i.origin_criterion for i in matching if i.origin_criterion), None) or cert.origin_criterion
    known = ", ".join(criteria)
    if not stated:
        return _check("origin_criterion", False, f"the certificate states no origin criterion ({known})")
    code = re.sub(r"[^A-Z]", "", stated.upper())
    asserts = criteria.get(code) or next((v for k, v in criteria.items() if code.startswith(k)), None)
    if asserts is None:
        return _check(
            "origin_criterion", False, f"'{stated}' is not an origin criterion of {agreement} ({known})"
        )
    hs = f"{commodity_code[:4]}.{commodity_code[4:6]}"
    if asserts in ("wholly_obtained", "materials_originating"):
        return _check(
            "origin_criterion",
            True,
            f"'{stated}' ({asserts.replace('_', ' ')}) needs no product-specific rule",
        )
    if rule_kinds is None:
        return _check(
            "origin_criterion",
            False,
            f"'{stated}' relies on {agreement}'s product-specific rule for {hs}, and {agreement}'s rules are "
            "not loaded in Clearway: the criterion cannot be checked",
            fix=f"load {agreement}'s product-specific rules, or have the claim checked by hand",
        )
    if not rule_kinds:
        return _check(
            "origin_criterion",
            False,
            f"'{stated}' relies on a product-specific rule, and {agreement} has none loaded for {hs}",
        )
    wanted = {"value_content": {"value_content", "max_non_originating"}}.get(asserts, {asserts})
    if asserts == "product_specific" or any(kinds & wanted for kinds in rule_kinds):
        return _check(
            "origin_criterion", True, f"'{stated}' is a method the {agreement} rule for {hs} offers"
        )
    offered = sorted({k for kinds in rule_kinds for k in kinds})
    return _check(
        "origin_criterion",
        False,
        f"'{stated}' ({asserts.replace('_', ' ')}) is not a method the {agreement} rule for {hs} offers "
        f"(it offers {', '.join(offered)})",
    )


def _invoice(cert: Certificate, content: DeclarationContent, required: set[str]) -> dict[str, Any]:
    invoices = [d.reference for d in content.documents if d.kind is DocumentKind.INVOICE]
    if not cert.invoice_reference:
        if "invoice_reference" not in required:
            return _check(
                "invoice_reference", True, "no invoice number on the proof (not a required element of it)"
            )
        return _check("invoice_reference", False, "the certificate gives no invoice number")
    if not invoices:
        return _check(
            "invoice_reference",
            False,
            f"certificate cites invoice {cert.invoice_reference}; the declaration lists no invoice",
        )
    norm = {re.sub(r"[^A-Z0-9]", "", r.upper()) for r in invoices}
    cited = [str(i.get("number")) for i in cert.elements.get("invoices", ()) if i.get("number")] or [
        cert.invoice_reference
    ]
    ok = any(re.sub(r"[^A-Z0-9]", "", c.upper()) in norm for c in cited)
    return _check(
        "invoice_reference",
        ok,
        f"certificate cites invoice {', '.join(cited)}; declaration lists {', '.join(invoices)}",
    )


def _transport(cert: Certificate, content: DeclarationContent, parties: frozenset[str]) -> dict[str, Any]:
    t = cert.transport
    if t is None:
        return _check(
            "direct_transport",
            True,
            "no transit stated on the certificate; consignment "
            f"{content.consignment.transport_document} to {content.consignment.port}",
        )
    third = [c for c in t.transit if c not in parties]
    if third and not t.transit_evidence:
        return _check(
            "direct_transport",
            False,
            f"the goods passed through {', '.join(third)} (not a Party) and no "
            "evidence of non-manipulation (through bill of lading or transit customs certificate) is recorded",
        )
    if t.port_of_discharge:
        declared = content.consignment.port
        named = t.port_of_discharge.upper()
        port_name = (codes.ports().get(declared) or {}).get("name", "")
        ok = declared in named or (bool(port_name) and port_name.upper() in named)
        return _check(
            "direct_transport",
            ok,
            f"certificate port of discharge '{t.port_of_discharge}'; declared port "
            f"{declared}{' (' + port_name + ')' if port_name else ''}"
            + ("" if not third else f"; transit through {', '.join(third)} with evidence"),
        )
    return _check(
        "direct_transport",
        True,
        "transit " + (", ".join(third) + " with evidence" if third else "within the Parties"),
    )
