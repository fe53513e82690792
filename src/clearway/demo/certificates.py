"""Certificates of origin for the demo's preference claims, as an exporter or issuing authority would make them.

Most claims are backed by a registered certificate that matches the declaration, so the preferential rate is
granted after verification; some are left without one, so the demo also shows a refused claim and its reason.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

ISSUERS = {
    "CN": "China Council for the Promotion of International Trade",
    "VN": "Ministry of Industry and Trade of Viet Nam",
    "TH": "Department of Foreign Trade, Ministry of Commerce of Thailand",
    "MY": "Ministry of Investment, Trade and Industry of Malaysia",
    "ID": "Ministry of Trade of the Republic of Indonesia",
}
EU_DECLARATION = (
    "The exporter of the products covered by this document (customs authorisation No {auth}) declares "
    "that, except where otherwise clearly indicated, these products are of EU preferential origin."
)


def certificates_for(document: dict[str, Any], today: date) -> list[dict[str, Any]]:
    """One certificate per certificate reference the declaration's preference claims cite."""
    invoice = next((d["reference"] for d in document["documents"] if d["kind"] == "invoice"), None)
    by_reference: dict[str, list[dict[str, Any]]] = {}
    for item in document["items"]:
        claim = item.get("preference")
        if claim:
            by_reference.setdefault(claim["certificate_reference"], []).append(item)
    out = []
    for reference, items in by_reference.items():
        agreement = items[0]["preference"]["agreement"]
        origin = items[0]["origin_country"]
        seller = document["seller"]
        authorisation = f"{origin}/AE/{abs(hash(seller['name'])) % 100000:05d}"
        out.append(
            {
                "reference": reference,
                "agreement": agreement,
                "issuer": ISSUERS.get(origin, seller["name"]),
                "issuing_country": origin,
                "issue_date": (today - timedelta(days=15)).isoformat(),
                "exporter_name": seller["name"],
                "exporter_address": seller.get("address"),
                "exporter_country": origin,
                "exporter_authorisation": authorisation if agreement == "KR-EU" else None,
                "producer_name": seller["name"],
                "importer_name": document["importer"]["name"],
                "importer_country": "KR",
                "certifier_role": "exporter",
                "origin_country": origin,
                "origin_criterion": "WO"
                if items[0]["commodity_code"][:2] in {"01", "02", "03", "08"}
                else "PSR",
                "invoice_reference": invoice,
                "declaration_text": EU_DECLARATION.format(auth=authorisation)
                if agreement == "KR-EU"
                else None,
                "signatory": "Export Manager",
                "items": [
                    {
                        "item_number": n,
                        "description": i["description"],
                        "hs6": f"{i['commodity_code'][:4]}.{i['commodity_code'][4:6]}",
                        "quantity": i["quantity"],
                        "unit": i["quantity_unit"],
                        "origin_country": origin,
                        "origin_criterion": "WO"
                        if i["commodity_code"][:2] in {"01", "02", "03", "08"}
                        else "PSR",
                    }
                    for n, i in enumerate(items, start=1)
                ],
            }
        )
    return out


def registered(rng: random.Random) -> bool:
    """Four claims in five come with a registered certificate."""
    return rng.random() < 0.8
