"""Every 관세율구분 code KCS publishes, and what the engine makes of it. Pure.

The code list (``data/tariff/korea/kr_rate_kind_codes.csv``: 367 codes, 번호/코드유효값/코드유효값명) is the
KCS list of rate codes the rate file may use. Each code is read here as one of:

* a **family** of the rate-priority table (``kr_tariff_rate_priority.csv``, 관세법 제50조): its rank, whether it
  is added on top, and which origins it serves follow from the family — ``A1`` is a basic rate, ``C2A5`` a WTO
  concession, ``P2`` a quota rate that needs a recommendation, ``T2`` a special safeguard;
* an **FTA, CEPA or RCEP rate** (rank 2, FTA 관세특례법 제5조): the agreement and the partner countries, each with
  the day the agreement entered into force for it, come from ``kr_fta_rate_codes.csv`` by the code's prefix
  (``FCN7`` → Korea–China, ``FRCJP1`` → RCEP for Japan, ``FASTH`` → the Korea–ASEAN reciprocal rate for
  Thailand, ``Y5`` → the old code of Korea–Chile);
* ``U`` (북한산): goods of North Korean origin, which are not imports but inter-Korean trade (남북교류협력에 관한
  법률 제26조): the file's U rate replaces every other rate for origin KP;
* **refused by name**: a code with no rank in 관세법 제50조 the engine cannot place (H, O, Q, S, X). Rows with
  such a code are skipped at load with the reason, never applied as if they were another rate.

A code outside the list is refused at load as unknown.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from types import MappingProxyType

FTA_FAMILY = "FTA"
INTER_KOREAN = "U"

# (pattern, family, needs a recommendation). Order matters: the first match wins.
_FAMILIES: tuple[tuple[str, str, bool], ...] = (
    (r"A1?", "A", False),  # 기본세율; A1 = 기본세율(선택1), used where a line has no A row
    (r"B", "B", False),  # 잠정세율
    (r"C\d?(A\d)?", "C", False),  # WTO협정세율 and its 선택 variants
    (r"CIT\d?", "CIT", False),  # WTO ITA concessions
    (r"D", "D", False),  # WTO 개도국 협정세율
    (r"E1([ABL]\d+)?", "E1", False),  # 아시아·태평양 협정세율 (APTA), general
    (r"E2(A\d)?", "E2", False),  # APTA, Bangladesh
    (r"E3(A\d)?", "E3", False),  # APTA, Laos
    (r"F1?", "F", False),  # 국제협력관세
    (r"G[12]", "G", False),  # UN 개도국 협정세율 (GSTP); G2 = least developed
    (r"I", "I", False),
    (r"J", "J", False),
    (r"K", "K", False),
    (r"M", "M", False),  # trade remedies
    (r"L", "L", False),  # 조정관세
    (r"N", "N", False),  # 편익관세
    (r"P[124]", "P", True),  # 할당관세(물량이내추천): needs the recommendation / quota allocation
    (r"P3", "P", False),  # 할당관세(수입전량)
    (r"R", "R", False),  # 최빈국특혜관세
    (r"T[12]", "T", False),  # 특별긴급관세 (volume / price based)
    (r"U", INTER_KOREAN, False),  # 북한산
    (r"W1", "W1", True),  # 농림축산물양허관세(추천)
    (r"W2", "W2", False),  # 농림축산물양허관세(미추천)
    (
        r"W3",
        "W2",
        True,
    ),  # 농림축산물양허관세(증량분): the increased quota volume, allocated by recommendation
)
_COMPILED = tuple((re.compile(f"^(?:{p})$"), f, r) for p, f, r in _FAMILIES)

REFUSED: Mapping[str, str] = MappingProxyType(
    {
        "H": "한중마늘 합의세율 (the 2000 Korea–China garlic arrangement) has no rank in 관세법 제50조",
        "O": "물가평형관세 has no rank in 관세법 제50조",
        "Q": "환특세율 has no rank in 관세법 제50조 and no published definition the engine could apply",
        "S": "쌍무협정세율 names no agreement or partner countries and has no rank in 관세법 제50조",
        "X": "간이세율 (관세법 제81조) is a whole-consignment simplified rate for travellers' and postal goods, not a "
        "rate of a commodity line; the traveller and small-parcel regimes apply it",
    }
)


@dataclass(frozen=True, slots=True)
class Agreement:
    code: str  # KR-CN, RCEP ... (the claim's agreement code where the declaration knows it)
    name: str


@dataclass(frozen=True, slots=True)
class RateCode:
    code: str
    name_ko: str  # 코드유효값명 as KCS gives it
    family: str = ""  # rate-priority family (A, C, P, W2 ...), FTA, U; "" when refused
    agreement: Agreement | None = None  # FTA codes
    partners: Mapping[str, date] = field(default_factory=dict)  # FTA codes: partner → entry into force
    needs_recommendation: bool = False
    refused: str | None = None  # why the engine will not apply it

    @property
    def is_fta(self) -> bool:
        return self.family == FTA_FAMILY


@dataclass(frozen=True, slots=True)
class _PartnerRow:
    prefix: str
    agreement: Agreement
    partner: str
    in_force_from: date


@dataclass(frozen=True)
class RateCodes:
    by_code: Mapping[str, RateCode]

    def get(self, code: str) -> RateCode | None:
        return self.by_code.get(code)

    def __len__(self) -> int:
        return len(self.by_code)

    def agreements(self) -> dict[str, Agreement]:
        return {c.agreement.code: c.agreement for c in self.by_code.values() if c.agreement is not None}


def classify(code: str, name_ko: str, partner_rows: list[_PartnerRow]) -> RateCode:
    """The meaning of one listed code (pure; ``partner_rows`` from :func:`parse_partner_rows`)."""
    if code in REFUSED:
        return RateCode(code, name_ko, refused=REFUSED[code])
    for pattern, family, recommendation in _COMPILED:
        if pattern.match(code):
            return RateCode(code, name_ko, family, needs_recommendation=recommendation)
    matches = [r for r in partner_rows if re.fullmatch(re.escape(r.prefix) + r"\d*", code)]
    if matches:
        longest = max(len(r.prefix) for r in matches)
        rows = [r for r in matches if len(r.prefix) == longest]
        return RateCode(
            code,
            name_ko,
            FTA_FAMILY,
            rows[0].agreement,
            MappingProxyType({r.partner: r.in_force_from for r in rows}),
            needs_recommendation=name_ko.endswith("(추천)"),
        )
    return RateCode(code, name_ko, refused="no meaning is configured for this code")


def parse_partner_rows(text: str) -> list[_PartnerRow]:
    rows = []
    for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
        rows.append(
            _PartnerRow(
                row["code_prefix"],
                Agreement(row["agreement"], row["agreement_name"]),
                row["partner"],
                date.fromisoformat(row["in_force_from"]),
            )
        )
    return rows


def parse_code_list(text: str, partner_rows: list[_PartnerRow]) -> RateCodes:
    found: dict[str, RateCode] = {}
    for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
        code = row["코드유효값"].strip().upper()
        found[code] = classify(code, row["코드유효값명"].strip(), partner_rows)
    return RateCodes(MappingProxyType(found))


def _data(name: str) -> str:
    return resources.files("clearway.data").joinpath("tariff", "korea", name).read_text("utf-8")


@cache
def bundled_rate_codes() -> RateCodes:
    partners = parse_partner_rows(_data("kr_fta_rate_codes.csv"))
    return parse_code_list(_data("kr_rate_kind_codes.csv"), partners)
