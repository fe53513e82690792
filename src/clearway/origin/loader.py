"""Load rules of origin from data: the agreement file format, and the agreements Clearway ships.

Agreement file format (JSON, ``"format": "clearway.origin.agreement/1"``) — how a Korean FTA annex (KORUS,
RCEP, Korea–China...) is added as data. See ``docs/notes/origin.md`` for the full description::

    {
      "format": "clearway.origin.agreement/1",
      "code": "KORUS",                       # agreement code (reference/agreements.json where one exists)
      "name": "Korea–United States FTA",
      "kind": "preferential",                # or "non_preferential" (per-material shift, US 19 CFR 102)
      "parties": ["KR", "US"],               # ISO 3166 alpha-2; "EU" expands to the 27 member states
      "in_force_from": "2012-03-15",
      "partial": true,                       # only the rules listed are known; label samples honestly
      "source": "where the facts come from", "notes": ["..."],
      "provisions": {
        "tolerance": {"value_percent": "10", "value_basis": "FOB", "value_excluded": ["50-63"],
                      "textile_weight_percent": "7", "textile_weight_only_with_note": false,
                      "textile_value_percent": null, "text": "Art. 6.6"},
        "cumulation": {"bilateral": ["KR", "US"], "diagonal": []},
        "insufficient_operations": [{"code": "packaging", "text": "change of packaging ..."}],
        "direct_transport": {"required": true, "allowed_operations": ["unloading", "reloading", "preservation"],
                             "text": "..."},
        "proofs": [{"kind": "certification", "name": "...", "validity_months": 48, "issued_by": "...",
                    "data_elements": ["exporter", "importer", "hs6", ...], "text": "..."}],
        "sets_percent": "15", "rvc_basis": "FOB"
      },
      "rules_from": {"uk_rule_set": "south-korea", "uk_scheme": "south-korea"},   # optional shipped tables
      "rules": [
        {"ranges": ["0101-0106"], "heading": "01.01-01.06", "variant": "", "source": "Annex 4-A",
         "alternatives": [
           {"text": "A change to heading 0101 through 0106 from any other chapter.",
            "criteria": [{"kind": "tariff_shift", "level": 2}]},
           {"text": "Manufacture in which the value of all the materials used does not exceed 50% of the ex-works price"}
         ]}
      ]
    }

An alternative gives its ``criteria`` explicitly, or only its ``text`` (then the text reader of
:mod:`clearway.origin.textrules` turns it into criteria, and anything it cannot read becomes a condition to
attest). Criterion fields: ``kind`` (see :mod:`clearway.origin.rules`), ``text``, ``level`` (0/2/4/6/8),
``exceptions``, ``from``, ``outside_group``, ``scope`` (lists of HS ranges such as "8501-8504" or "8501.10"),
``conditional_exceptions`` ([{"ranges": [...], "when": "..."}]), ``exclude_same_code``, ``allowance``
({"percent", "basis"}), ``limits`` ([{"percent", "basis": "EXW"|"FOB"|"NET_COST"|"WEIGHT", "method":
"build_down"|"build_up"|"net_cost"|"focused"}]), ``groups`` ([["weaving"], ["making-up"]]),
``tolerance_allowed``. Insufficient-operation codes: see
:data:`clearway.origin.determination.INSUFFICIENT_WORDS`.

Format 2 (``"format": "clearway.origin.agreement/2"``; format 1 files load unchanged) adds, for annexes written in
the abbreviated notation of Asian FTAs (read by :mod:`clearway.origin.psrcodes`)::

      "hs_version": "2012",                  # the HS edition the annex is written in (2007/2012/2017/2022);
                                             # an older one is correlated to HS 2022 (data/origin/hs_correlation)
      "rate_codes": ["FCN"],                 # KCS rate-code prefixes: FCN1 finds this agreement's rules
      "annex": "KR-CN Annex 3-A",            # the source named on each psr_table row
      "psr_table": [["0101-0106", "WO"], ["8501, 8503", "CTH or RVC(40)"]],
      "general_rule": {"psr": "CTH or RVC(40)", "source": "AKFTA Annex 3 Rule 4"},   # every code without a row
      "loaded": ["01-02", "8419.32-8539.90"],  # partial annexes: what is transcribed ("not loaded" elsewhere)
      "provisions": {"rvc_methods": ["build_down"], ...}   # RVC methods an RVC(xx) allows (default both)

A rule in ``rules`` may also give ``"psr": "CTSH or RVC(40)"`` and its own ``"hs_version"``. A partial format 2
agreement may have no rows (its provisions still serve certificate checks).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

from clearway.errors import FieldError
from clearway.origin.correlation import Correlation, parse_correlation
from clearway.origin.determination import INSUFFICIENT_WORDS
from clearway.origin.errors import RuleDataInvalid, UnknownAgreement
from clearway.origin.hs import HsRange
from clearway.origin.psrcodes import RVC_METHODS_DEFAULT, parse_psr
from clearway.origin.rules import (
    BASES,
    CRITERION_KINDS,
    RVC_METHODS,
    Agreement,
    Alternative,
    Criterion,
    Limit,
    ProductRule,
    Proof,
    Provisions,
    Tolerance,
)
from clearway.origin.sources import originshift_rules, uk_rules, uk_scheme
from clearway.origin.textrules import parse_rule_text

FORMAT = "clearway.origin.agreement/1"
FORMAT_2 = "clearway.origin.agreement/2"
FORMATS = (FORMAT, FORMAT_2)
HS_VERSIONS = ("2007", "2012", "2017", "2022")
EU_MEMBERS = (
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
)
BUNDLED = (
    "uk-kr",
    "kr-eu",
    "korus-sample",
    "uk-eu",
    "uk-jp",
    "uk-cptpp",
    "uk-nz",
    "uk-in",
    "us-102",
    "rcep",
    "kr-cn",
    "kr-asean",
    "kr-vn",
)


def _data(*parts: str) -> str:
    return resources.files("clearway.data").joinpath("origin", *parts).read_text("utf-8")


def _json(*parts: str) -> Any:
    return json.loads(_data(*parts))


class _Reader:
    """Collects every problem in an agreement document with its JSON pointer."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []
        self.rvc_methods: tuple[str, ...] = RVC_METHODS_DEFAULT

    def psr(self, text: str, rvc_basis: str) -> list[Alternative]:
        return parse_psr(text, rvc_basis=rvc_basis, methods=self.rvc_methods)

    def fail(self, pointer: str, code: str, message: str) -> None:
        self.errors.append(FieldError(pointer, code, message))

    def ranges(self, value: Any, pointer: str) -> tuple[HsRange, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(pointer, "not_a_list", "expected a list of HS ranges")
            return ()
        out = []
        for i, item in enumerate(value):
            try:
                out.append(HsRange.parse(str(item)))
            except ValueError:
                self.fail(f"{pointer}/{i}", "bad_hs_range", f"{item!r} is not an HS code or range")
        return tuple(out)

    def decimal(self, value: Any, pointer: str) -> Decimal | None:
        if value is None:
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.fail(pointer, "not_a_number", f"{value!r} is not a number")
            return None
        if number < 0 or number > 100:
            self.fail(pointer, "out_of_range", "a percentage is between 0 and 100")
        return number

    def limits(self, value: Any, pointer: str) -> tuple[Limit, ...]:
        out = []
        for i, item in enumerate(value or []):
            p = f"{pointer}/{i}"
            basis = str(item.get("basis", "EXW")).upper()
            method = item.get("method")
            if basis not in (*BASES, "WEIGHT"):
                self.fail(f"{p}/basis", "not_allowed", f"basis is one of {', '.join(BASES)}, WEIGHT")
            if method is not None and method not in RVC_METHODS:
                self.fail(f"{p}/method", "not_allowed", f"method is one of {', '.join(RVC_METHODS)}")
            percent = self.decimal(item.get("percent"), f"{p}/percent")
            if percent is None:
                self.fail(f"{p}/percent", "required", "a limit needs a percent")
                continue
            out.append(Limit(percent, basis, method))
        return tuple(out)

    def criterion(self, doc: dict[str, Any], pointer: str) -> Criterion | None:
        kind = doc.get("kind")
        if kind not in CRITERION_KINDS:
            self.fail(f"{pointer}/kind", "not_allowed", f"kind is one of {', '.join(CRITERION_KINDS)}")
            return None
        allowance = None
        if doc.get("allowance"):
            percent = self.decimal(doc["allowance"].get("percent"), f"{pointer}/allowance/percent")
            if percent is not None:
                allowance = Limit(percent, str(doc["allowance"].get("basis", "EXW")).upper())
        limits = self.limits(doc.get("limits"), f"{pointer}/limits")
        if kind in ("max_non_originating", "max_non_originating_weight", "value_content") and not limits:
            self.fail(f"{pointer}/limits", "required", f"a {kind} criterion needs at least one limit")
        level = doc.get("level", 0)
        if level not in (0, 2, 4, 6, 8):
            self.fail(f"{pointer}/level", "not_allowed", "level is 0, 2, 4, 6 or 8 digits")
        conditional = tuple(
            (
                self.ranges(e.get("ranges"), f"{pointer}/conditional_exceptions/{i}/ranges"),
                str(e.get("when", "")),
            )
            for i, e in enumerate(doc.get("conditional_exceptions") or [])
        )
        return Criterion(
            kind=kind,
            text=str(doc.get("text", "")),
            level=level if level in (0, 2, 4, 6, 8) else 0,
            exceptions=self.ranges(doc.get("exceptions"), f"{pointer}/exceptions"),
            conditional_exceptions=conditional,
            from_ranges=self.ranges(doc.get("from"), f"{pointer}/from"),
            outside_group=self.ranges(doc.get("outside_group"), f"{pointer}/outside_group"),
            exclude_same_code=bool(doc.get("exclude_same_code", False)),
            allowance=allowance,
            scope=self.ranges(doc.get("scope"), f"{pointer}/scope"),
            limits=limits,
            groups=tuple(tuple(str(x) for x in g) for g in doc.get("groups") or ()),
            tolerance_allowed=bool(
                doc.get(
                    "tolerance_allowed",
                    kind in ("tariff_shift", "materials_wholly_obtained", "materials_originating"),
                )
            ),
        )

    def rule(self, doc: dict[str, Any], pointer: str, rvc_basis: str) -> ProductRule | None:
        ranges = self.ranges(doc.get("ranges"), f"{pointer}/ranges")
        if not ranges and not any(e.pointer.startswith(f"{pointer}/ranges") for e in self.errors):
            self.fail(f"{pointer}/ranges", "required", "a rule covers at least one HS range")
        alternatives: list[Alternative] = []
        notes = list(doc.get("notes") or [])
        if doc.get("psr"):
            alternatives += self.psr(str(doc["psr"]), rvc_basis)
        for j, alt in enumerate(doc.get("alternatives") or []):
            p = f"{pointer}/alternatives/{j}"
            text = str(alt.get("text", ""))
            if alt.get("criteria"):
                criteria = [self.criterion(c, f"{p}/criteria/{k}") for k, c in enumerate(alt["criteria"])]
                alternatives.append(Alternative(tuple(c for c in criteria if c), text))
            elif text:
                parsed, found = parse_rule_text(text, target=ranges, rvc_basis=rvc_basis)
                alternatives += parsed
                notes += found
            else:
                self.fail(p, "required", "an alternative gives criteria or a text")
        if not alternatives:
            self.fail(f"{pointer}/alternatives", "required", "a rule has at least one alternative")
        if not ranges or not alternatives:
            return None
        return ProductRule(
            ranges=ranges,
            alternatives=tuple(alternatives),
            heading=str(doc.get("heading", "")),
            variant=str(doc.get("variant", "")),
            notes=tuple(dict.fromkeys(notes)),
            source=str(doc.get("source", "")),
            hs_version=self.hs_version(doc.get("hs_version"), f"{pointer}/hs_version"),
        )

    def hs_version(self, value: Any, pointer: str) -> str:
        if value is None:
            return ""
        if str(value) not in HS_VERSIONS:
            self.fail(pointer, "not_allowed", f"hs_version is one of {', '.join(HS_VERSIONS)}")
            return ""
        return str(value)

    def table(self, rows: Any, pointer: str, rvc_basis: str, source: str) -> list[ProductRule]:
        """Format 2 ``psr_table``: [[ranges, rule], ...], ranges a code or range or several joined by ','."""
        out: list[ProductRule] = []
        if not isinstance(rows, list):
            self.fail(pointer, "not_a_list", "psr_table is a list of [ranges, rule] pairs")
            return out
        for i, row in enumerate(rows):
            p = f"{pointer}/{i}"
            if not (isinstance(row, list) and len(row) == 2 and all(isinstance(x, str) for x in row)):
                self.fail(p, "bad_row", "a psr_table row is [ranges, rule], both strings")
                continue
            ranges = self.ranges([x.strip() for x in row[0].split(",")], f"{p}/0")
            alternatives = self.psr(row[1], rvc_basis)
            if not alternatives:
                self.fail(f"{p}/1", "required", "a psr_table row gives a rule")
            if ranges and alternatives:
                out.append(ProductRule(ranges=ranges, alternatives=tuple(alternatives), source=source))
        return out


def _countries(items: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for c in items:
        out += EU_MEMBERS if c == "EU" else [c]
    return tuple(dict.fromkeys(out))


def _provisions(r: _Reader, doc: dict[str, Any], scheme: dict[str, Any] | None) -> Provisions:
    tol = doc.get("tolerance") or {}
    tolerance = Tolerance(
        value_percent=r.decimal(tol.get("value_percent"), "/provisions/tolerance/value_percent"),
        value_basis=str(tol.get("value_basis", "EXW")).upper(),
        value_excluded=r.ranges(tol.get("value_excluded"), "/provisions/tolerance/value_excluded"),
        textile_weight_percent=r.decimal(
            tol.get("textile_weight_percent"), "/provisions/tolerance/textile_weight_percent"
        ),
        textile_weight_only_with_note=bool(tol.get("textile_weight_only_with_note", False)),
        textile_value_percent=r.decimal(
            tol.get("textile_value_percent"), "/provisions/tolerance/textile_value_percent"
        ),
        text=str(tol.get("text", "")),
    )
    cumulation = {k: _countries(v) for k, v in (doc.get("cumulation") or {}).items()}
    if not cumulation and scheme:
        cumulation = {
            k: _countries(v.get("countries", [])) for k, v in scheme.get("cumulation_methods", {}).items()
        }
    ops = []
    for i, op in enumerate(doc.get("insufficient_operations") or []):
        if op.get("code") not in INSUFFICIENT_WORDS:
            r.fail(
                f"/provisions/insufficient_operations/{i}/code",
                "not_allowed",
                f"code is one of {', '.join(INSUFFICIENT_WORDS)}",
            )
        ops.append((str(op.get("code")), str(op.get("text", ""))))
    transport = doc.get("direct_transport") or {}
    proofs = tuple(
        Proof(
            kind=str(p.get("kind")),
            name=str(p.get("name", "")),
            validity_months=p.get("validity_months"),
            issued_by=str(p.get("issued_by", "")),
            data_elements=tuple(p.get("data_elements") or ()),
            text=str(p.get("text", "")),
        )
        for p in doc.get("proofs") or []
    )
    if not proofs and scheme:
        proofs = tuple(
            Proof(
                kind=p.get("proof_class", "origin-declaration").replace("-", "_"), name=p.get("summary", "")
            )
            for p in scheme.get("proofs", [])
        )
    return Provisions(
        tolerance=tolerance,
        cumulation=cumulation,
        insufficient_operations=tuple(ops),
        direct_transport=bool(transport.get("required", bool(transport))),
        direct_transport_allowed_operations=tuple(
            transport.get("allowed_operations") or ("unloading", "reloading", "preservation")
        ),
        direct_transport_text=str(transport.get("text", "")),
        proofs=proofs,
        sets_percent=r.decimal(doc.get("sets_percent"), "/provisions/sets_percent"),
        rvc_basis=str(doc.get("rvc_basis", "FOB")).upper(),
        notes=tuple(doc.get("notes") or ()),
    )


def read_agreement(
    doc: Any,
    *,
    resolve: Callable[[dict[str, Any]], tuple[tuple[ProductRule, ...], dict[str, Any] | None]] | None = None,
) -> Agreement:
    """Build an :class:`Agreement` from a document in the loader format; raise :class:`RuleDataInvalid`
    naming every bad field. ``resolve`` turns ``rules_from`` into rules (the bundled tables by default)."""
    r = _Reader()
    if not isinstance(doc, dict):
        raise RuleDataInvalid(
            "an agreement file is a JSON object",
            errors=[FieldError("", "not_an_object", "expected an object")],
        )
    if doc.get("format") not in FORMATS:
        r.fail("/format", "not_allowed", f"format must be one of {', '.join(FORMATS)}")
    version2 = doc.get("format") == FORMAT_2
    for key in ("hs_version", "rate_codes", "psr_table", "general_rule", "loaded"):
        if key in doc and not version2:
            r.fail(f"/{key}", "not_allowed", f"{key} needs format {FORMAT_2!r}")
    for key in ("code", "name"):
        if not doc.get(key):
            r.fail(f"/{key}", "required", f"{key} is required")
    kind = doc.get("kind", "preferential")
    if kind not in ("preferential", "non_preferential"):
        r.fail("/kind", "not_allowed", "kind is preferential or non_preferential")
    in_force = None
    if doc.get("in_force_from"):
        try:
            in_force = date.fromisoformat(doc["in_force_from"])
        except ValueError:
            r.fail("/in_force_from", "bad_date", "a date is YYYY-MM-DD")
    methods = (doc.get("provisions") or {}).get("rvc_methods")
    if methods is not None:
        if not isinstance(methods, list) or not methods or any(m not in RVC_METHODS for m in methods):
            r.fail(
                "/provisions/rvc_methods",
                "not_allowed",
                f"rvc_methods lists some of {', '.join(RVC_METHODS)}",
            )
        else:
            r.rvc_methods = tuple(methods)
    rules: list[ProductRule] = []
    scheme = None
    if doc.get("rules_from"):
        rules_from, scheme = (resolve or bundled_rules)(doc["rules_from"])
        rules += rules_from
    provisions = _provisions(r, doc.get("provisions") or {}, scheme)
    for i, rule in enumerate(doc.get("rules") or []):
        built = r.rule(rule, f"/rules/{i}", provisions.rvc_basis)
        if built:
            rules.append(built)
    hs_version = r.hs_version(doc.get("hs_version", "2022"), "/hs_version") or "2022"
    annex = str(doc.get("annex", "")) or str(doc.get("code", ""))
    if "psr_table" in doc:
        rules += r.table(doc["psr_table"], "/psr_table", provisions.rvc_basis, annex)
    if doc.get("general_rule"):
        general = r.psr(str(doc["general_rule"].get("psr", "")), provisions.rvc_basis)
        if not general:
            r.fail("/general_rule/psr", "required", "the general rule gives a rule")
        else:
            rules.append(
                ProductRule(
                    ranges=(HsRange("01", "97"),),
                    alternatives=tuple(general),
                    heading="general rule",
                    source=str(doc["general_rule"].get("source", "")),
                )
            )
    rate_codes = doc.get("rate_codes") or []
    if not isinstance(rate_codes, list) or not all(isinstance(c, str) and c.isalnum() for c in rate_codes):
        r.fail("/rate_codes", "not_allowed", "rate_codes is a list of KCS rate-code prefixes such as FCN")
        rate_codes = []
    loaded = r.ranges(doc.get("loaded"), "/loaded")
    if not rules and not (version2 and doc.get("partial")):
        r.fail("/rules", "required", "an agreement has rules (or rules_from); a partial one may have none")
    if r.errors:
        raise RuleDataInvalid(
            f"{len(r.errors)} problem(s) in the agreement file {doc.get('code', '')}".strip(), errors=r.errors
        )
    return Agreement(
        code=str(doc["code"]).upper(),
        name=str(doc["name"]),
        parties=frozenset(_countries(doc.get("parties") or [])),
        rules=tuple(rules),
        provisions=provisions,
        in_force_from=in_force,
        partial=bool(doc.get("partial", False)),
        kind=kind,
        source=str(doc.get("source", "")),
        notes=tuple(doc.get("notes") or ()),
        hs_version=hs_version,
        correlation=correlation_to(hs_version),
        rate_codes=tuple(c.upper() for c in rate_codes),
        loaded=loaded,
    )


@cache
def correlation_to(hs_version: str) -> Correlation | None:
    """The bundled HS 2022 → ``hs_version`` correlation (None for HS 2022 itself or an edition not shipped)."""
    if hs_version == "2022":
        return None
    try:
        text = _data("hs_correlation", f"hs2022_hs{hs_version}.csv")
    except FileNotFoundError:
        return None
    return parse_correlation(text, hs_version)


def agreement_for_rate_code(rate_code: str) -> Agreement | None:
    """The loaded agreement whose rules govern a KCS FTA rate code (FCN1 → KR-CN, FRCJP1 → RCEP), by the
    longest rate-code prefix an agreement file lists; None when no loaded agreement claims the code."""
    code = rate_code.strip().upper()
    best: tuple[int, Agreement] | None = None
    for agreement in bundled_agreements().values():
        for prefix in agreement.rate_codes:
            claimed = code == prefix or (code.startswith(prefix) and code[len(prefix) :].isdigit())
            if claimed and (best is None or len(prefix) > best[0]):
                best = (len(prefix), agreement)
    return best[1] if best else None


def bundled_rules(rules_from: dict[str, Any]) -> tuple[tuple[ProductRule, ...], dict[str, Any] | None]:
    scheme = None
    if rules_from.get("uk_scheme"):
        scheme = uk_scheme(_uk_schemes(), rules_from["uk_scheme"])
    if rules_from.get("uk_rule_set"):
        name = rules_from["uk_rule_set"]
        return _uk_rule_set(name, str(rules_from.get("rvc_basis", "FOB")).upper()), scheme
    if rules_from.get("originshift"):
        return _originshift(rules_from["originshift"]), scheme
    raise RuleDataInvalid(
        "rules_from names no known table",
        errors=[FieldError("/rules_from", "not_allowed", "use uk_rule_set or originshift")],
    )


@cache
def _uk_schemes() -> dict[str, Any]:
    return _json("uk", "roo_schemes_uk.json")


@cache
def _uk_rule_set(name: str, rvc_basis: str) -> tuple[ProductRule, ...]:
    return uk_rules(
        _json("uk", "rule_sets", f"{name}.json")["rule_sets"], source=f"UK ORD {name}", rvc_basis=rvc_basis
    )


@cache
def _originshift(name: str) -> tuple[ProductRule, ...]:
    return originshift_rules(_json("originshift", name))


@cache
def bundled_agreements() -> dict[str, Agreement]:
    out = {}
    for name in BUNDLED:
        agreement = read_agreement(_json("agreements", f"{name}.json"))
        out[agreement.code] = agreement
    return out


def get_agreement(code: str) -> Agreement:
    agreements = bundled_agreements()
    try:
        return agreements[code.strip().upper()]
    except KeyError:
        raise UnknownAgreement(
            f"no rules of origin are loaded for '{code}' (loaded: {', '.join(sorted(agreements))})"
        ) from None


@cache
def hs2022_codes() -> frozenset[str]:
    text = resources.files("clearway.data").joinpath("hs", "harmonized-system.csv").read_text("utf-8")
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    return frozenset(
        row["hscode"] for row in rows if row["section"] != "TOTAL"
    )  # not chapter 99 "not specified"


def hs_code_known(code: str) -> bool:
    """A code is known when its first six digits (or all of it, if shorter) are in HS 2022."""
    return code[:6] in hs2022_codes()


def originshift_cases(name: str) -> dict[str, Any]:
    return _json("originshift", name)


def textile_corpus() -> dict[str, Any]:
    return _json("originshift", "102.21-2026-08-26.json")
