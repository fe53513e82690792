"""Trade documents generated from clearance (자동 생성 무역 서류), pure.

A document is a list of bilingual sections (Korean label / English label / value) built from plain values: the
declaration's content, its assessment (each figure with its legal basis), the lane, the release time, payments.
Its *canonical content* (sorted-key JSON of every field it shows) is what the verification code is computed
from: ``code = base32(HMAC-SHA256(key, kind ‖ canonical))`` cut to 80 bits, so a code cannot be made without
the installation's key and names exactly one content. The PDF bytes issued under a code are kept by their
SHA-256: a copy is *unchanged* when its bytes hash to the same value.

No clock, no database, no file: dates, figures and the key are passed in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

CODE_BITS = 80
_CODE = re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$")


class DocumentKind(StrEnum):
    IMPORT_CERTIFICATE = "import_certificate"  # 수입신고필증
    EXPORT_CERTIFICATE = "export_certificate"  # 수출신고필증
    PAYMENT_RECEIPT = "payment_receipt"  # 납부영수증
    MONTHLY_STATEMENT = "monthly_statement"  # 월별 납부세액 명세서


TITLES: dict[DocumentKind, tuple[str, str]] = {
    DocumentKind.IMPORT_CERTIFICATE: ("수입신고필증", "Import Declaration Certificate"),
    DocumentKind.EXPORT_CERTIFICATE: ("수출신고필증", "Export Declaration Certificate"),
    DocumentKind.PAYMENT_RECEIPT: ("관세 등 납부영수증", "Receipt of Payment of Duties and Taxes"),
    DocumentKind.MONTHLY_STATEMENT: ("월별 관세 등 납부 명세서", "Monthly Statement of Duties and Taxes"),
}


@dataclass(frozen=True, slots=True)
class Row:
    label_ko: str
    label_en: str
    value: str


@dataclass(frozen=True, slots=True)
class Section:
    title_ko: str
    title_en: str
    rows: tuple[Row, ...] = ()
    # A table instead of label/value rows: header (ko, en) per column, then the cells.
    columns: tuple[tuple[str, str], ...] = ()
    table: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    kind: DocumentKind
    number: str  # the document's own number (the declaration number, payment number, statement period)
    issued_on: date
    sections: tuple[Section, ...] = field(default_factory=tuple)

    @property
    def title_ko(self) -> str:
        return TITLES[self.kind][0]

    @property
    def title_en(self) -> str:
        return TITLES[self.kind][1]

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "number": self.number,
            "issued_on": self.issued_on.isoformat(),
            "sections": [
                {
                    "title": [s.title_ko, s.title_en],
                    "rows": [[r.label_ko, r.label_en, r.value] for r in s.rows],
                    "columns": [list(c) for c in s.columns],
                    "table": [list(t) for t in s.table],
                }
                for s in self.sections
            ],
        }

    def canonical(self) -> bytes:
        return json.dumps(self.as_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()

    def values(self) -> list[str]:
        """Every value the document shows (for tests and search)."""
        out = [self.number]
        for s in self.sections:
            out += [r.value for r in s.rows]
            out += [cell for t in s.table for cell in t]
        return out


# ---- verification -----------------------------------------------------------------------------------------
def verification_key(secret_key: str) -> bytes:
    """The document key, derived from the installation's secret (one secret to rotate)."""
    return hashlib.sha256(b"clearway-document-verification\x1f" + secret_key.encode("utf-8")).digest()


