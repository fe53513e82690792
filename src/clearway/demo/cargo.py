"""The demo's cargo: a manifest for each arrival of the demo's declarations, filed before them, with a few
planted mismatches (a declared weight far from the manifest's, goods described differently, another consignee),
two bills nobody declares, carried in more than 30 days ago, so the undeclared list has something to show, and
one declared bill left off every manifest, so one declaration is held (bill_not_on_manifest)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from clearway.cargo import custody, learning, service, training
from clearway.cargo.core import container_check_digit
from clearway.errors import ClearwayError
from clearway.identity.core import Principal
from clearway.runtime import Runtime
from clearway.uow import unit_of_work

LOADING = {
    "CN": "CNSHA",
    "US": "USLAX",
    "DE": "DEHAM",
    "JP": "JPTYO",
    "VN": "VNSGN",
    "GB": "GBFXT",
    "IT": "ITGOA",
    "FR": "FRLEH",
    "TW": "TWKHH",
    "TH": "THBKK",
    "AU": "AUSYD",
    "NL": "NLRTM",
    "IN": "INNSA",
}
PLANTED = ("weight", "description", "consignee")
SHED = "03077001"


def _container(n: int) -> str:
    first = f"DMOU{n:06d}"
    return first + str(container_check_digit(first))


def _house(content: dict[str, Any], index: int, container: str | None) -> dict[str, Any]:
    items = content["items"]
    importer = content.get("importer") or content["buyer"]
    net = sum((Decimal(str(i["net_mass_kg"])) for i in items), Decimal(0))
    house = {
        "house_bill": content["consignment"]["transport_document"].upper(),
        "shipper": {"name": content["seller"]["name"], "country": content["seller"]["country"]},
        "consignee": {k: importer[k] for k in ("name", "brn", "country") if importer.get(k)},
        "description": "; ".join(i["description"] for i in items)[:500],
        "hs6": items[0]["commodity_code"][:6],
        "packages": max(1, len(items) * 5),
        "package_type": "CT",
        "gross_weight_kg": str((net * Decimal("1.12")).quantize(Decimal("0.001"))),
        "containers": [container] if container else [],
    }
    planted = PLANTED[index // 9 % 3] if index % 9 == 4 else None
    if planted == "weight":
        house["gross_weight_kg"] = str((net * 4).quantize(Decimal("0.001")))
    elif planted == "description":
        house["description"], house["hs6"] = "Frozen squid", "030743"
    elif planted == "consignee":
        house["consignee"] = {"name": "Mirae Logistics Trading", "country": "KR"}
    return house


def file_manifests(
    runtime: Runtime,
    carrier: Principal,
    today: date,
    documents: list[dict[str, Any]],
    *,
    held_back: str | None = None,
) -> int:
    """File, report the arrival of, and carry in the cargo of the demo declarations ``documents`` (before they
    are filed, so they are not held for a missing manifest); returns the bills filed. ``held_back`` is a bill
    left off every manifest on purpose: its declaration is held (bill_not_on_manifest) for the demo to show.

    The pre-arrival model is trained first on the demo's generated history (12 weeks, as ``clearway cargo
    train --weeks 12``) unless one is in use, so the demo's manifests are screened by it."""
    models_dir = runtime.settings.models_dir
    if learning.current(models_dir) is None:
        training.train_and_save(None, models_dir=models_dir, now=runtime.clock(), trained_by="demo", weeks=12)
    rows = documents
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    seen: set[str] = set()
    for content in rows:
        bill = content["consignment"]["transport_document"].upper()
        if content.get("kind") != "import" or bill in seen or bill == held_back:
            continue
        seen.add(bill)
        c = content["consignment"]
        groups[(c["arrival_date"], c["port"], c["transport_mode"])].append(content)
    filed, index = 0, 0
    for number, ((arrival, port, mode), contents) in enumerate(sorted(groups.items()), 1):
        origin = contents[0]["seller"]["country"]
        containers = [_container(number * 100 + k) for k in range(len(contents))] if mode == "sea" else []
        houses = []
        for k, content in enumerate(contents):
            houses.append(_house(content, index, containers[k] if containers else None))
            index += 1
        on = date.fromisoformat(arrival)
        if number == 1:  # two bills nobody declares, carried in long ago
            houses += [
                dict(
                    houses[0],
                    house_bill=f"DEMOUND{n}",
                    description="general cargo",
                    hs6=None,
                    consignee={"name": "Hanul Trading", "country": "KR"},
                )
                for n in (1, 2)
            ]
            on = today - timedelta(days=40)
        document = {
            "reference": f"DEMO-{number:03d}",
            "voyage": {
                "mode": "air" if mode == "air" else "sea",
                "carrier_code": "KE" if mode == "air" else "DMOU",
                "number": f"{number:04d}",
                "imo": None if mode == "air" else "9074729",
                "port_of_loading": LOADING.get(origin, "CNSHA"),
                "port_of_discharge": port,
                "departure_date": (on - timedelta(days=3)).isoformat(),
                "arrival_date": on.isoformat(),
            },
            "containers": [{"number": c} for c in containers],
            "masters": [{"master_bill": f"DEMO{number:03d}M", "houses": houses}],
        }
        try:
            with unit_of_work(runtime.sessions) as session:
                done = service.submit(
                    session, carrier, document, now=runtime.clock(), today=today, models_dir=models_dir
                )
                service.report_arrival(session, carrier, done.manifest.id, on=on, now=runtime.clock())
                for h in houses:
                    custody.carry_in(
                        session,
                        carrier,
                        h["house_bill"],
                        shed=SHED,
                        area_kind="designated",
                        on=on,
                        now=runtime.clock(),
                    )
            filed += len(houses)
        except ClearwayError:
            continue  # a demo voyage whose data the cargo rules refuse is left out, never half-stored
    return filed
