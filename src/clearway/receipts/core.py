"""Decision receipts (issue 17 item 4): the signed statement of what a filing's outcome was computed from. Pure.

A receipt has three parts:

* ``content`` — signed, shown to the filer and to customs: the declaration (id, number, version, a digest of
  its content), the tariff inputs (date, engine, the rates of each commodity code as a content fingerprint,
  the applied rate, the exchange rate with its week and table, the parameters' fingerprint, the certificate
  verdict, every figure) and the risk inputs a filer may know (configuration generation, policy version, the
  model version with its file digest and training-data fingerprint), the outcome (lane, total due);
* ``confidential`` — customs only: how the lane was selected (method, score, thresholds, policy, the criteria
  and watchlists that fired with their versions, exploration, the fingerprint of the model's input records).
  Selection rules must not leak to traders (``declaration.disclosure``), so the filer's receipt carries only
  ``content.confidential_mac``, a keyed digest of this part: it commits to it without revealing it (a plain
  hash of a few criterion codes could be guessed);
* ``signature`` — HMAC-SHA256 over the canonical JSON of ``content`` (sorted keys, no spaces, UTF-8), with the
  key's id (``kid``) so keys can rotate: a verifier keeps the old keys by id.

Tariff data has no version number of its own (loads and corrections replace rows), so the receipt records
content fingerprints — sha256 of the canonical data the engine read — and replay can tell "same data" from
"changed since".
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from clearway.assessment.core import METHOD, DeclarationResult
from clearway.assessment.inputs import AssessmentRequest
from clearway.declaration.assessed import AssessedLine
from clearway.tariff.measures import Measure
from clearway.tariff.snapshot import TariffSnapshot

FORMAT = 1
ALGORITHM = "HMAC-SHA256"
_SIGN_LABEL = b"clearway-receipt-signature\x1f"
_CONFIDENTIAL_LABEL = b"clearway-receipt-confidential\x1f"


_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def canonical(value: Any) -> bytes:
    """The one serialisation that is signed and fingerprinted: sorted keys, no whitespace, UTF-8."""
    return _CANONICAL.encode(value).encode("utf-8")


def digest(value: Any) -> str:
    """``sha256:<hex>`` of the canonical JSON of ``value``: a content fingerprint."""
    return "sha256:" + hashlib.sha256(canonical(value)).hexdigest()


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# ---- keys and signatures ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SigningKey:
    kid: str
    secret: bytes = b""

    def __repr__(self) -> str:  # never print the secret
        return f"SigningKey(kid={self.kid!r})"


def signing_key(secret_key: str) -> SigningKey:
    """The receipt key, derived from the installation's secret (one secret to rotate, as the documents'
    verification codes); its id is a digest of the key, so a receipt names the key without revealing it."""
    secret = hashlib.sha256(b"clearway-decision-receipt\x1f" + secret_key.encode("utf-8")).digest()
    return SigningKey("rk-" + hashlib.sha256(b"kid\x1f" + secret).hexdigest()[:16], secret)


def _mac(label: bytes, secret: bytes, value: Any) -> str:
    return hmac.new(secret, label + canonical(value), hashlib.sha256).hexdigest()


def seal(content: Mapping[str, Any], confidential: Mapping[str, Any], key: SigningKey) -> dict[str, Any]:
    """The signed receipt: ``content`` gains the keyed digest of ``confidential``, then is signed."""
    sealed = {**content, "confidential_mac": _mac(_CONFIDENTIAL_LABEL, key.secret, dict(confidential))}
    return {
        "content": sealed,
        "confidential": dict(confidential),
        "signature": {"alg": ALGORITHM, "kid": key.kid, "value": _mac(_SIGN_LABEL, key.secret, sealed)},
    }


def filer_view(receipt: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """What the filer sees: the signed content and the signature, without the confidential part (its digest
    stays in the content, so the filer's copy verifies)."""
    if receipt is None:
        return None
    return {k: receipt[k] for k in ("content", "signature") if k in receipt}


@dataclass(frozen=True, slots=True)
class Verification:
    valid: bool
    reason: str
    kid: str | None = None
    confidential_checked: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "reason": self.reason,
            "kid": self.kid,
            "confidential_checked": self.confidential_checked,
        }


