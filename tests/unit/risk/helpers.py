"""Small builders for risk tests."""

from __future__ import annotations

import random
from datetime import date, timedelta

from clearway.risk.records import Outcome, RiskRecord


def record(day: date = date(2026, 1, 5), **fields) -> RiskRecord:  # type: ignore[no-untyped-def]
    base = dict(
        hs6="847130",
        commodity_code="8471300000",
        origin_country="CN",
        departure_country="CN",
        office="030",
        transport_mode="sea",
        tax_type="A",
        importer="BRN:1234567890",
        declarant="BRN:1234567890",
        seller="ACME|CN",
        tax_rate=8.0,
        net_mass_kg=100.0,
        value_krw=1_000_000.0,
        value_key="USD:800",
        mass_key="100",
        kind="import",
    )
    base.update(fields)
    return RiskRecord(declared_on=day, **base)


def synthetic(
    n: int, seed: int = 0, start: date = date(2025, 1, 1)
) -> tuple[list[RiskRecord], list[Outcome]]:
    """A small world where undervalued goods from one origin and one repeated invoice value are fraud."""
    rng = random.Random(seed)
    records, outcomes = [], []
    for i in range(n):
        day = start + timedelta(days=i // 8)
        hs6 = rng.choice(["847130", "851712", "640399", "020130"])
        origin = rng.choice(["CN", "VN", "US", "DE"])
        mass = float(rng.choice([10, 50, 100, 500]))
        fraud_value = rng.random() < 0.3
        per_kg = rng.uniform(500, 2000) if fraud_value else rng.uniform(5000, 20000)
        value = round(mass * per_kg, 1)
        template = rng.random() < 0.15
        if template:
            value = 123456.0
        fraud = (fraud_value and origin in ("CN", "VN")) or template
        records.append(
            RiskRecord(
                declared_on=day,
                hs6=hs6,
                commodity_code=hs6 + "0000",
                origin_country=origin,
                departure_country=origin,
                office=rng.choice(["030", "040"]),
                transport_mode=rng.choice(["sea", "air"]),
                tax_type="A",
                importer=f"IMP{rng.randrange(30)}",
                declarant=f"DEC{rng.randrange(5)}",
                seller=f"SEL{rng.randrange(40)}",
                tax_rate=8.0,
                net_mass_kg=mass,
                value_krw=value,
                value_key=f"KRW:{value:g}",
                mass_key=f"{mass:g}",
                kind="import",
                ref=f"row {i + 1}",
            )
        )
        outcomes.append(Outcome(fraud=fraud, critical=fraud and rng.random() < 0.1, known_on=day))
    return records, outcomes
