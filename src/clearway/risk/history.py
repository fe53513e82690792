"""What earlier inspections taught: finding counts per party, commodity, value... as of a date.

:class:`HistoryState` holds, for each history key (importer, commodity–origin pair, commodity at an identical
declared value, ...), how many earlier declarations with that key were checked, how many had a finding and how
many a critical one; and, per commodity, the running statistics of log value per kg (the reference band).

:func:`as_of_features` walks labelled records in date order and gives every record the features of the state
*strictly before its declaration date* — an outcome is visible only from the day after it was recorded — so
training never sees the future. Scoring uses a frozen state (the model's memory at training time).

Pure: plain values in, plain values out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Any

from clearway.risk.records import Outcome, RiskRecord

# name → the record attributes whose values together form the key (None in any part → no key).
HISTORY_KEYS: dict[str, tuple[str, ...]] = {
    # commodity history
    "hs6": ("hs6",),
    "hs6_origin": ("hs6", "origin_country"),
    "hs6_departure": ("hs6", "departure_country"),
    "origin": ("origin_country",),
    "tax_type_hs6": ("tax_type", "hs6"),
    # identical declared figures (repeated invoice templates)
    "value": ("value_key",),
    "hs6_value": ("hs6", "value_key"),
    "mass": ("mass_key",),
    "hs6_mass": ("hs6", "mass_key"),
    "value_mass": ("value_key", "mass_key"),
    # parties
    "importer": ("importer",),
    "declarant": ("declarant",),
    "seller": ("seller",),
    "importer_hs6": ("importer", "hs6"),
    "declarant_importer": ("declarant", "importer"),
}

HUMAN_KEYS: dict[str, str] = {
    "hs6": "this commodity (HS6)",
    "hs6_origin": "this commodity from this origin",
    "hs6_departure": "this commodity from this country of departure",
    "origin": "this origin country",
    "tax_type_hs6": "this commodity under this rate code",
    "value": "this identical declared value",
    "hs6_value": "this commodity at this identical declared value",
    "mass": "this identical net mass",
    "hs6_mass": "this commodity at this identical net mass",
    "value_mass": "this identical value and net mass",
    "importer": "this importer",
    "declarant": "this declarant",
    "seller": "this seller",
    "importer_hs6": "this importer with this commodity",
    "declarant_importer": "this declarant for this importer",
}

Key = tuple[Any, ...]


def key_function(attributes: tuple[str, ...]) -> Callable[[RiskRecord], Key | None]:
    if len(attributes) == 1:
        (attribute,) = attributes

        def single(record: RiskRecord) -> Key | None:
            value = getattr(record, attribute)
            return None if value is None else (value,)

        return single
    getter = attrgetter(*attributes)

    def key(record: RiskRecord) -> Key | None:
        parts = getter(record)
        return None if None in parts else parts

    return key


def log_value_per_kg(record: RiskRecord) -> float | None:
    if (
        record.value_krw is None
        or record.net_mass_kg is None
        or record.net_mass_kg <= 0
        or record.value_krw < 0
    ):
        return None
    return math.log1p(record.value_krw) - math.log1p(record.net_mass_kg)


@dataclass
class HistoryState:
    """Counts per key: ``counts[name][key] = [checked, with finding, critical]``; reference per HS6."""

    names: tuple[str, ...]
    counts: dict[str, dict[Key, list[int]]] = field(default_factory=dict)
    total: list[int] = field(default_factory=lambda: [0, 0, 0])
    reference: dict[str, list[float]] = field(default_factory=dict)  # hs6 → [n, Σ luv, Σ luv²]
    # The population's finding and critical rates, when known from an unbiased sample (random checks). The
    # hit rate of checked declarations is not the population's rate once the model chooses the checks: left
    # as the prior, it rises with the model's own precision and every unseen key looks riskier each week.
    base_rate: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        for name in self.names:
            self.counts.setdefault(name, {})

    # -- updates ------------------------------------------------------------------------------------------
    def add_outcome(self, record: RiskRecord, outcome: Outcome, keys: dict[str, Callable]) -> None:
        f, c = int(outcome.fraud), int(outcome.critical and outcome.fraud)
        self.total[0] += 1
        self.total[1] += f
        self.total[2] += c
        for name in self.names:
            k = keys[name](record)
            if k is None:
                continue
            cell = self.counts[name].get(k)
            if cell is None:
                self.counts[name][k] = [1, f, c]
            else:
                cell[0] += 1
                cell[1] += f
                cell[2] += c

    def add_reference(self, record: RiskRecord) -> None:
        luv = log_value_per_kg(record)
        if luv is None or record.hs6 is None:
            return
        cell = self.reference.get(record.hs6)
        if cell is None:
            self.reference[record.hs6] = [1.0, luv, luv * luv]
        else:
            cell[0] += 1
            cell[1] += luv
            cell[2] += luv * luv

    # -- reading --------------------------------------------------------------------------------------------
    def prior(self) -> tuple[float, float]:
        if self.base_rate is not None:
            return self.base_rate
        n, f, c = self.total
        return (f + 1.0) / (n + 5.0), (c + 0.1) / (n + 5.0)

    def reference_band(self, hs6: str | None, min_count: int = 3) -> tuple[float, float, int] | None:
        """Mean and standard deviation of log(1+value) − log(1+kg) for the commodity, and the count."""
        cell = self.reference.get(hs6) if hs6 else None
        if cell is None or cell[0] < min_count:
            return None
        n, s, ss = cell
        mean = s / n
        sd = math.sqrt(max(ss / n - mean * mean, 0.0))
        return mean, sd, int(n)

    def reference_value_per_kg(self, hs6: str | None) -> float | None:
        """The commodity's reference value per kg in won (geometric centre of earlier declarations)."""
        band = self.reference_band(hs6)
        if band is None:
            return None
        return math.exp(band[0])

    # -- persistence -----------------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "names": list(self.names),
            "total": self.total,
            "counts": {n: [[*k, *v] for k, v in self.counts[n].items()] for n in self.names},
            "reference": [[k, *v] for k, v in self.reference.items()],
            **({"base_rate": list(self.base_rate)} if self.base_rate is not None else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> HistoryState:
        names = tuple(data["names"])
        state = cls(names=names, total=list(data["total"]))
        for name in names:
            width = len(HISTORY_KEYS[name])
            state.counts[name] = {tuple(row[:width]): list(row[width:]) for row in data["counts"][name]}
        state.reference = {row[0]: list(row[1:]) for row in data["reference"]}
        if data.get("base_rate") is not None:
            state.base_rate = (float(data["base_rate"][0]), float(data["base_rate"][1]))
        return state


def key_functions(names: Sequence[str]) -> dict[str, Callable[[RiskRecord], Key | None]]:
    return {name: key_function(HISTORY_KEYS[name]) for name in names}


def build_state(
    records: Sequence[RiskRecord], outcomes: Sequence[Outcome | None], names: Sequence[str]
) -> HistoryState:
    """The state after all ``records`` (unlabelled ones — outcome None — count for the reference only)."""
    state = HistoryState(names=tuple(names))
    keys = key_functions(names)
    for record, outcome in zip(records, outcomes, strict=True):
        state.add_reference(record)
        if outcome is not None:
            state.add_outcome(record, outcome, keys)
    return state


def _visible_from(record: RiskRecord, outcome: Outcome) -> date:
    """An outcome is known from the day after it was recorded, never before its own declaration."""
    known = outcome.known_on or record.declared_on
    return max(known, record.declared_on)


def as_of_walk(
    records: Sequence[RiskRecord],
    outcomes: Sequence[Outcome | None],
    names: Sequence[str],
    visit: Callable[[int, HistoryState], None],
    base_rate: tuple[float, float] | None = None,
) -> HistoryState:
    """Call ``visit(i, state)`` for every record with the state as it stood before the record's date.

    Outcomes become visible strictly after the day they were recorded (``known_on``, default the declaration
    date); values enter the commodity reference strictly after their declaration date. Returns the final
    state. ``base_rate``: the population rates the history rates are smoothed towards (see
    :class:`HistoryState`); by default the finding rate of all outcomes so far.
    """
    state = HistoryState(names=tuple(names), base_rate=base_rate)
    keys = key_functions(names)
    order = sorted(range(len(records)), key=lambda i: (records[i].declared_on, i))
    events = sorted(
        ((_visible_from(records[i], o), i, o) for i, o in enumerate(outcomes) if o is not None),
        key=lambda t: (t[0], t[1]),
    )
    e = 0  # next outcome event
    r = 0  # next record to enter the reference
    for i in order:
        day = records[i].declared_on
        while e < len(events) and events[e][0] < day:
            _, j, outcome = events[e]
            state.add_outcome(records[j], outcome, keys)
            e += 1
        while r < len(order) and records[order[r]].declared_on < day:
            state.add_reference(records[order[r]])
            r += 1
        visit(i, state)
    while e < len(events):
        _, j, outcome = events[e]
        state.add_outcome(records[j], outcome, keys)
        e += 1
    while r < len(order):
        state.add_reference(records[order[r]])
        r += 1
    return state