def verification_code(key: bytes, document: Document) -> str:
    """16 base32 characters in four groups (80 bits): ``ABCD-EFGH-JKLM-NPQR``."""
    mac = hmac.new(
        key, document.kind.value.encode() + b"\x1f" + document.canonical(), hashlib.sha256
    ).digest()
    text = base64.b32encode(mac[: CODE_BITS // 8]).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, 16, 4))


def normalise_code(text: str) -> str | None:
    """A code as typed (any case, spaces or no dashes) in its printed form, or None if it cannot be one."""
    compact = re.sub(r"[\s-]", "", text.upper())
    if len(compact) != 16:
        return None
    code = "-".join(compact[i : i + 4] for i in range(0, 16, 4))
    return code if _CODE.fullmatch(code) else None


def code_matches(key: bytes, document: Document, code: str) -> bool:
    return hmac.compare_digest(verification_code(key, document), code)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---- formatting -------------------------------------------------------------------------------------------
def won(value: Any) -> str:
    """Whole won with thousands separators (figures are already rounded by the rule that applies)."""
    if value is None or value == "":
        return "-"
    amount = Decimal(str(value).replace(",", ""))
    text = f"{amount:,.4f}".rstrip("0").rstrip(".")
    return f"{text} KRW"


def number(value: Any) -> str:
    if value is None or value == "":
        return "-"
    amount = Decimal(str(value).replace(",", ""))
    return f"{amount:,.4f}".rstrip("0").rstrip(".")


def _text(value: Any) -> str:
    if value is None or value == "":
        return "-"
    return str(value)


def _party_rows(prefix_ko: str, prefix_en: str, party: Mapping[str, Any] | None) -> list[Row]:
    party = party or {}
    return [
        Row(f"{prefix_ko} 상호", f"{prefix_en} name", _text(party.get("name"))),
        Row(f"{prefix_ko} 사업자등록번호", f"{prefix_en} business no.", _text(party.get("brn"))),
        Row(f"{prefix_ko} 주소", f"{prefix_en} address", _text(party.get("address"))),
        Row(f"{prefix_ko} 국가", f"{prefix_en} country", _text(party.get("country"))),
    ]


def declaration_number(declaration_id: int, filed_on: date) -> str:
    """신고번호 as printed everywhere in Clearway: CW-<yy>-<8-digit serial> (``declaration.schemas``)."""
    return f"CW-{filed_on:%y}-{declaration_id:08d}"


@dataclass(frozen=True, slots=True)
class Clearance:
    """What a certificate states about a declaration besides its content."""

    declaration_id: int
    version: int
    status: str
    lane: str | None
    filed_on: date
    filed_at: datetime
    accepted_at: datetime | None
    released_at: datetime | None
    release_stages: tuple[tuple[str, float], ...] = ()  # (stage, hours)


LANES = {
    "green": "녹색(전자수리) green",
    "blue": "청색 blue",
    "yellow": "황색(서류심사) yellow",
    "red": "적색(검사) red",
}


def certificate(
    clearance: Clearance,
    content: Mapping[str, Any],
    assessment: Mapping[str, Any] | None,
    *,
    issued_on: date,
) -> Document:
    """수입신고필증 / 수출신고필증: every field of the declaration, the assessment with its legal basis, the lane
    and the release time."""
    kind = (
        DocumentKind.EXPORT_CERTIFICATE
        if content.get("kind") == "export"
        else DocumentKind.IMPORT_CERTIFICATE
    )
    consignment = content.get("consignment") or {}
    office = str(consignment.get("customs_office") or "000")
    number_ = declaration_number(clearance.declaration_id, clearance.filed_on)
    general = Section(
        "신고 개요",
        "Declaration",
        (
            Row("신고번호", "Declaration no.", number_),
            Row("신고 차수", "Version", str(clearance.version)),
            Row("신고인 참조번호", "Declarant reference", _text(content.get("declarant_reference"))),
            Row(
                "신고구분",
                "Kind",
                "수입 import" if kind is DocumentKind.IMPORT_CERTIFICATE else "수출 export",
            ),
            Row("신고일시", "Filed at", clearance.filed_at.isoformat(timespec="seconds")),
            Row("수리일시", "Accepted at", _when(clearance.accepted_at)),
            Row("반출(수리 후) 일시", "Released at", _when(clearance.released_at)),
            Row("처리 상태", "Status", clearance.status),
            Row("심사 유형(C/S)", "Lane", LANES.get(clearance.lane or "", _text(clearance.lane))),
        ),
    )
    parties = Section(
        "당사자",
        "Parties",
        tuple(
            _party_rows("신고인", "Declarant", content.get("declarant"))
            + (
                _party_rows("수입자", "Importer", content.get("importer"))
                if kind is DocumentKind.IMPORT_CERTIFICATE
                else _party_rows("수출자", "Exporter", content.get("exporter"))
            )
            + _party_rows("판매자", "Seller", content.get("seller"))
            + _party_rows("구매자", "Buyer", content.get("buyer"))
        ),
    )
    transport = Section(
        "운송",
        "Transport",
        (
            Row("운송수단", "Transport mode", _text(consignment.get("transport_mode"))),
            Row("B/L(AWB) 번호", "Transport document", _text(consignment.get("transport_document"))),
            Row("입항(적재)일", "Arrival date", _text(consignment.get("arrival_date"))),
            Row("세관", "Customs office", office),
            Row("항구", "Port", _text(consignment.get("port"))),
        ),
    )
    assessed = {line.get("line_number"): line for line in (assessment or {}).get("lines", [])}
    items = []
    for item in content.get("items", []):
        items.append(_item_section(item, assessed.get(item.get("line_number"))))
    documents = Section(
        "첨부 서류",
        "Documents",
        columns=(("종류", "Kind"), ("번호", "Reference"), ("발행일", "Issued"), ("발행자", "Issuer")),
        table=tuple(
            (
                _text(d.get("kind")),
                _text(d.get("reference")),
                _text(d.get("issue_date")),
                _text(d.get("issuer")),
            )
            for d in content.get("documents", [])
        ),
    )
    totals = Section(
        "세액 합계",
        "Totals",
        (
            Row("총 납부세액", "Total due", won((assessment or {}).get("total_due_krw"))),
            Row("산출 방법", "Assessment method", _text((assessment or {}).get("method"))),
            *(Row("비고", "Note", _text(n)) for n in (assessment or {}).get("notes", [])),
        ),
    )
    release = Section(
        "단계별 통관 소요시간",
        "Release time by stage",
        columns=(("단계", "Stage"), ("시간", "Hours")),
        table=tuple((stage, f"{hours:.2f}") for stage, hours in clearance.release_stages),
    )
    return Document(
        kind, number_, issued_on, (general, parties, transport, *items, totals, documents, release)
    )


def _when(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else "-"


def _item_section(item: Mapping[str, Any], assessed: Mapping[str, Any] | None) -> Section:
    preference = item.get("preference") or {}
    rows = [
        Row("세번부호(HSK)", "Commodity code", _text(item.get("commodity_code"))),
        Row("품명", "Description", _text(item.get("description"))),
        Row("원산지", "Origin", _text(item.get("origin_country"))),
        Row("수량", "Quantity", f"{number(item.get('quantity'))} {_text(item.get('quantity_unit'))}"),
        Row("순중량(kg)", "Net mass (kg)", number(item.get("net_mass_kg"))),
        Row(
            "송품장 금액",
            "Invoice amount",
            f"{number(item.get('invoice_amount'))} {_text(item.get('currency'))}",
        ),
        Row("인도조건", "Incoterm", _text(item.get("incoterm"))),
        Row("운임", "Freight", number(item.get("freight"))),
        Row("보험료", "Insurance", number(item.get("insurance"))),
        Row("결정방법", "Valuation method", f"관세법 제{29 + int(item.get('valuation_method') or 1)}조"),
        Row("협정", "FTA claimed", _text(preference.get("agreement"))),
        Row("원산지증명서", "Certificate of origin", _text(preference.get("certificate_reference"))),
        Row("용도", "Declared use", _text(item.get("use_type"))),
    ]
    if assessed:
        valuation = assessed.get("valuation") or {}
        rate = (valuation.get("exchange_rate") or {}) if isinstance(valuation, Mapping) else {}
        rows += [
            Row("과세가격", "Customs value", won(assessed.get("customs_value_krw"))),
            Row("과세가격 근거", "Valuation basis", _text(valuation.get("legal_basis"))),
            Row(
                "과세환율",
                "Exchange rate",
                _text(rate.get("rate_krw")) + (f" ({rate.get('currency')})" if rate else ""),
            ),
            Row("적용 세율", "Rate applied", _text((assessed.get("rates") or {}).get("applied"))),
        ]
        for figure in assessed.get("figures", []):
            rows.append(
                Row(
                    _text(figure.get("name_ko")),
                    _text(figure.get("name")),
                    f"{won(figure.get('amount_krw'))} = {_text(figure.get('computation'))}",
                )
            )
            rows.append(Row("법적 근거", "Legal basis", _text(figure.get("legal_basis"))))
            if figure.get("rounding"):
                rows.append(Row("끝수 처리", "Rounding", _text(figure.get("rounding"))))
        for note in assessed.get("notes", []):
            rows.append(Row("비고", "Note", _text(note)))
        rows.append(Row("납부세액", "Due", won(assessed.get("due_krw"))))
    return Section(f"란 {item.get('line_number')}", f"Item {item.get('line_number')}", tuple(rows))


@dataclass(frozen=True, slots=True)
class Paid:
    payment_number: str
    amount_krw: Decimal
    bank_reference: str
    paid_at: str


def receipt(
    declaration_number_: str,
    payer: Mapping[str, Any] | None,
    assessed_total: Decimal | None,
    payments: Sequence[Paid],
    figures: Iterable[tuple[str, str, Decimal, str]],
    *,
    issued_on: date,
) -> Document:
    """납부영수증: what was paid for a declaration, by tax, with the bank's reference."""
    paid = sum((p.amount_krw for p in payments), Decimal(0))
    head = Section(
        "납부 내역",
        "Payment",
        (
            Row("신고번호", "Declaration no.", declaration_number_),
            *_party_rows("납세의무자", "Taxpayer", payer),
            Row("부과세액", "Assessed", won(assessed_total)),
            Row("납부액", "Paid", won(paid)),
        ),
    )
    bank = Section(
        "수납 기록",
        "Bank records",
        columns=(
            ("전자납부번호", "Payment no."),
            ("금액", "Amount"),
            ("은행 참조", "Bank reference"),
            ("납부일시", "Paid at"),
        ),
        table=tuple((p.payment_number, won(p.amount_krw), p.bank_reference, p.paid_at) for p in payments),
    )
    taxes = Section(
        "세목별",
        "By tax",
        columns=(("세목", "Tax"), ("Tax", "Tax (en)"), ("금액", "Amount"), ("법적 근거", "Legal basis")),
        table=tuple((ko, en, won(amount), basis) for ko, en, amount, basis in figures),
    )
    number_ = payments[0].payment_number if payments else declaration_number_
    return Document(DocumentKind.PAYMENT_RECEIPT, number_, issued_on, (head, bank, taxes))


@dataclass(frozen=True, slots=True)
class StatementLine:
    declaration_number: str
    filed_on: date
    status: str
    kind: str
    duty_krw: Decimal
    taxes_krw: Decimal
    due_krw: Decimal
    paid_krw: Decimal


def statement(
    company: Mapping[str, Any], period: str, lines: Sequence[StatementLine], *, issued_on: date
) -> Document:
    """월별 납부세액 명세서: a company's declarations of a month with what was due and paid."""
    total = [
        sum((getattr(x, f) for x in lines), Decimal(0))
        for f in ("duty_krw", "taxes_krw", "due_krw", "paid_krw")
    ]
    head = Section(
        "명세서",
        "Statement",
        (
            Row("회사", "Company", _text(company.get("name"))),
            Row("사업자등록번호", "Business no.", _text(company.get("brn"))),
            Row("기간", "Period", period),
            Row("신고 건수", "Declarations", str(len(lines))),
            Row("관세 합계", "Duty total", won(total[0])),
            Row("내국세 합계", "Taxes total", won(total[1])),
            Row("부과 합계", "Due total", won(total[2])),
            Row("납부 합계", "Paid total", won(total[3])),
            Row("미납", "Outstanding", won(total[2] - total[3])),
        ),
    )
    table = Section(
        "신고별",
        "By declaration",
        columns=(
            ("신고번호", "Declaration"),
            ("신고일", "Filed"),
            ("구분", "Kind"),
            ("상태", "Status"),
            ("관세", "Duty"),
            ("내국세", "Taxes"),
            ("부과", "Due"),
            ("납부", "Paid"),
        ),
        table=tuple(
            (
                x.declaration_number,
                x.filed_on.isoformat(),
                x.kind,
                x.status,
                won(x.duty_krw),
                won(x.taxes_krw),
                won(x.due_krw),
                won(x.paid_krw),
            )
            for x in lines
        ),
    )
    return Document(DocumentKind.MONTHLY_STATEMENT, period, issued_on, (head, table))


def parse_period(text: str) -> tuple[date, date] | None:
    """``YYYY-MM`` → first day of the month and first day of the next, or None."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return start, end
