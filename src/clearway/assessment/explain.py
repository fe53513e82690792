"""Every figure with its why: the tax, its legal basis, its base, its rate and rate code, and the rounding.

Figures are built with numbers only (fast); the text an officer reads is rendered by ``as_dict``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from clearway.tariff.duty import DutyResult
from clearway.tariff.measures import DutyExpression, format_number

# key: (Korean name, English name, legal basis)
TAXES: dict[str, tuple[str, str, str]] = {
    "customs_value": (
        "과세가격",
        "customs value (CIF)",
        "관세법 제30조~제35조 (과세가격), 제17조·제18조 (과세환율)",
    ),
    "customs_duty": ("관세", "customs duty", "관세법 제50조 (세율 적용의 우선순위); FTA 관세특례법 제5조"),
    "anti_dumping_duty": ("덤핑방지관세", "anti-dumping duty", "관세법 제51조"),
    "countervailing_duty": ("상계관세", "countervailing duty", "관세법 제57조"),
    "retaliatory_duty": ("보복관세", "retaliatory duty", "관세법 제63조"),
    "emergency_duty": ("긴급관세", "emergency (safeguard) duty", "관세법 제65조, 제67조의2"),
    "special_safeguard_duty": (
        "농림축산물 특별긴급관세",
        "special agricultural safeguard duty",
        "관세법 제68조",
    ),
    "individual_consumption_tax": ("개별소비세", "individual consumption tax", "개별소비세법 제1조, 제8조"),
    "liquor_tax": ("주세", "liquor tax", "주세법 제8조"),
    "transport_energy_environment_tax": (
        "교통·에너지·환경세",
        "transport-energy-environment tax",
        "교통·에너지·환경세법 제2조",
    ),
    "education_tax": ("교육세", "education tax", "교육세법 제5조"),
    "rural_development_tax": ("농어촌특별세", "rural development special tax", "농어촌특별세법 제5조"),
    "vat": ("부가가치세", "value added tax", "부가가치세법 제29조 제2항 (과세표준), 제30조 (세율)"),
}

REMEDY_TAX_KEY = {
    "I": "anti_dumping_duty",
    "M": "countervailing_duty",
    "J": "retaliatory_duty",
    "K": "emergency_duty",
    "T": "special_safeguard_duty",
    "T1": "special_safeguard_duty",
    "T2": "special_safeguard_duty",
}

DUTY_KEYS = frozenset({"customs_duty", *REMEDY_TAX_KEY.values()})

ROUNDING_TEXT = {
    "won_10": "the part below 10 won is not collected (국고금 관리법 제47조 제1항)",
    "won_1": "the part of the tax base below 1 won is dropped (국고금 관리법 제47조 제2항)",
    "none": "no rounding",
}


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a line (or a declaration) cannot be assessed honestly."""

    code: str
    message: str
    pointer: str | None = None

    def as_dict(self) -> dict[str, str]:
        d = {"code": self.code, "message": self.message}
        if self.pointer:
            d["pointer"] = self.pointer
        return d


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    amount: Decimal  # after the legal rounding, KRW
    exact: Decimal  # before rounding
    base: Decimal | None = None  # the tax base (과세표준)
    base_parts: tuple[tuple[str, Decimal], ...] = ()  # what the base is made of
    rate: str | DutyExpression | None = None  # "8%", or the expression (rendered as text lazily)
    rate_code: str | None = None
    rounding: str = "won_10"
    duty: DutyResult | None = None  # the component computation, for duties and specific taxes
    note: str | None = None
    legal_basis: str | None = None  # overrides the default of the tax

    def as_dict(self) -> dict[str, Any]:
        name_ko, name_en, basis = TAXES[self.key]
        d: dict[str, Any] = {
            "tax": self.key,
            "name_ko": name_ko,
            "name": name_en,
            "amount_krw": str(self.amount),
            "exact_krw": _plain(self.exact),
            "legal_basis": self.legal_basis or basis,
        }
        if self.base is not None:
            d["base_krw"] = str(self.base)
            if self.base_parts:
                d["base"] = " + ".join(
                    f"{TAXES[k][0] if k in TAXES else k} {format_number(v)}" for k, v in self.base_parts
                )
        if self.rate is not None:
            d["rate"] = self.rate_text
        if self.rate_code is not None:
            d["rate_code"] = self.rate_code
        d["computation"] = self.computation()
        d["rounding"] = ROUNDING_TEXT[self.rounding]
        if self.note:
            d["note"] = self.note
        return d

    @property
    def rate_text(self) -> str | None:
        return self.rate.text() if isinstance(self.rate, DutyExpression) else self.rate

    def computation(self) -> str:
        if self.duty is not None:
            text = self.duty.computation()
        elif self.base is not None and self.rate is not None:
            text = f"{format_number(self.base)} × {self.rate_text}"
        else:
            text = format_number(self.exact)
        if self.rounding == "none" or self.exact == self.amount:
            return f"{text} = {format_number(self.amount)}"
        return f"{text} = {format_number(self.exact)} → {format_number(self.amount)}"


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def label(key: str) -> str:
    name_ko, name_en, _ = TAXES[key]
    return f"{name_ko} ({name_en})"
