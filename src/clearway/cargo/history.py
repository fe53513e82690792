"""A generated history of manifests and cargo examinations, for training and benchmarking the pre-arrival
model. Pure and reproducible: the same seed gives the same history.

What it generates: ``weeks`` weeks of sea voyages to Busan and Incheon (about 25 a week, 30–110 house bills
each, ~15,000 bills over 20 weeks), from 12 ports of loading, a quarter of the bills transshipped via one of
six hubs. About 300 shippers (each with its home port and one to three product lines out of 26 goods with
a typical weight per package) ship to about 500 consignees (10 to 20 new consignees every week, whose first bills are more often vaguely described). Each bill has
a true state (irregular or not) and the legacy selection examined some bills (4 % at random, more when the
description is vague, the cargo transshipped or the consignee new); an examination finds an irregularity
with probability 0.9 and its result is known two days after arrival. Only examined bills have outcomes —
as in a real customs history, the learner never sees the truth of the others.

Planted patterns (the probability that a bill is irregular; 1.5 % for any other bill):

* ``route_hub`` — electronics or machinery (HS chapters 84, 85) loaded in China or Viet Nam and
  transshipped via Jebel Ali (AEJEA): 35 %.
* ``risky_shipper`` — twelve shippers drawn at random from the population (listed in
  :attr:`History.risky_shippers`): 30 % of their bills.
* ``vague_new`` — a vague description (``general cargo``, ``spare parts``…) for a consignee's first bill:
  40 %.
* ``light_weight`` — 1.5 % of bills declare under a third of the usual weight per package of their goods
  (concealment): 45 % of those.
* ``hs_mismatch`` — 1.5 % of bills give the HS code of other goods than the description says: 40 %.

The unseen pattern, ``new_route`` (in :data:`UNSEEN`): from week ``unseen_from`` on — the benchmark sets it
to the first held-out week, so no training week has it — established consignees receive ordinary-looking
cotton T-shirts (610910, goods the history knows well; normal weight, value given, no transshipment) from a
new shipper loaded at Karachi (PKKHI), a port never seen before: 50 % irregular. Nothing the model learned
points at it, except that the shipper, the port and the route are new (their smoothed rates sit at the prior).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from clearway.cargo.learning import CargoOutcome, CargoRecord

UNSEEN = "new_route"
PATTERNS = ("route_hub", "risky_shipper", "vague_new", "light_weight", "hs_mismatch")
BASE_RATE = 0.015
FIND_PROBABILITY = 0.9
RESULT_DELAY_DAYS = 2

# description, HS6, typical kg per package, typical value per package (USD)
GOODS: tuple[tuple[str, str, float, float], ...] = (
    ("Notebook computers 14 inch", "847130", 12.0, 900.0),
    ("Smartphones", "851713", 8.0, 2500.0),
    ("Lithium-ion batteries", "850760", 25.0, 600.0),
    ("LED lamps", "853950", 10.0, 120.0),
    ("Electric motors", "850152", 60.0, 400.0),
    ("Printed circuit boards", "853400", 9.0, 700.0),
    ("Centrifugal pumps", "841370", 80.0, 900.0),
    ("Ball bearings", "848210", 30.0, 300.0),
    ("Air conditioners", "841510", 45.0, 500.0),
    ("Frozen shrimp", "030617", 20.0, 160.0),
    ("Frozen squid", "030743", 20.0, 90.0),
    ("Dried red peppers", "090421", 25.0, 80.0),
    ("Sesame seeds", "120740", 50.0, 90.0),
    ("Cotton T-shirts", "610910", 15.0, 150.0),
    ("Knitted sweaters", "611030", 14.0, 220.0),
    ("Leather handbags", "420221", 10.0, 800.0),
    ("Sports shoes", "640411", 12.0, 300.0),
    ("Stainless steel bolts", "731815", 40.0, 60.0),
    ("Hot-rolled steel coils", "720839", 2500.0, 1500.0),
    ("Polyethylene granules", "390110", 25.0, 30.0),
    ("Plywood sheets", "441231", 900.0, 500.0),
    ("Ceramic floor tiles", "690722", 30.0, 20.0),
    ("Car brake pads", "870830", 20.0, 150.0),
    ("Vitamin supplements", "210690", 15.0, 400.0),
    ("Wooden furniture", "940360", 35.0, 180.0),
    ("Toys of plastic", "950300", 8.0, 100.0),
)
VAGUE = ("general cargo", "spare parts", "samples", "consolidated cargo", "accessories", "various goods")
NEW_ROUTE_GOODS = ("Cotton T-shirts", "610910", 15.0, 150.0)  # goods the history knows well
PORTS = (
    ("CNSHA", 0.2),
    ("CNNGB", 0.14),
    ("CNTAO", 0.1),
    ("JPYOK", 0.08),
    ("VNSGN", 0.08),
    ("THLCH", 0.06),
    ("IDJKT", 0.06),
    ("INNSA", 0.06),
    ("USLAX", 0.07),
    ("DEHAM", 0.05),
    ("NLRTM", 0.05),
    ("BRSSZ", 0.05),
)
HUBS = ("SGSIN", "MYPKG", "HKHKG", "AEJEA", "LKCMB", "TWKHH")
NEAR = frozenset({"CNSHA", "CNNGB", "CNTAO", "JPYOK"})
DISCHARGE = ("KRPUS", "KRINC")
PACKAGE_TYPES = ("CT", "PK", "BX", "PL")


@dataclass(frozen=True, slots=True)
class Bill:
    """One generated house bill: what the manifest says, the truth and what the examination found."""

    record: CargoRecord
    week: int
    irregular: bool
    pattern: str | None  # the planted pattern that made it irregular-prone, if any
    examined: bool
    outcome: CargoOutcome | None


@dataclass
class History:
    bills: list[Bill]
    start: date
    weeks: int
    unseen_from: int | None
    risky_shippers: list[str] = field(default_factory=list)

    def of_weeks(self, first: int, last: int) -> list[Bill]:
        return [b for b in self.bills if first <= b.week <= last]


def _zipf_choice(rng: random.Random, items: list[str], s: float = 1.1) -> str:
    weights = [1.0 / (i + 1) ** s for i in range(len(items))]
    return rng.choices(items, weights)[0]


def generate(
    *, weeks: int = 20, seed: int = 12, start: date = date(2026, 6, 1), unseen_from: int | None = None
) -> History:
    """The history, week by week; ``unseen_from`` is the first week with the unseen pattern (None: never)."""
    rng = random.Random(seed)
    ports = [p for p, _ in PORTS]
    port_weights = [w for _, w in PORTS]
    shippers: dict[str, tuple[str, list[int]]] = {}
    for i in range(300):
        port = rng.choices(ports, port_weights)[0]
        lines = rng.sample(range(len(GOODS)), rng.randint(1, 3))
        shippers[f"SHIPPER {i:03d} CO LTD|{port[:2]}"] = (port, lines)
    by_port: dict[str, list[str]] = {p: [s for s, (hp, _) in shippers.items() if hp == p] for p in ports}
    risky = sorted(rng.sample(sorted(shippers), 12))
    risky_set = frozenset(risky)
    consignees = [f"BRN:{1000000000 + i * 7919}" for i in range(500)]
    rng.shuffle(consignees)
    next_consignee = 500
    seen_consignees: set[str] = set()
    new_route_shipper = "KARACHI TEXTILE MILLS|PK"
    bills: list[Bill] = []
    serial = 0
    for week in range(weeks):
        # a few consignees appear every week
        for _ in range(rng.randint(10, 20)):
            consignees.append(f"BRN:{1000000000 + next_consignee * 7919}")
            next_consignee += 1
        recent = consignees[-20:]
        for _voyage in range(rng.randint(14, 18)):
            port = rng.choices(ports, port_weights)[0]
            arrival = start + timedelta(days=7 * week + rng.randrange(7))
            discharge = rng.choice(DISCHARGE)
            carrier = rng.choice(("HMMU", "MAEU", "MSCU", "EGLV", "SMLM"))
            pool = by_port[port] or sorted(shippers)
            for _ in range(rng.randint(30, 110)):
                serial += 1
                shipper = _zipf_choice(rng, pool, 0.8)
                _home, lines = shippers[shipper]
                consignee = (
                    rng.choice(recent) if rng.random() < 0.05 else _zipf_choice(rng, consignees[:-20], 0.7)
                )
                description, hs6, kpp, _vpp = GOODS[rng.choice(lines)]
                hs_given: str | None = hs6
                pattern: str | None = None
                vague = rng.random() < (0.3 if consignee not in seen_consignees else 0.05)
                if vague:
                    description = rng.choice(VAGUE)
                    hs_given = hs6 if rng.random() < 0.4 else None
                mismatch = not vague and rng.random() < 0.015
                if mismatch:
                    hs_given = rng.choice([g[1] for g in GOODS if g[1][:2] != hs6[:2]])
                packages = max(1, int(rng.lognormvariate(math.log(40), 0.9)))
                per_package = kpp * rng.lognormvariate(0, 0.2)
                light = rng.random() < 0.015
                if light:
                    per_package *= rng.uniform(0.12, 0.3)
                transship: tuple[str, ...] = ()
                if (port not in NEAR and rng.random() < 0.45) or (port in NEAR and rng.random() < 0.08):
                    transship = (rng.choice(HUBS),)
                if (
                    port in ("CNSHA", "CNNGB", "CNTAO", "VNSGN")
                    and hs6[:2] in ("84", "85")
                    and rng.random() < 0.1
                ):
                    transship = ("AEJEA",)
                has_value = rng.random() < 0.9
                new_consignee = consignee not in seen_consignees
                probability = BASE_RATE
                if transship == ("AEJEA",) and port[:2] in ("CN", "VN") and hs6[:2] in ("84", "85"):
                    pattern, probability = "route_hub", 0.35
                if shipper in risky_set:
                    pattern, probability = "risky_shipper", max(probability, 0.30)
                if vague and new_consignee:
                    pattern, probability = "vague_new", max(probability, 0.40)
                if light:
                    pattern, probability = "light_weight", max(probability, 0.45)
                if mismatch:
                    pattern, probability = "hs_mismatch", max(probability, 0.40)
                if unseen_from is not None and week >= unseen_from and rng.random() < 0.02:
                    # the new route: an established consignee, ordinary goods from a port never seen
                    port_used, shipper = "PKKHI", new_route_shipper
                    description, hs_given, kpp, _vpp = NEW_ROUTE_GOODS
                    per_package, transship, has_value = kpp * rng.lognormvariate(0, 0.2), (), True
                    consignee = _zipf_choice(rng, consignees[:200], 0.7)
                    new_consignee = consignee not in seen_consignees
                    pattern, probability = UNSEEN, 0.5
                else:
                    port_used = port
                seen_consignees.add(consignee)
                irregular = rng.random() < probability
                exam_p = 0.04 + 0.15 * vague + 0.08 * bool(transship) + 0.1 * new_consignee
                examined = rng.random() < exam_p
                outcome = None
                if examined:
                    found = irregular and rng.random() < FIND_PROBABILITY
                    outcome = CargoOutcome(found, arrival + timedelta(days=RESULT_DELAY_DAYS))
                record = CargoRecord(
                    bill=f"GEN{serial:08d}",
                    arrival_date=arrival,
                    mode="sea",
                    carrier_code=carrier,
                    port_of_loading=port_used,
                    port_of_discharge=discharge,
                    transshipment_ports=transship,
                    shipper_key=shipper,
                    consignee_key=consignee,
                    description=description,
                    hs6=hs_given,
                    packages=packages,
                    gross_weight_kg=round(packages * per_package, 3),
                    has_value=has_value,
                )
                bills.append(Bill(record, week, irregular, pattern, examined, outcome))
    bills.sort(key=lambda b: (b.record.arrival_date, b.record.bill))
    return History(bills, start, weeks, unseen_from, risky)
