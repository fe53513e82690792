"""Feature vectors for the risk model — the one module the product and the benchmark both use.

Groups (each can be switched off, which is how the ablations in ``benchmarks/risk/RESULTS.md`` are run):

* ``declaration`` – the declaration's own fields: coded categories (office, transport mode, rate code,
  countries, ...), the commodity code as numbers (HS6, HS4, HS2, so trees can split on chapters), tax rate,
  net mass, customs value, log value per kg, departure ≠ origin, and the classification advice signal;
* ``reference`` – value per kg against the commodity's reference band (earlier declarations of the same HS6);
* ``commodity_history`` – earlier finding rates of the commodity, commodity–origin pair, origin, rate code;
* ``value_history`` – earlier finding rates of declarations with the identical declared value or net mass
  (alone and with the same commodity): repeated invoice templates;
* ``party_history`` – earlier finding rates of the importer, declarant, seller and their pairs.

Every history feature is as of the declaration date (see :mod:`clearway.risk.history`); rates are smoothed
towards the overall finding rate ``(findings + w·prior) / (checked + w)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import numpy as np

from clearway.risk.history import HUMAN_KEYS, HistoryState, as_of_walk, key_functions, log_value_per_kg
from clearway.risk.records import Outcome, RiskRecord

CATEGORICAL = (
    "office",
    "process_type",
    "import_type",
    "import_use",
    "payment_type",
    "transport_mode",
    "courier",
    "origin_indicator",
    "tax_type",
    "departure_country",
    "origin_country",
    "kind",
)
HISTORY_GROUPS: dict[str, tuple[str, ...]] = {
    "commodity_history": ("hs6", "hs6_origin", "hs6_departure", "origin", "tax_type_hs6"),
    "value_history": ("value", "hs6_value", "mass", "hs6_mass", "value_mass"),
    "party_history": ("importer", "declarant", "seller", "importer_hs6", "declarant_importer"),
}
ALL_GROUPS = ("declaration", "reference", *HISTORY_GROUPS)
# Chosen on the 2021 Q1 validation split: party history adds nothing there (the synthetic dataset's party IDs
# carry no stable signal) and hurts weaker models, so it is off by default; switch it on with ``groups=``.
DEFAULT_GROUPS = ("declaration", "reference", "commodity_history", "value_history")

_NAN = float("nan")


def _code_number(code: str | None, digits: int) -> float:
    if code is None or len(code) < digits or not code[:digits].isdigit():
        return _NAN
    return float(code[:digits])


def _num(value: float | None) -> float:
    return _NAN if value is None else float(value)


@dataclass(frozen=True, slots=True)
class FeatureDescription:
    name: str
    group: str
    label: str  # what an officer reads


class FeatureBuilder:
    """Turns records into the model's matrix. ``fit`` learns the category codes; nothing else is learned."""

    def __init__(self, groups: Sequence[str] = DEFAULT_GROUPS, smoothing: float = 10.0) -> None:
        unknown = [g for g in groups if g not in ALL_GROUPS]
        if unknown:
            raise ValueError(f"unknown feature group(s) {unknown}; known: {', '.join(ALL_GROUPS)}")
        self.groups = tuple(g for g in ALL_GROUPS if g in groups)
        self.smoothing = float(smoothing)
        self.history_names: tuple[str, ...] = tuple(
            name for g in self.groups if g in HISTORY_GROUPS for name in HISTORY_GROUPS[g]
        )
        self.vocab: dict[str, dict[str, int]] = {}
        self.descriptions = self._describe()
        self.names = [d.name for d in self.descriptions]
        self._keys = key_functions(self.history_names)

    # -- the feature list ------------------------------------------------------------------------------------
    def _describe(self) -> list[FeatureDescription]:
        out: list[FeatureDescription] = []
        if "declaration" in self.groups:
            for c in CATEGORICAL:
                out.append(FeatureDescription(f"cat_{c}", "declaration", c.replace("_", " ")))
            out += [
                FeatureDescription("hs6_code", "declaration", "commodity code (HS6)"),
                FeatureDescription("hs4_code", "declaration", "heading (HS4)"),
                FeatureDescription("hs2_code", "declaration", "chapter (HS2)"),
                FeatureDescription("tax_rate", "declaration", "duty rate"),
                FeatureDescription("net_mass_kg", "declaration", "net mass"),
                FeatureDescription("value_krw", "declaration", "customs value"),
                FeatureDescription("log_value_per_kg", "declaration", "value per kg"),
                FeatureDescription(
                    "departure_differs", "declaration", "departure country differs from origin"
                ),
                FeatureDescription("risk_signal", "declaration", "classification warning"),
            ]
        if "reference" in self.groups:
            out += [
                FeatureDescription(
                    "uv_deviation", "reference", "value per kg against the commodity's reference"
                ),
                FeatureDescription(
                    "uv_zscore", "reference", "value per kg in standard deviations from reference"
                ),
                FeatureDescription("uv_reference_n", "reference", "declarations behind the reference"),
            ]
        for name in self.history_names:
            group = next(g for g, names in HISTORY_GROUPS.items() if name in names)
            human = HUMAN_KEYS[name]
            out += [
                FeatureDescription(f"h_{name}_n", group, f"earlier checks of {human}"),
                FeatureDescription(f"h_{name}_rate", group, f"earlier finding rate of {human}"),
                FeatureDescription(f"h_{name}_critical", group, f"earlier critical-finding rate of {human}"),
            ]
        return out

    # -- learning the category codes -------------------------------------------------------------------------
    def fit(self, records: Sequence[RiskRecord]) -> FeatureBuilder:
        if "declaration" in self.groups:
            self.vocab = {
                c: {v: i for i, v in enumerate(sorted({getattr(r, c) for r in records} - {None}))}
                for c in CATEGORICAL
            }
        return self

    # -- one record ------------------------------------------------------------------------------------------
    def _own(self, r: RiskRecord, out: list[float]) -> None:
        vocab = self.vocab
        for c in CATEGORICAL:
            v = getattr(r, c)
            code = vocab.get(c, {}).get(v) if v is not None else None
            out.append(_NAN if code is None else float(code))
        luv = log_value_per_kg(r)
        out += [
            _code_number(r.hs6, 6),
            _code_number(r.hs6, 4),
            _code_number(r.hs6, 2),
            _num(r.tax_rate),
            _num(r.net_mass_kg),
            _num(r.value_krw),
            _NAN if luv is None else luv,
            _NAN
            if r.departure_country is None or r.origin_country is None
            else float(r.departure_country != r.origin_country),
            _num(r.risk_signal),
        ]

    @staticmethod
    def _reference_values(r: RiskRecord, state: HistoryState) -> tuple[float, float, float]:
        band = state.reference_band(r.hs6)
        luv = log_value_per_kg(r)
        if band is None or luv is None:
            return _NAN, _NAN, (_NAN if band is None else float(band[2]))
        mean, sd, n = band
        return luv - mean, (luv - mean) / max(sd, 0.1), float(n)

    def _reference(self, r: RiskRecord, state: HistoryState, out: list[float]) -> None:
        out.extend(self._reference_values(r, state))

    def _history(self, r: RiskRecord, state: HistoryState, out: list[float]) -> None:
        prior, prior_c = state.prior()
        w = self.smoothing
        for name in self.history_names:
            k = self._keys[name](r)
            cell = None if k is None else state.counts[name].get(k)
            if k is None:
                out += [_NAN, _NAN, _NAN]
            elif cell is None:
                out += [0.0, prior, prior_c]
            else:
                n, f, c = cell
                out += [float(n), (f + w * prior) / (n + w), (c + w * prior_c) / (n + w)]

    def row(self, record: RiskRecord, state: HistoryState) -> list[float]:
        out: list[float] = []
        if "declaration" in self.groups:
            self._own(record, out)
        if "reference" in self.groups:
            self._reference(record, state, out)
        self._history(record, state, out)
        return out

    # -- many records ----------------------------------------------------------------------------------------
    def matrix(self, records: Sequence[RiskRecord], state: HistoryState) -> np.ndarray:
        """Features of ``records`` scored against a frozen state (the model's memory).

        Column by column for speed; gives exactly what :meth:`row` gives for each record.
        """
        n = len(records)
        if n == 0:
            return np.zeros((0, len(self.names)))
        cols: list[Any] = []
        if "declaration" in self.groups:
            for c in CATEGORICAL:
                codes = self.vocab.get(c, {})
                cols.append([codes.get(v, _NAN) for v in map(attrgetter(c), records)])
            hs6 = list(map(attrgetter("hs6"), records))
            cols.append([_code_number(h, 6) for h in hs6])
            cols.append([_code_number(h, 4) for h in hs6])
            cols.append([_code_number(h, 2) for h in hs6])
            for attr in ("tax_rate", "net_mass_kg", "value_krw"):
                cols.append([_NAN if v is None else v for v in map(attrgetter(attr), records)])
            luv = [log_value_per_kg(r) for r in records]
            cols.append([_NAN if v is None else v for v in luv])
            cols.append(
                [
                    _NAN
                    if r.departure_country is None or r.origin_country is None
                    else float(r.departure_country != r.origin_country)
                    for r in records
                ]
            )
            cols.append([_NAN if v is None else v for v in map(attrgetter("risk_signal"), records)])
        if "reference" in self.groups:
            block = np.array([self._reference_values(r, state) for r in records], dtype=np.float64)
            cols += list(block.T)
        prior, prior_c = state.prior()
        w = self.smoothing
        missing = (_NAN, _NAN, _NAN)
        unseen = (0.0, prior, prior_c)
        for name in self.history_names:
            table = state.counts[name]
            cache: dict[Any, tuple[float, float, float]] = {}
            values = []
            for k in map(self._keys[name], records):
                if k is None:
                    values.append(missing)
                    continue
                v = cache.get(k)
                if v is None:
                    cell = table.get(k)
                    v = (
                        unseen
                        if cell is None
                        else (
                            float(cell[0]),
                            (cell[1] + w * prior) / (cell[0] + w),
                            (cell[2] + w * prior_c) / (cell[0] + w),
                        )
                    )
                    cache[k] = v
                values.append(v)
            cols += list(np.array(values, dtype=np.float64).T)
        return np.column_stack([np.asarray(c, dtype=np.float64) for c in cols])

    def training_matrix(
        self, records: Sequence[RiskRecord], outcomes: Sequence[Outcome | None]
    ) -> tuple[np.ndarray, HistoryState]:
        """Features of labelled records, each as of its own declaration date, and the state after them all."""
        X = np.full((len(records), len(self.names)), _NAN)

        def visit(i: int, state: HistoryState) -> None:
            X[i] = self.row(records[i], state)

        final = as_of_walk(records, outcomes, self.history_names, visit)
        return X, final

    def labelled_matrix(
        self,
        records: Sequence[RiskRecord],
        outcomes: Sequence[Outcome | None],
        base_rate: tuple[float, float] | None = None,
    ) -> tuple[np.ndarray, list[int], HistoryState]:
        """Features of the labelled records only (rows in index order, with their indices), each as of its
        declaration date, and the state after them all.

        Unlabelled records (outcome ``None``) enter only the commodity reference band — a declaration's value
        is known whether or not it was checked — and get no row. The deployment simulator trains this way:
        only what was inspected has a label. ``base_rate``: the population rates to smooth towards.
        """
        labelled = [i for i, o in enumerate(outcomes) if o is not None]
        position = {i: p for p, i in enumerate(labelled)}
        X = np.full((len(labelled), len(self.names)), _NAN)

        def visit(i: int, state: HistoryState) -> None:
            p = position.get(i)
            if p is not None:
                X[p] = self.row(records[i], state)

        final = as_of_walk(records, outcomes, self.history_names, visit, base_rate)
        return X, labelled, final

    # -- saying what is missing ------------------------------------------------------------------------------
    def fallbacks(self, record: RiskRecord, state: HistoryState) -> list[str]:
        """Why some features of ``record`` are missing: unseen categories, missing fields, no history."""
        notes = []
        if "declaration" in self.groups:
            for c in CATEGORICAL:
                v = getattr(record, c)
                if v is not None and v not in self.vocab.get(c, {}):
                    notes.append(f"{c.replace('_', ' ')} '{v}' never seen in training: treated as missing")
            for attr, label in (
                ("value_krw", "customs value"),
                ("net_mass_kg", "net mass"),
                ("hs6", "commodity code"),
                ("origin_country", "origin"),
            ):
                if getattr(record, attr) is None:
                    notes.append(f"{label} missing: the model scores without it")
        if "reference" in self.groups and record.hs6 and state.reference_band(record.hs6) is None:
            notes.append(f"no reference value per kg for {record.hs6} yet")
        return notes

    def describe(self, name: str) -> FeatureDescription:
        return self.descriptions[self.names.index(name)]

    def to_json(self) -> dict:
        return {"groups": list(self.groups), "smoothing": self.smoothing, "vocab": self.vocab}

    @classmethod
    def from_json(cls, data: dict) -> FeatureBuilder:
        builder = cls(groups=data["groups"], smoothing=data["smoothing"])
        builder.vocab = {c: dict(v) for c, v in data["vocab"].items()}
        return builder
