"""Names of the codes the pages show (transport mode, document kind, unit, customs office, port), both
languages.

Offices carry their Korean and English names in ``data/reference/customs_offices.json``; ports and units are
named here in Korean beside the English names of ``ports.json`` and ``units.json``.
"""

from __future__ import annotations

from clearway.reference import codes

TRANSPORT_MODES = {
    "sea": ("sea", "해상"),
    "rail": ("rail", "철도"),
    "road": ("road", "도로"),
    "air": ("air", "항공"),
    "post": ("post", "우편"),
    "fixed_installation": ("fixed installation (pipeline)", "고정운송설비"),
    "inland_water": ("inland waterway", "내륙수로"),
}
DOCUMENT_KINDS = {
    "invoice": ("commercial invoice", "상업송장"),
    "certificate_of_origin": ("certificate of origin", "원산지증명서"),
    "licence": ("licence", "수입요건 확인서(허가서)"),
    "packing_list": ("packing list", "포장명세서"),
    "transport_document": ("transport document", "운송서류"),
    "other": ("other", "기타 서류"),
}
UNITS_KO = {
    "KGM": "킬로그램",
    "GRM": "그램",
    "TNE": "톤",
    "LTR": "리터",
    "MLT": "밀리리터",
    "KLT": "킬로리터",
    "MTQ": "세제곱미터",
    "MTR": "미터",
    "MTK": "제곱미터",
    "U": "개",
    "PCE": "개(피스)",
    "NAR": "개수",
    "PR": "켤레",
    "SET": "세트",
    "DZN": "다스",
    "GT": "총톤수",
    "KWH": "킬로와트시",
    "CT": "캐럿",
}
PORTS_KO = {
    "KRPUS": "부산항",
    "KRINC": "인천항",
    "KRICN": "인천국제공항",
    "KRGMP": "김포국제공항",
    "KRKAN": "광양항",
    "KRPTK": "평택항",
    "KRUSN": "울산항",
    "KRMAS": "마산항",
    "KRTSN": "당진항",
    "KRKPO": "포항항",
    "KRCJU": "제주국제공항",
    "KRTAE": "대구국제공항",
    "KRSEL": "서울 (내륙컨테이너기지·우편)",
}
KINDS = ("transport_mode", "document_kind", "unit", "customs_office", "port")


def code_name(kind: str, code: object, lang: str) -> str:
    """The name of ``code`` in ``lang`` ('' when unknown), e.g. ("port", "KRPUS", "ko") → "부산항"."""
    key = str(code or "")
    ko = lang == "ko"
    if kind == "transport_mode" and key in TRANSPORT_MODES:
        return TRANSPORT_MODES[key][ko]
    if kind == "document_kind" and key in DOCUMENT_KINDS:
        return DOCUMENT_KINDS[key][ko]
    if kind == "unit":
        unit = codes.units().get(key)
        return (UNITS_KO.get(key, "") if ko else unit.name) if unit else ""
    if kind == "customs_office":
        office = codes.customs_offices().get(key)
        return (office["name_ko"] if ko else office["name_en"]) if office else ""
    if kind == "port":
        port = codes.ports().get(key)
        return (PORTS_KO.get(key, "") if ko else port["name"]) if port else ""
    return ""


def labelled(kind: str, code: object, lang: str) -> str:
    """The code with its name: "030 부산본부세관", "KRPUS Busan"; a code alone when it has no name."""
    name = code_name(kind, code, lang)
    if kind in ("transport_mode", "document_kind"):
        return name or str(code or "")
    return f"{code} {name}" if name else str(code or "")
