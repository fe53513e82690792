"""The assistant's tools: Clearway's own engines, called the way a user would call them (shell).

- ``allowance``: the traveller allowance and the small-parcel thresholds in force on the question's date, from
  the tariff parameters (the database's when loaded, else the bundled set), with their legal basis;
- ``estimate``: a duty and tax estimate through the assessment engine, the code taken from the HS classifier
  (stated as an assumption), the regime from the question (traveller / small parcel / general);
- ``classify``: the served HS classifier's candidates;
- ``declaration_status``: a declaration the signed-in user may see (another company's is "not found").
Every figure a tool returns is computed here, now; none is taken from guidance text.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from clearway.assessment import service as assessment
from clearway.assessment.preference import DocumentaryOnlyVerifier
from clearway.assistant.answer import ToolResult
from clearway.assistant.intent import Reading, Regime
from clearway.classification.registry import ModelUnavailable
from clearway.classification.service import classify_with_served_model
from clearway.declaration.lifecycle import Status
from clearway.declaration.schemas import declaration_number
from clearway.errors import ClearwayError, NotFound
from clearway.identity.core import Principal
from clearway.runtime import Runtime
from clearway.tariff import bundled
from clearway.tariff import repository as tariff_repo
from clearway.tariff.parameters import MissingParameter, ParameterSet, ParameterTable

NEXT_STEP = {
    Status.FILED: ("접수되어 심사를 기다립니다", "filed, waiting for assessment"),
    Status.ASSESSED: ("세액 심사를 마쳤습니다", "assessed"),
    Status.LANE_ASSIGNED: ("검사 구분이 정해졌습니다", "its check has been decided"),
    Status.UNDER_DOCUMENT_CHECK: ("세관이 서류를 심사하고 있습니다", "customs is checking the documents"),
    Status.UNDER_INSPECTION: ("세관이 물품을 검사하고 있습니다", "customs is inspecting the goods"),
    Status.ACCEPTED: (
        "수리되었습니다. 세금을 납부하면 반출할 수 있습니다",
        "accepted; pay the duties and taxes to release the goods",
    ),
    Status.PAID: ("납부가 확인되었습니다. 반출을 기다립니다", "paid; waiting for release"),
    Status.RELEASED: ("반출되었습니다", "released"),
    Status.REJECTED: ("각하되었습니다", "rejected"),
    Status.CANCELLED: ("취하되었습니다", "withdrawn"),
    Status.AMENDED: ("정정되어 새 버전이 있습니다", "amended; a newer version exists"),
    Status.DRAFT: ("작성 중입니다", "a draft"),
}


def _ko(language: str) -> bool:
    return language == "ko"


def _won(amount: Decimal | str) -> str:
    return f"{Decimal(str(amount)):,.0f}"


def parameters_on(session: Session | None, on: date) -> ParameterSet:
    stored = tariff_repo.parameters(session) if session is not None else []
    return ParameterTable.of(stored or bundled.parameters()).on(on)


def allowance(session: Session | None, on: date, language: str) -> ToolResult:
    params = parameters_on(session, on)
    try:
        traveller = params.get("traveller.allowance_usd")
        parcel = params.get("de_minimis.small_parcel_usd")
        from_us = params.get("de_minimis.small_parcel_usd_from_us")
    except MissingParameter as exc:
        return ToolResult("allowance", str(exc), missing=("tariff parameters",))
    if _ko(language):
        text = (
            f"{on.isoformat()} 기준: 여행자 휴대품 기본 면세한도는 미화 {traveller.value}달러입니다"
            f"({traveller.legal_basis}). 해외직구 등 자가사용 소액물품은 물품가격 미화 {parcel.value}달러"
            f"(미국에서 오는 물품은 {from_us.value}달러) 이하면 관세·부가세가 면제됩니다({parcel.legal_basis}). "
            "주류(제22류)와 담배(제24류)는 금액과 관계없이 과세됩니다."
        )
    else:
        text = (
            f"As of {on.isoformat()}: the basic traveller allowance is USD {traveller.value} "
            f"({traveller.legal_basis}). Personal-use small parcels are free of duty and VAT up to a goods "
            f"price of USD {parcel.value} (USD {from_us.value} for goods from the US) ({parcel.legal_basis}). "
            "Alcohol (chapter 22) and tobacco (chapter 24) are taxed whatever the value."
        )
    data = {
        "on": on.isoformat(),
        "traveller_allowance_usd": str(traveller.value),
        "small_parcel_usd": str(parcel.value),
        "small_parcel_usd_from_us": str(from_us.value),
    }
    return ToolResult("allowance", text, data=data)


def classify(runtime: Runtime, goods: str | None, language: str) -> ToolResult:
    if not goods:
        ask = (
            "어떤 물품인지 알려 주세요(재질, 용도 등)."
            if _ko(language)
            else "Tell me what the goods are (material, use)."
        )
        return ToolResult("classify", ask, missing=("goods",))
    try:
        result = classify_with_served_model(runtime.settings.models_dir, goods, lang=None, top_k=3)
    except ModelUnavailable as exc:
        return ToolResult("classify", str(exc), missing=("classification model",))
    if result.decline is not None or not result.candidates:
        reason = result.decline.message if result.decline else "too vague"
        text = (
            f"'{goods}'만으로는 품목을 정하기 어렵습니다({reason}). 재질과 용도를 더 알려 주세요."
            if _ko(language)
            else f"'{goods}' is too little to classify ({reason}); add material and use."
        )
        return ToolResult("classify", text, missing=("details",), data={"declined": True})
    lines = [f"{c.hs6} ({c.confidence:.0%})" for c in result.candidates[:3]]
    text = (
        f"'{goods}'의 HS 후보: " + ", ".join(lines) + ". 최종 분류는 신고인의 책임이며, 확실하지 않으면 "
        "품목분류 사전심사를 신청할 수 있습니다."
        if _ko(language)
        else f"HS candidates for '{goods}': "
        + ", ".join(lines)
        + ". The declarant is responsible for the final "
        "code; ask customs for an advance ruling when unsure."
    )
    return ToolResult(
        "classify",
        text,
        data={
            "candidates": [
                {
                    "hs6": c.hs6,
                    "hs10": c.hs10,
                    "confidence": round(c.confidence, 4),
                    "description": c.description,
                }
                for c in result.candidates[:3]
            ]
        },
    )


def _first_code(runtime: Runtime, goods: str) -> tuple[str | None, str | None]:
    try:
        result = classify_with_served_model(runtime.settings.models_dir, goods, lang=None, top_k=1)
    except ModelUnavailable:
        return None, None
    if result.decline is not None or not result.candidates:
        return None, None
    best = result.candidates[0]
    return best.hs10, best.hs6


def estimate(runtime: Runtime, session: Session, reading: Reading, on: date, language: str) -> ToolResult:
    missing = list(reading.missing)
    code, _hs6 = _first_code(runtime, reading.goods) if reading.goods else (None, None)
    if reading.goods and code is None:
        missing.append("commodity_code")
    if missing or reading.money is None or reading.country is None:
        ask = {
            "origin_country": ("어느 나라에서 산 물품인가요?", "Which country are the goods from?"),
            "goods": ("어떤 물품인가요?", "What are the goods?"),
            "commodity_code": (
                "물품을 조금 더 자세히 알려 주세요(재질, 용도).",
                "Describe the goods a little more (material, use).",
            ),
        }
        text = " ".join(ask[m][0 if _ko(language) else 1] for m in missing if m in ask)
        return ToolResult("estimate", text, missing=tuple(missing))
    regime = reading.regime or Regime.SMALL_PARCEL
    document = {
        "on": on.isoformat(),
        "regime": regime.value,
        "items": [
            {
                "commodity_code": code,
                "origin_country": reading.country,
                "quantity": "1",
                "quantity_unit": "U",
                "invoice_amount": str(reading.money.amount),
                "currency": reading.money.currency,
                "incoterm": "CIF",
            }
        ],
    }
    assumed = (f"HS {code} ({reading.goods})", f"regime {regime.value}", "quantity 1, CIF price as given")
    try:
        rendered = assessment.estimate(
            session,
            document,
            today=on,
            verifier=DocumentaryOnlyVerifier(),
            nomenclature=runtime.declarations.nomenclature,
        )
    except ClearwayError as exc:
        return ToolResult("estimate", exc.detail or exc.title, assumed=assumed, missing=("valid estimate",))
    total = rendered.get("total_due_krw")
    if total is None:
        reasons = "; ".join(r.get("message", "") for r in rendered.get("reasons", [])) or "no rate loaded"
        text = f"세액을 계산할 수 없습니다: {reasons}" if _ko(language) else f"I cannot compute it: {reasons}"
        return ToolResult("estimate", text, assumed=assumed, data=_estimate_data(rendered))
    taxes = ", ".join(f"{k} {_won(v)}" for k, v in rendered.get("totals_krw", {}).items())
    if _ko(language):
        text = (
            f"예상 세액은 {_won(total)}원입니다({taxes}). 가정: "
            + "; ".join(assumed)
            + ". 실제 세액은 신고일의 과세환율과 세관 심사로 정해집니다."
        )
    else:
        text = (
            f"The estimated duties and taxes are {_won(total)} won ({taxes}). Assumed: "
            + "; ".join(assumed)
            + ". The actual amount is set by the customs exchange rate of the declaration date and customs."
        )
    if rendered.get("demo_data"):
        text += " (DEMO rates)" if not _ko(language) else " (데모 세율)"
    return ToolResult("estimate", text, assumed=assumed, data=_estimate_data(rendered))


def _estimate_data(rendered: dict[str, Any]) -> dict[str, Any]:
    keep = ("on", "regime", "can_assess", "total_due_krw", "totals_krw", "reasons", "notes", "demo_data")
    return {k: rendered.get(k) for k in keep}


def declaration_status(
    runtime: Runtime, session: Session, principal: Principal | None, reading: Reading, language: str
) -> ToolResult:
    ko = _ko(language)
    if principal is None:
        text = (
            "신고 상태는 로그인한 사용자에게만 알려 드립니다."
            if ko
            else "Sign in to ask about a declaration; I only show your own company's declarations."
        )
        return ToolResult("declaration_status", text, missing=("sign_in",))
    if reading.declaration is None:
        text = (
            "신고번호(CW-26-00000012 형식)를 알려 주세요."
            if ko
            else "Give me the declaration number (like CW-26-00000012)."
        )
        return ToolResult("declaration_status", text, missing=("declaration_number",))
    try:
        filing = runtime.declarations.get(session, principal, reading.declaration)
    except (NotFound, ClearwayError):
        text = "그 번호의 신고를 찾을 수 없습니다." if ko else "I can't find a declaration with that number."
        return ToolResult("declaration_status", text, data={"found": False})
    d = filing.declaration
    status = Status(d.status)
    number = declaration_number(d)
    step = NEXT_STEP.get(status, (status.value, status.value))
    text = f"신고 {number}: {step[0]}." if ko else f"Declaration {number}: {step[1]}."
    return ToolResult("declaration_status", text, data={"number": number, "status": status.value})
