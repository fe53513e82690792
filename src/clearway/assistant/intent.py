"""What a question asks for: a procedure answer from the guidance, or one of Clearway's tools. Pure.

Recognised tasks: a duty and tax estimate (an amount with a currency and a word for tax), an HS classification,
the status of a declaration (a declaration number ``CW-26-00000012`` or "my declaration"), and the traveller
allowance / de minimis thresholds (facts that change over time and are answered from the tariff parameters of
the question's date, never from dated guidance text). A question on the allowance of one kind of goods or on a
case around the limit, and a question about HS codes themselves, are answered from the guidance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum

MAX_QUESTION = 2000


class Intent(StrEnum):
    GUIDANCE = "guidance"
    DUTY_ESTIMATE = "duty_estimate"
    CLASSIFY = "classify"
    DECLARATION_STATUS = "declaration_status"
    ALLOWANCE = "allowance"


class Regime(StrEnum):
    TRAVELLER = "traveller"
    SMALL_PARCEL = "small_parcel"
    GENERAL = "general"


# Currency words in Korean and English (and symbols) → ISO 4217.
_CURRENCIES: tuple[tuple[str, str], ...] = (
    (r"달러|불|usd|us\$|\$|dollars?", "USD"),
    (r"유로|eur|€|euros?", "EUR"),
    (r"엔화|엔|jpy|¥|yen", "JPY"),
    (r"위안|元|cny|rmb|yuan", "CNY"),
    (r"파운드|gbp|£|pounds?", "GBP"),
    (r"원|krw|won|₩", "KRW"),
)
_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
_AMOUNT_AFTER = [
    (re.compile(_NUMBER + r"\s*(?:" + words + r")(?![a-z])", re.I), code) for words, code in _CURRENCIES
]
_AMOUNT_BEFORE = [
    (re.compile(r"(?<![a-z])(?:" + words + r")\s*" + _NUMBER, re.I), code) for words, code in _CURRENCIES
]
# Country names as people type them → ISO 3166 alpha-2.
COUNTRIES: dict[str, str] = {
    "미국": "US",
    "중국": "CN",
    "일본": "JP",
    "이탈리아": "IT",
    "프랑스": "FR",
    "독일": "DE",
    "영국": "GB",
    "베트남": "VN",
    "태국": "TH",
    "홍콩": "HK",
    "대만": "TW",
    "스페인": "ES",
    "스위스": "CH",
    "캐나다": "CA",
    "호주": "AU",
    "싱가포르": "SG",
    "인도": "IN",
    "필리핀": "PH",
    "인도네시아": "ID",
    "말레이시아": "MY",
    "united states": "US",
    "usa": "US",
    "america": "US",
    "the us": "US",
    "china": "CN",
    "japan": "JP",
    "italy": "IT",
    "france": "FR",
    "germany": "DE",
    "united kingdom": "GB",
    "uk": "GB",
    "england": "GB",
    "vietnam": "VN",
    "thailand": "TH",
    "hong kong": "HK",
    "taiwan": "TW",
    "spain": "ES",
    "switzerland": "CH",
    "canada": "CA",
    "australia": "AU",
    "singapore": "SG",
    "india": "IN",
}
_TAX_WORDS = re.compile(r"세금|관세|부가세|세액|얼마.*내|duty|duties|tax|taxes|how much.*pay", re.I)
_CLASSIFY_WORDS = re.compile(
    r"hs\s*코드|hs\s*code|hs\s*부호|품목번호|세번|품목분류|분류번호|tariff code|"
    r"classif|commodity code|무슨 코드|어떤 코드",
    re.I,
)
# A question about HS codes themselves (what they are, how to find or check one, who decides, binding rulings)
# rather than a request to classify goods.
_ABOUT_CODES = re.compile(
    r"어떻게 알|어디서|확인|방법|유권해석|누가|무엇인가|뭐야|뭐지|명칭|결정|신청|따로|통계|어디에 쓰|필요|요건|"
    r"who decides|how (do|can) i (find|check)|where (do|can) i",
    re.I,
)
# Where a declaration stands, not how declaring works: "신고 진행 상황", "처리 상태", "어디까지", "status" — a bare
# "진행" or "처리" ("일반수입신고로 진행해야 하나요?", how a declaration is processed) is a procedure question.
_STATUS_WORDS = re.compile(
    r"(신고|declaration).{0,20}(상태|어디까지|어디쯤|진행\s*상황|처리\s*(상황|결과)|status)|"
    r"(where is|status of) my (declaration|goods)|내 (수입)?신고",
    re.I,
)
_DECLARATION_NUMBER = re.compile(r"CW-?(\d{2})-?(\d{1,8})", re.I)
_ALLOWANCE_WORDS = re.compile(
    r"면세\s*한도|면세\s*범위|면세한도|면세 기준|allowance|duty[- ]free (limit|allowance)|"
    r"de minimis|소액.*면세|면세.*(얼마|금액)",
    re.I,
)
# An allowance question the threshold tool does not answer: the limit of one kind of goods (alcohol, tobacco,
# perfume, farm and fishery products, herbal medicine and medicines have limits of their own; "X의 면세 기준",
# "X를 사올 때"), of household goods, or a case around the limit (exceeding it, splitting, discounts, what it
# includes) unless the question also asks what the limit is.
_GOODS_ALLOWANCE = re.compile(
    r"담배|궐련|전담|액상|시가|큐반|주류|술|와인|위스키|향수|농|수산|축산|한약|인삼|녹용|의약품|약|건강기능|"
    r"이사|이삿|검역|수량|"
    r"(?<!여행자)(?<!휴대품)(?<!물품)(?<!직구)(?<!우편물)의\s*(면세|관세)|"
    r"[가-힣](?<!한도)(?<!범위)(?<!기준)(?<!금액)(?<!면세)[을를]\s|"
    r"alcohol|tobacco|cigar|perfume",
    re.I,
)
_AROUND_THE_LIMIT = re.compile(
    r"넘|초과|않으면|안 하면|나눠|나누|합산|할인|쿠폰|개당|개별|합계|포함|왜|이유|가산세|감면|계산서|환율|경우|"
    r"exceed|over the",
    re.I,
)
_ASKS_THE_LIMIT = re.compile(
    r"(한도|범위|기준|금액)[가는이은]?\s*(얼마|어떻게)|how much is the|what is the", re.I
)
_TRAVELLER_WORDS = re.compile(
    r"여행|출국|입국|해외에서 (산|구입|구매)|면세점|bought (it )?(in|abroad)|"
    r"travel|trip|airport|공항",
    re.I,
)
_PARCEL_WORDS = re.compile(
    r"직구|해외\s*구매|온라인|쇼핑몰|택배|특송|배송|주문|시키면|아마존|"
    r"parcel|online|shipped|ordered|amazon|"
    r"알리|테무|e-?commerce",
    re.I,
)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_INJECTION = re.compile(
    r"ignore (all |your |previous )*(instructions|rules)|system prompt|지시를 무시|"
    r"모든 신고.*보여|show (me )?all declarations",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class Reading:
    """What the question asks and the facts it gives."""

    intent: Intent
    language: str  # "ko" | "en" | "other"
    money: Money | None = None
    country: str | None = None
    regime: Regime | None = None
    declaration: int | None = None  # the serial of a declaration number
    goods: str | None = None
    injection: bool = False
    missing: tuple[str, ...] = field(default=())


def language_of(text: str) -> str:
    if _HANGUL.search(text):
        return "ko"
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isascii() for c in letters) / len(letters) > 0.8:
        return "en"
    return "other"


def money_in(text: str) -> Money | None:
    for patterns in (_AMOUNT_AFTER, _AMOUNT_BEFORE):
        for pattern, code in patterns:
            match = pattern.search(text)
            if match:
                try:
                    return Money(Decimal(match.group(1).replace(",", "")), code)
                except InvalidOperation:
                    continue
    return None


def country_in(text: str) -> str | None:
    lowered = text.lower()
    for name, code in sorted(COUNTRIES.items(), key=lambda kv: -len(kv[0])):
        if re.search(r"\b" + re.escape(name) + r"\b" if name.isascii() else re.escape(name), lowered):
            return code
    return None


def regime_in(text: str) -> Regime | None:
    if _TRAVELLER_WORDS.search(text):
        return Regime.TRAVELLER
    if _PARCEL_WORDS.search(text):
        return Regime.SMALL_PARCEL
    return None


def goods_in(text: str) -> str:
    """The words that describe the goods: the question without amounts, countries and task words."""
    stripped = text
    for patterns in (_AMOUNT_AFTER, _AMOUNT_BEFORE):
        for pattern, _ in patterns:
            stripped = pattern.sub(" ", stripped)
    for name in COUNTRIES:
        stripped = re.sub(re.escape(name), " ", stripped, flags=re.I)
    stripped = re.sub(
        r"(에서|으로|에|를|을|은|는|이|가|사면|샀는데|샀어요|구매|구입|하면|세금|관세|얼마|"
        r"나오나요|내야|하나요|인가요|알려주세요|알려줘|주세요|\?|how much|duty|tax|on|a|an|the|i|bought|in|for|is|what|"
        r"hs code|of|code|classify|품목번호|세번|뭐예요|무엇)(?=\s|$|\?)",
        " ",
        stripped,
        flags=re.I,
    )
    return re.sub(r"\s+", " ", stripped).strip(" ,.?")


def _is_threshold_question(text: str) -> bool:
    """A question on the general thresholds (traveller allowance, small-parcel de minimis) that the allowance
    tool answers from the tariff parameters of the day, not a question on one kind of goods or a case."""
    if not _ALLOWANCE_WORDS.search(text) or _GOODS_ALLOWANCE.search(text):
        return False
    return not _AROUND_THE_LIMIT.search(text) or bool(_ASKS_THE_LIMIT.search(text))


def read(text: str) -> Reading:
    language = language_of(text)
    injection = bool(_INJECTION.search(text))
    number = _DECLARATION_NUMBER.search(text)
    if number or _STATUS_WORDS.search(text):
        return Reading(
            Intent.DECLARATION_STATUS,
            language,
            declaration=int(number.group(2)) if number else None,
            injection=injection,
            missing=() if number else ("declaration_number",),
        )
    money = money_in(text)
    if money is not None and _TAX_WORDS.search(text):
        country = country_in(text)
        goods = goods_in(text)
        missing = tuple(name for name, value in (("origin_country", country), ("goods", goods)) if not value)
        return Reading(
            Intent.DUTY_ESTIMATE,
            language,
            money=money,
            country=country,
            regime=regime_in(text),
            goods=goods or None,
            injection=injection,
            missing=missing,
        )
    if _CLASSIFY_WORDS.search(text) and not _ABOUT_CODES.search(text):
        goods = goods_in(_CLASSIFY_WORDS.sub(" ", text))
        return Reading(
            Intent.CLASSIFY,
            language,
            goods=goods or None,
            injection=injection,
            missing=() if goods else ("goods",),
        )
    if _is_threshold_question(text):
        return Reading(Intent.ALLOWANCE, language, regime=regime_in(text), injection=injection)
    return Reading(Intent.GUIDANCE, language, injection=injection)
