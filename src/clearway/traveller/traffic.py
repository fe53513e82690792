"""A generator of realistic arriving-passenger traffic with planted smuggling patterns. Pure and seeded.

No public PNR data exists, so the traveller risk model is trained and evaluated on generated traffic. Each day
has flights into ICN from the airports of :data:`ROUTES`; each passenger gets API data (names from Korean and
foreign name pools, dates of birth, documents) and a PNR (booking date and channel, agency, payment, bags,
itinerary with connections and a return leg, co-travellers). Whether the traveller *carries* something is drawn
from a base rate raised by the planted patterns below; the pattern is recorded with the traveller so figures
can be reported per pattern.

Planted patterns (probability that a traveller matching it carries something; base rate 1.5 %):

* ``route`` (25 %): the journey began in a drug source country (LAO, MMR, KHM, COL, PER) — connecting in
  Bangkok, Hanoi, Ho Chi Minh City or Mexico City. A rule covers it.
* ``short_bags`` (20 %): a stay of at most 3 days with 3 or more checked bags. A rule covers it.
* ``lastmin_cash`` (20 %): booked at most 2 days before arrival and paid in cash. A rule covers it.
* ``agency_youth`` (30 %): booked through SUNRISE TOURS, aged 20-30, on a one-way ticket. No rule: only the
  model can learn it from check results.
* ``late_vvo`` (35 %): from Vladivostok (VVO), booked through an online agency — appears only from day
  ``late_from`` on (after the training period): a pattern the trained model has never seen.

Past checks (the labels a model learns from) follow the old practice: travellers a rule selects are checked
with probability 0.6 and everyone else with probability 0.05; a check finds what the traveller carries.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from clearway.traveller.risk import DEFAULT_RULES, TravellerFacts, facts_of, rule_hits

BASE_RATE = 0.015
PATTERN_RATES = {
    "route": 0.25,
    "short_bags": 0.20,
    "lastmin_cash": 0.20,
    "agency_youth": 0.30,
    "late_vvo": 0.35,
}
# origin airport, carrier, flights a day, connection airports a source-country journey may use
ROUTES: tuple[tuple[str, str, int], ...] = (
    ("NRT", "KE", 2),
    ("KIX", "OZ", 1),
    ("PVG", "MU", 2),
    ("PEK", "CA", 1),
    ("HKG", "CX", 1),
    ("BKK", "TG", 2),
    ("HAN", "VN", 1),
    ("SGN", "VJ", 1),
    ("MNL", "PR", 1),
    ("SIN", "SQ", 1),
    ("JFK", "KE", 1),
    ("LAX", "OZ", 1),
    ("FRA", "LH", 1),
    ("CDG", "AF", 1),
    ("MEX", "AM", 1),
    ("VVO", "S7", 1),
)
SOURCE_PORTS = {"BKK": ("VTE", "RGN", "PNH"), "HAN": ("VTE",), "SGN": ("PNH",), "MEX": ("BOG", "LIM")}
KOREAN_FAMILY = ("KIM", "LEE", "PARK", "CHOI", "JUNG", "KANG", "CHO", "YOON", "JANG", "LIM", "HAN", "OH")
KOREAN_GIVEN = ("MINSU", "SEOYEON", "JIHUN", "YOUNGHO", "SUJIN", "HYUNWOO", "EUNJI", "JUNYOUNG", "HAEUN")
FOREIGN_FAMILY = ("SMITH", "TANAKA", "WANG", "NGUYEN", "SANTOS", "MUELLER", "IVANOV", "GARCIA", "DUPONT")
FOREIGN_GIVEN = ("JOHN", "YUKI", "WEI", "LINH", "MARIA", "ANNA", "OLEG", "CARLOS", "SOPHIE", "SOMCHAI")
AGENCIES = ("HANA TOUR", "MODE TOUR", "YELLOW BALLOON", "VERY GOOD TOUR", "SUNRISE TOURS", None)
PORT_NATIONALITY = {
    "NRT": "JPN",
    "KIX": "JPN",
    "PVG": "CHN",
    "PEK": "CHN",
    "HKG": "CHN",
    "BKK": "THA",
    "HAN": "VNM",
    "SGN": "VNM",
    "MNL": "PHL",
    "SIN": "SGP",
    "JFK": "USA",
    "LAX": "USA",
    "FRA": "DEU",
    "CDG": "FRA",
    "MEX": "MEX",
    "VVO": "RUS",
}


@dataclass(frozen=True, slots=True)
class Traveller:
    day: date
    flight: str
    departure_port: str
    carrier: str
    passenger: dict[str, Any]  # the carrier's message form: API fields with the PNR under "pnr"
    facts: TravellerFacts
    carries: bool
    pattern: str | None
    checked: bool  # checked under the old practice (its result is a training label)


def _pattern(f: TravellerFacts, day: date, late_from: date) -> str | None:
    if f.departure_country in ("LAO", "MMR", "KHM", "COL", "PER"):
        return "route"
    if f.stay_days is not None and f.stay_days <= 3 and (f.bags or 0) >= 3:
        return "short_bags"
    if f.booking_lead_days is not None and f.booking_lead_days <= 2 and f.payment == "cash":
        return "lastmin_cash"
    if f.travel_agency == "SUNRISE TOURS" and f.age is not None and 20 <= f.age <= 30 and f.one_way == 1:
        return "agency_youth"
    if day >= late_from and f.departure_country == "RUS" and f.booking_channel == "online_agency":
        return "late_vvo"
    return None


def _old_practice_selects(f: TravellerFacts) -> bool:
    return bool(rule_hits(f, DEFAULT_RULES))


def _passenger(rng: random.Random, day: date, port: str, carrier: str, flight: str, n: int) -> dict[str, Any]:
    korean = rng.random() < 0.55
    family = rng.choice(KOREAN_FAMILY if korean else FOREIGN_FAMILY)
    given = rng.choice(KOREAN_GIVEN if korean else FOREIGN_GIVEN)
    nationality = "KOR" if korean else PORT_NATIONALITY[port]
    age = rng.randint(18, 75)
    born = date(day.year - age, rng.randint(1, 12), rng.randint(1, 28))
    origin = port
    if port in SOURCE_PORTS and rng.random() < 0.08:
        origin = rng.choice(SOURCE_PORTS[port])
    legs = []
    if origin != port:
        legs.append(
            {"from": origin, "to": port, "flight": "XX1", "date": (day - timedelta(days=1)).isoformat()}
        )
    legs.append({"from": port, "to": "ICN", "flight": flight, "date": day.isoformat()})
    one_way = rng.random() < (0.12 if not korean else 0.05)
    agency = rng.choice(AGENCIES)
    if agency == "SUNRISE TOURS" and rng.random() < 0.5:
        one_way, age = True, rng.randint(20, 30)
        born = date(day.year - age, rng.randint(1, 12), rng.randint(1, 28))
    if not one_way:
        stay = rng.choice((2, 3, 4, 5, 7, 7, 10, 14, 21, 30)) if not korean else rng.randint(3, 20)
        back = {
            "from": "ICN",
            "to": port,
            "flight": flight + "R",
            "date": (day + timedelta(days=stay)).isoformat(),
        }
        legs.append(back)
    else:
        stay = None
    lead = rng.choice((1, 2, 5, 10, 20, 30, 45, 60, 90))
    payment = rng.choices(("card", "cash", "transfer", "miles"), weights=(80, 8, 8, 4))[0]
    bags = rng.choices((0, 1, 2, 3, 4, 5), weights=(10, 45, 30, 9, 4, 2))[0]
    if stay is not None and stay <= 3 and rng.random() < 0.15:
        bags = rng.choice((3, 4, 5))
    channel = rng.choice(("airline_web", "agency", "online_agency", "airline_office"))
    return {
        "family_name": family,
        "given_names": given,
        "date_of_birth": born.isoformat(),
        "sex": rng.choice("MF"),
        "nationality": nationality,
        "seat": f"{rng.randint(1, 60)}{rng.choice('ABCDEFGHJK')}",
        "document": {
            "type": "P",
            "number": f"{nationality[0]}{n:08d}",
            "issuer": nationality,
            "expiry": (day + timedelta(days=rng.randint(30, 3650))).isoformat(),
        },
        "pnr": {
            "record_locator": f"R{n:07d}"[-8:],
            "booking_date": (day - timedelta(days=lead)).isoformat(),
            "channel": channel,
            "travel_agency": agency,
            "payment": payment,
            "bags": bags,
            "co_travellers": [],
            "itinerary": legs,
        },
    }


def generate(
    start: date, days: int, *, passengers_per_flight: int = 60, late_from: date | None = None, seed: int = 13
) -> list[Traveller]:
    """``days`` days of arrivals from ``start``; the ``late_vvo`` pattern only from ``late_from`` on."""
    rng = random.Random(seed)
    late = late_from or start + timedelta(days=days)
    out: list[Traveller] = []
    n = 0
    for d in range(days):
        day = start + timedelta(days=d)
        for port, carrier, daily in ROUTES:
            for k in range(daily):
                flight = f"{carrier}{100 + ROUTES.index((port, carrier, daily)) * 10 + k}"
                for _ in range(passengers_per_flight):
                    n += 1
                    p = _passenger(rng, day, port, carrier, flight, n)
                    api = {
                        "date_of_birth": p["date_of_birth"],
                        "document_expiry": p["document"]["expiry"],
                        "nationality": p["nationality"],
                        "sex": p["sex"],
                    }
                    facts = facts_of(
                        api,
                        p["pnr"],
                        carrier=carrier,
                        departure_port=port,
                        arrival_port="ICN",
                        arrival_date=day,
                    )
                    pattern = _pattern(facts, day, late)
                    carries = rng.random() < (PATTERN_RATES[pattern] if pattern else BASE_RATE)
                    checked = rng.random() < (0.6 if _old_practice_selects(facts) else 0.05)
                    out.append(Traveller(day, flight, port, carrier, p, facts, carries, pattern, checked))
    return out


def message_of(travellers: list[Traveller], message_id: str) -> dict[str, Any]:
    """One carrier message (the JSON API form) for travellers of the same flight and day."""
    first = travellers[0]
    return {
        "message_id": message_id,
        "carrier": first.carrier,
        "flight": {
            "number": first.flight,
            "departure_port": first.departure_port,
            "arrival_port": "ICN",
            "scheduled_arrival": f"{first.day.isoformat()}T15:00:00+09:00",
        },
        "passengers": [t.passenger for t in travellers],
    }