def verify(receipt: Any, keys: Mapping[str, SigningKey]) -> Verification:
    """Whether ``receipt`` was signed by one of ``keys`` and is unchanged (the confidential part too, when it is
    present). Never raises on malformed input: it is simply not valid, with the reason."""
    if not isinstance(receipt, Mapping):
        return Verification(False, "a receipt is a JSON object with content and signature")
    content, signature = receipt.get("content"), receipt.get("signature")
    if not isinstance(content, Mapping) or not isinstance(signature, Mapping):
        return Verification(False, "a receipt has a content object and a signature object")
    kid, value, alg = signature.get("kid"), signature.get("value"), signature.get("alg")
    if alg != ALGORITHM:
        return Verification(False, f"unknown signature algorithm {alg!r}; receipts are signed {ALGORITHM}")
    if not isinstance(kid, str) or not isinstance(value, str):
        return Verification(False, "the signature names no key id or value")
    key = keys.get(kid)
    if key is None:
        return Verification(False, f"signed with key {kid}, which this installation does not hold", kid)
    if not hmac.compare_digest(_mac(_SIGN_LABEL, key.secret, dict(content)), value):
        return Verification(
            False, "the signature does not match: the content changed since it was signed", kid
        )
    confidential = receipt.get("confidential")
    if confidential is None:
        return Verification(True, "genuine and unchanged", kid)
    mac = content.get("confidential_mac")
    if not isinstance(confidential, Mapping) or not isinstance(mac, str):
        return Verification(False, "the confidential part is malformed", kid)
    if not hmac.compare_digest(_mac(_CONFIDENTIAL_LABEL, key.secret, dict(confidential)), mac):
        return Verification(False, "the confidential part changed since it was signed", kid, True)
    return Verification(True, "genuine and unchanged, confidential part included", kid, True)


# ---- what the tariff engine read ---------------------------------------------------------------------------
def _measure(m: Measure) -> dict[str, Any]:
    return {
        "rate_code": m.rate_code,
        "expression": m.expression.as_dict(),
        "valid_from": m.valid_from.isoformat(),
        "valid_to": None if m.valid_to is None else m.valid_to.isoformat(),
        "geo_area": m.geo_area,
        "excluded": sorted(m.excluded),
        "reference_price": money(m.reference_price),
        "country_type": m.country_type,
        "use_type": m.use_type,
        "order_number": m.order_number,
        "additional_code": m.additional_code,
        "conditional": m.conditional,
        "source": m.source,
        "demo": m.demo,
    }


def rates_fingerprint(snapshot: TariffSnapshot, code: str, request: AssessmentRequest) -> str:
    """The fingerprint of every rate and internal-tax rule in force for ``code`` on the request's date."""
    memo = snapshot.fingerprints  # a snapshot's rates and parameters never change once read
    key = (code, request.on)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _rates_fingerprint(snapshot, code, request.on)
    return found


def _rates_fingerprint(snapshot: TariffSnapshot, code: str, on: date) -> str:
    measures = sorted((_measure(m) for m in snapshot.measures.on(code, on)), key=canonical)
    taxes = sorted((r.as_dict() for r in snapshot.internal_taxes.for_code(code, on).values()), key=canonical)
    return digest({"commodity_code": code, "measures": measures, "internal_taxes": taxes})


def parameters_fingerprint(snapshot: TariffSnapshot, request: AssessmentRequest) -> str:
    """The fingerprint of every parameter in force on the request's date."""
    memo = snapshot.fingerprints  # a snapshot's rates and parameters never change once read
    key = ("", request.on)
    fingerprint = memo.get(key)
    if fingerprint is None:
        found = snapshot.parameters.on(request.on).by_key
        fingerprint = memo[key] = digest([found[k].as_dict() for k in sorted(found)])
    return fingerprint


def tariff_inputs(
    request: AssessmentRequest,
    snapshot: TariffSnapshot,
    result: DeclarationResult,
    assessed_lines: Sequence[AssessedLine] | None = None,
) -> dict[str, Any]:
    """What an assessment was computed from, and what it found, line by line (``assessed_lines``: the lines'
    typed figures when the caller has them already, one per line of ``result``)."""
    lines = []
    exchange: dict[str, Any] = {}
    if assessed_lines is None:
        assessed_lines = [lr.assessed() for lr in result.lines]
    for lr, assessed in zip(result.lines, assessed_lines, strict=True):
        line = lr.line
        fx = lr.valuation.fx if lr.valuation is not None else None
        if fx is not None:
            exchange[fx.currency] = fx.as_dict()
        applied = lr.choice.applied if lr.choice is not None else None
        claim = line.preference
        lines.append(
            {
                "line_number": line.line_number,
                "commodity_code": line.commodity_code,
                "origin": line.origin,
                "rates_fingerprint": rates_fingerprint(snapshot, line.commodity_code, request),
                "applied_rate": None
                if applied is None
                else {
                    "rate_code": applied.measure.rate_code,
                    "rate": applied.measure.expression.text(),
                    "valid_from": applied.measure.valid_from.isoformat(),
                    "source": applied.measure.source,
                },
                "added_rates": [r.measure.rate_code for r in lr.choice.remedies] if lr.choice else [],
                "exchange_rate": None if fx is None else fx.as_dict(),
                "preference": None
                if claim is None
                else {
                    "agreement": claim.agreement,
                    "rate_code": claim.rate_code,
                    "certificate_reference": claim.certificate_reference,
                    "granted": claim.granted,
                    "reasons": list(claim.reasons),
                },
                "can_assess": assessed.can_assess,
                "customs_value_krw": money(assessed.customs_value_krw),
                "duty_krw": money(assessed.duty_krw),
                "taxes_krw": money(assessed.taxes_krw),
                "due_krw": money(assessed.due_krw),
            }
        )
    parameters = parameters_fingerprint(snapshot, request)
    return {
        "engine": METHOD,
        "on": request.on.isoformat(),
        "regime": request.regime.value,
        "parameters_fingerprint": parameters,
        "exchange_rates": [exchange[c] for c in sorted(exchange)],
        "tariff_fingerprint": digest(
            {
                "parameters": parameters,
                "rates": sorted({ln["rates_fingerprint"] for ln in lines}),
                "exchange_rates": [exchange[c] for c in sorted(exchange)],
            }
        ),
        "lines": lines,
        "can_assess": result.can_assess,
        "total_due_krw": money(result.total_due),
    }


