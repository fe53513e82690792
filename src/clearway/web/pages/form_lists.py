"""The code lists the filing form offers as choices, from the reference data, named in the page's language:
countries and currencies (ISO, with pycountry's Korean names), units, customs offices, ports, Incoterms,
transport modes, FTA agreements, document kinds and the valuation methods."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry

from clearway.reference import codes
from clearway.web.i18n_codes import DOCUMENT_KINDS, TRANSPORT_MODES, code_name

Choice = tuple[str, str]  # (code, what the option shows)

# 관세법 제30조~제35조: the six valuation methods.
VALUATION_METHODS = {
    1: ("transaction value (Art. 30)", "거래가격 (제30조)"),
    2: ("identical goods (Art. 31)", "동종·동질물품 (제31조)"),
    3: ("similar goods (Art. 32)", "유사물품 (제32조)"),
    4: ("deductive value (Art. 33)", "국내판매가격 (제33조)"),
    5: ("computed value (Art. 34)", "산정가격 (제34조)"),
    6: ("fallback (Art. 35)", "합리적 기준 (제35조)"),
}


def _translate(domain: str, lang: str) -> gettext.NullTranslations:
    if lang != "ko":
        return gettext.NullTranslations()
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["ko"], fallback=True)


@cache
def countries(lang: str) -> tuple[Choice, ...]:
    t = _translate("iso3166-1", lang)
    named = [(c.alpha_2, t.gettext(c.name)) for c in pycountry.countries]
    first = [c for c in named if c[0] == "KR"]
    return tuple(first + sorted((c for c in named if c[0] != "KR"), key=lambda c: c[1]))


@cache
def currencies(lang: str) -> tuple[Choice, ...]:
    t = _translate("iso4217", lang)
    common = ("USD", "EUR", "CNY", "JPY", "KRW", "GBP")
    named = {c.alpha_3: t.gettext(c.name) for c in pycountry.currencies}
    order = [c for c in common if c in named] + sorted(c for c in named if c not in common)
    return tuple((c, named[c]) for c in order)


@cache
def units(lang: str) -> tuple[Choice, ...]:
    return tuple((c, code_name("unit", c, lang)) for c in sorted(codes.units()))


@cache
def offices(lang: str) -> tuple[Choice, ...]:
    return tuple((c, code_name("customs_office", c, lang)) for c in sorted(codes.customs_offices()))


@cache
def ports(lang: str) -> tuple[Choice, ...]:
    return tuple((c, code_name("port", c, lang)) for c in sorted(codes.ports()))


def incoterms() -> tuple[Choice, ...]:
    return tuple(codes.INCOTERMS_2020.items())


def transport_modes(lang: str) -> tuple[Choice, ...]:
    return tuple(
        (c, TRANSPORT_MODES[c][lang == "ko"] if c in TRANSPORT_MODES else c) for c in codes.TRANSPORT_MODES
    )


def agreements() -> tuple[Choice, ...]:
    return tuple((c, a.name) for c, a in sorted(codes.agreements().items()))


def document_kinds(lang: str) -> tuple[Choice, ...]:
    return tuple((c, names[lang == "ko"]) for c, names in DOCUMENT_KINDS.items())


def valuation_methods(lang: str) -> tuple[Choice, ...]:
    return tuple((str(n), names[lang == "ko"]) for n, names in VALUATION_METHODS.items())


def all_lists(lang: str) -> dict[str, tuple[Choice, ...]]:
    return {
        "country": countries(lang),
        "currency": currencies(lang),
        "unit": units(lang),
        "office": offices(lang),
        "port": ports(lang),
        "incoterm": incoterms(),
        "mode": transport_modes(lang),
        "agreement": agreements(),
        "document_kind": document_kinds(lang),
        "method": valuation_methods(lang),
        "kind": (("import", "import"), ("export", "export")),
    }