# ---- the receipt's content ------------------------------------------------------------------------------------
def content(
    *,
    declaration: Mapping[str, Any],
    assessment: Mapping[str, Any],
    risk: Mapping[str, Any],
    outcome: Mapping[str, Any],
    issued_at: str,
    software: str,
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "declaration": dict(declaration),
        "assessment": dict(assessment),
        "risk": dict(risk),
        "outcome": dict(outcome),
        "issued_at": issued_at,
        "software": software,
    }


# ---- replay: the comparison -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Check:
    """One recorded input or figure against its recomputation."""

    part: str  # "duty" or "risk"
    item: str
    recorded: Any
    replayed: Any
    note: str = ""

    @property
    def same(self) -> bool:
        return self.recorded == self.replayed

    def as_dict(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "item": self.item,
            "recorded": self.recorded,
            "replayed": self.replayed,
            "same": self.same,
            **({"note": self.note} if self.note else {}),
        }


FIGURES = ("can_assess", "customs_value_krw", "duty_krw", "taxes_krw", "due_krw")


def compare_tariff(recorded: Mapping[str, Any], now: Mapping[str, Any]) -> list[Check]:
    """Recorded tariff inputs and figures against the same computed again today: each input fingerprint, then
    each figure (a changed figure is explained by the input that changed, or is the engine's own change)."""
    checks = [
        Check("duty", "engine", recorded.get("engine"), now.get("engine")),
        Check(
            "duty",
            "parameters",
            recorded.get("parameters_fingerprint"),
            now.get("parameters_fingerprint"),
            "tax parameters in force on the filing date",
        ),
    ]
    fx_now = {r["currency"]: r for r in now.get("exchange_rates", [])}
    for r in recorded.get("exchange_rates", []):
        other = fx_now.get(r["currency"], {})
        week = "..".join(x or "" for x in r.get("week", []) or [])
        checks.append(
            Check(
                "duty",
                f"exchange rate {r['currency']}",
                f"{r['rate_krw']}/{r['per']}" + (f" week {week}" if week else ""),
                f"{other.get('rate_krw')}/{other.get('per')}" + (f" week {week}" if week else "")
                if other
                else None,
                str(r.get("source", "")),
            )
        )
    lines_now = {ln["line_number"]: ln for ln in now.get("lines", [])}
    for line in recorded.get("lines", []):
        other = lines_now.get(line["line_number"], {})
        n, code = line["line_number"], line["commodity_code"]
        checks.append(
            Check("duty", f"line {n} rates {code}", line["rates_fingerprint"], other.get("rates_fingerprint"))
        )
        applied = (line.get("applied_rate") or {}).get("rate_code")
        checks.append(
            Check(
                "duty", f"line {n} applied rate", applied, (other.get("applied_rate") or {}).get("rate_code")
            )
        )
        for key in FIGURES[1:]:
            checks.append(Check("duty", f"line {n} {key}", line.get(key), other.get(key)))
    checks.append(Check("duty", "total due (KRW)", recorded.get("total_due_krw"), now.get("total_due_krw")))
    return checks


def explain(checks: list[Check]) -> list[str]:
    """One sentence per difference, the changed inputs first."""
    out = []
    inputs = [c for c in checks if not c.same and ("rates" in c.item or c.item in ("engine", "parameters"))]
    inputs += [c for c in checks if not c.same and c.item.startswith("exchange rate")]
    for c in inputs:
        out.append(f"{c.item}: was {c.recorded}, now {c.replayed}")
    for c in checks:
        if c.same or c in inputs:
            continue
        out.append(f"{c.item}: recorded {c.recorded}, would now be {c.replayed}")
    return out
