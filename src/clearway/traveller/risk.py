"""Traveller risk: facts about a passenger, rules in the risk engine's condition language, a learned model,
and the selection list of an arriving flight. Pure (no database, no clock, no files).

* :class:`TravellerFacts` are what rules and the model see: no names, no document numbers — only the trip
  (where from, through where, how long a stay, how many bags, how and when it was booked) and a few facts of
  the person (age band, nationality, sex, days left on the document).
* Rules are conditions of :mod:`clearway.risk.conditions` over :data:`TRAVELLER_FIELDS` (validated with the
  same checker, which refuses conditions that match every traveller or none).
* :class:`TravellerModel` is LightGBM over :data:`NUMERIC` and :data:`CATEGORICAL` features, trained on the
  results of past checks; its explanations are the risk engine's :class:`~clearway.risk.model.Explanation`
  (TreeSHAP contributions via ``pred_contrib``) and its files are the risk engine's gzip JSON model files.
* :func:`select` builds the list for the gate: watchlist hits, rule hits, the model's highest scores (its
  share of the flight, from a reference score distribution) and exploration — the same ``exploration_share``
  and seeded draw as the declarations' selection policy, so the model keeps seeing travellers it would not
  have picked.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, cast

import lightgbm as lgb
import numpy as np

from clearway.risk.conditions import NO_CONTEXT, FieldSpec, Matcher, compile_condition, describe, validate
from clearway.risk.metrics import auc, precision_at, quantile_table, recall_at, threshold_for_share
from clearway.risk.model import Contribution, Explanation, ModelFileError, NotEnoughOutcomes
from clearway.risk.records import RiskRecord
from clearway.risk.selection import Policy, draw

MODEL_FORMAT = "clearway-traveller-risk-model"
FORMAT_VERSION = 1

# Airports of the generated traffic and the demo, with their countries (ISO 3166 alpha-3).
AIRPORT_COUNTRY: dict[str, str] = {
    "ICN": "KOR", "GMP": "KOR", "PUS": "KOR", "CJU": "KOR", "TAE": "KOR",
    "NRT": "JPN", "HND": "JPN", "KIX": "JPN", "FUK": "JPN",
    "PEK": "CHN", "PVG": "CHN", "CAN": "CHN", "SZX": "CHN", "SHE": "CHN", "HKG": "HKG",
    "TPE": "TWN", "BKK": "THA", "CNX": "THA", "HAN": "VNM", "SGN": "VNM", "DAD": "VNM",
    "MNL": "PHL", "CEB": "PHL", "KUL": "MYS", "SIN": "SGP", "CGK": "IDN", "DPS": "IDN",
    "VTE": "LAO", "PNH": "KHM", "RGN": "MMR", "DEL": "IND", "DXB": "ARE", "IST": "TUR",
    "JFK": "USA", "LAX": "USA", "SFO": "USA", "SEA": "USA", "YVR": "CAN", "MEX": "MEX",
    "GRU": "BRA", "BOG": "COL", "LIM": "PER", "CDG": "FRA", "FRA": "DEU", "AMS": "NLD",
    "LHR": "GBR", "MAD": "ESP", "SVO": "RUS", "VVO": "RUS", "ADD": "ETH", "JNB": "ZAF", "SYD": "AUS",
}  # fmt: skip


def country_of(port: str | None) -> str | None:
    return AIRPORT_COUNTRY.get(port or "")


@dataclass(frozen=True, slots=True)
class TravellerFacts:
    """What rules and the model may use about one passenger on one arrival (no identifying data)."""

    nationality: str | None = None
    sex: str | None = None
    age: float | None = None
    document_days_left: float | None = None
    departure_country: str | None = None  # where the journey to Korea began (first leg)
    transit_country: str | None = None  # the last connection before arrival (None when direct)
    carrier: str | None = None
    booking_channel: str | None = None
    payment: str | None = None
    travel_agency: str | None = None
    bags: float | None = None
    stay_days: float | None = None  # days until the booked departure from Korea (None: one way)
    booking_lead_days: float | None = None  # days from booking to arrival
    legs: float | None = None
    co_travellers: float | None = None
    one_way: float | None = None  # 1 when no onward or return leg is booked

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TravellerFacts:
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__})


TRAVELLER_FIELDS: dict[str, FieldSpec] = {
    f.name: f
    for f in (
        FieldSpec("nationality", "text", "nationality (ISO 3166 alpha-3)"),
        FieldSpec("sex", "text", "sex (M, F, X)"),
        FieldSpec("age", "number", "age in years on arrival"),
        FieldSpec("document_days_left", "number", "days the travel document is still valid after arrival"),
        FieldSpec("departure_country", "text", "country where the journey began (alpha-3)"),
        FieldSpec("transit_country", "text", "country of the last connection, alpha-3 (missing when direct)"),
        FieldSpec("carrier", "text", "carrier (airline code)"),
        FieldSpec("booking_channel", "text", "booking channel (agency, airline_web, ...)"),
        FieldSpec("payment", "text", "form of payment (cash, card, ...)"),
        FieldSpec("travel_agency", "text", "travel agency"),
        FieldSpec("bags", "number", "checked bags"),
        FieldSpec("stay_days", "number", "days until the booked departure from Korea"),
        FieldSpec("booking_lead_days", "number", "days between booking and arrival"),
        FieldSpec("legs", "number", "legs on the itinerary"),
        FieldSpec("co_travellers", "number", "co-travellers on the booking"),
        FieldSpec("one_way", "number", "1 when no departure from Korea is booked"),
    )
}

KOREA = "KOR"


def facts_of(
    api: Mapping[str, Any],
    pnr: Mapping[str, Any] | None,
    *,
    carrier: str,
    departure_port: str,
    arrival_port: str,
    arrival_date: date,
) -> TravellerFacts:
    """A passenger's facts from the stored API and PNR parts of their record on one arrival."""
    born = date.fromisoformat(api["date_of_birth"])
    expiry = date.fromisoformat(api["document_expiry"])
    age = arrival_date.year - born.year - ((arrival_date.month, arrival_date.day) < (born.month, born.day))
    facts: dict[str, Any] = {
        "nationality": api.get("nationality"),
        "sex": api.get("sex"),
        "age": float(age),
        "document_days_left": float((expiry - arrival_date).days),
        "departure_country": country_of(departure_port),
        "carrier": carrier,
    }
    if pnr is not None:
        legs = [leg for leg in pnr.get("itinerary") or [] if leg.get("from") and leg.get("to")]
        inbound = [leg for leg in legs if leg.get("date") and date.fromisoformat(leg["date"]) <= arrival_date]
        outbound = [
            leg
            for leg in legs
            if leg.get("date")
            and date.fromisoformat(leg["date"]) > arrival_date
            and country_of(leg["from"]) == KOREA
        ]
        if inbound:
            facts["departure_country"] = country_of(inbound[0]["from"]) or facts["departure_country"]
            last = [leg for leg in inbound if leg["to"] == arrival_port] or inbound
            transit = country_of(last[-1]["from"])
            facts["transit_country"] = transit if transit != facts["departure_country"] else None
        facts["legs"] = float(len(legs))
        facts["one_way"] = 0.0 if outbound else 1.0
        if outbound:
            facts["stay_days"] = float((date.fromisoformat(outbound[0]["date"]) - arrival_date).days)
        if pnr.get("booking_date"):
            facts["booking_lead_days"] = float((arrival_date - date.fromisoformat(pnr["booking_date"])).days)
        facts["booking_channel"] = pnr.get("channel")
        facts["payment"] = pnr.get("payment")
        facts["travel_agency"] = (pnr.get("travel_agency") or "").upper() or None
        facts["bags"] = None if pnr.get("bags") is None else float(pnr["bags"])
        facts["co_travellers"] = float(len(pnr.get("co_travellers") or []))
    return TravellerFacts(**facts)


# ---- rules ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    description: str
    condition: dict[str, Any]
    matcher: Matcher = field(compare=False, repr=False)


def check_rule(code: str, description: str, condition: Any) -> Rule:
    """A rule with its condition validated over the traveller fields (problems named by JSON pointer)."""
    valid = validate(condition, fields=TRAVELLER_FIELDS)
    return Rule(code, description, valid, compile_condition(valid))


SOURCE_COUNTRIES = ["LAO", "MMR", "KHM", "COL", "PER"]
DEFAULT_RULES: tuple[Rule, ...] = (
    check_rule(
        "T-ROUTE",
        "journey began in or connected through a drug source country",
        {
            "any": [
                {"field": "departure_country", "op": "in", "value": SOURCE_COUNTRIES},
                {"field": "transit_country", "op": "in", "value": SOURCE_COUNTRIES},
            ]
        },
    ),
    check_rule(
        "T-SHORT-BAGS",
        "short stay with many bags",
        {"all": [{"field": "stay_days", "op": "le", "value": 3}, {"field": "bags", "op": "ge", "value": 3}]},
    ),
    check_rule(
        "T-LASTMIN-CASH",
        "last-minute booking paid in cash",
        {
            "all": [
                {"field": "booking_lead_days", "op": "le", "value": 2},
                {"field": "payment", "op": "eq", "value": "cash"},
            ]
        },
    ),
)


def rule_hits(facts: TravellerFacts, rules: Sequence[Rule]) -> list[Rule]:
    # The condition matchers read attributes by field name; TravellerFacts has the traveller fields.
    record = cast(RiskRecord, facts)
    return [r for r in rules if r.matcher(record, NO_CONTEXT)]


# ---- the model -----------------------------------------------------------------------------------------------

NUMERIC = (
    "age",
    "document_days_left",
    "bags",
    "stay_days",
    "booking_lead_days",
    "legs",
    "co_travellers",
    "one_way",
)
CATEGORICAL = (
    "nationality",
    "sex",
    "departure_country",
    "transit_country",
    "carrier",
    "booking_channel",
    "payment",
    "travel_agency",
)
MIN_CATEGORY_COUNT = 5  # rarer values are read as "other" (code 0)


@dataclass
class TravellerModel:
    """LightGBM over the traveller features: the probability that a check of the traveller finds something."""

    n_estimators: int = 200
    learning_rate: float = 0.05
    num_leaves: int = 15
    min_data_in_leaf: int = 20
    seed: int = 0
    vocab: dict[str, list[str]] = field(default_factory=dict)
    booster: lgb.Booster | None = None
    reference: list[float] = field(default_factory=list)  # score quantiles for the selection share

    @property
    def names(self) -> list[str]:
        return [*NUMERIC, *CATEGORICAL]

    def matrix(self, facts: Sequence[TravellerFacts]) -> np.ndarray:
        codes = {name: {v: i + 1 for i, v in enumerate(values)} for name, values in self.vocab.items()}
        X = np.full((len(facts), len(self.names)), np.nan)
        for i, f in enumerate(facts):
            for j, name in enumerate(NUMERIC):
                v = getattr(f, name)
                X[i, j] = np.nan if v is None else float(v)
            for k, name in enumerate(CATEGORICAL):
                v = getattr(f, name)
                X[i, len(NUMERIC) + k] = np.nan if v is None else codes[name].get(v, 0)
        return X

    def fit(self, facts: Sequence[TravellerFacts], found: Sequence[bool]) -> TravellerModel:
        y = np.array(found, dtype=np.float64)
        if len(y) < 20 or y.sum() < 2 or y.sum() == len(y):
            raise NotEnoughOutcomes(
                f"{len(y)} check result(s), {int(y.sum())} with a finding: the traveller model needs at least "
                "20 results and both outcomes",
                checked=len(y),
                with_finding=int(y.sum()),
            )
        counts: dict[str, dict[str, int]] = {name: {} for name in CATEGORICAL}
        for f in facts:
            for name in CATEGORICAL:
                v = getattr(f, name)
                if v is not None:
                    counts[name][v] = counts[name].get(v, 0) + 1
        self.vocab = {
            name: sorted(v for v, n in c.items() if n >= MIN_CATEGORY_COUNT) for name, c in counts.items()
        }
        params = {
            "objective": "binary",
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_data_in_leaf": max(1, min(self.min_data_in_leaf, len(y) // 20)),
            "min_data_in_bin": 1,
            "cat_smooth": 10.0,
            "seed": self.seed,
            "deterministic": True,
            "num_threads": 1,
            "verbosity": -1,
        }
        data = lgb.Dataset(
            self.matrix(facts),
            y,
            feature_name=self.names,
            categorical_feature=list(CATEGORICAL),
            params={"verbosity": -1},
        )
        self.booster = lgb.train(params, data, num_boost_round=self.n_estimators)
        return self

    def _booster(self) -> lgb.Booster:
        if self.booster is None:
            raise ModelFileError("this traveller model is not trained")
        return self.booster

    def score(self, facts: Sequence[TravellerFacts]) -> np.ndarray:
        if not facts:
            return np.zeros(0)
        return np.asarray(self._booster().predict(self.matrix(facts), num_threads=1))

    def explain(self, facts: Sequence[TravellerFacts], top: int = 3) -> list[Explanation]:
        """Each score and the features that raised it most (TreeSHAP), in the risk engine's explanation form."""
        if not facts:
            return []
        X = self.matrix(facts)
        contrib = np.asarray(self._booster().predict(X, pred_contrib=True, num_threads=1))
        scores = 1.0 / (1.0 + np.exp(-contrib.sum(axis=1)))
        out = []
        for i, f in enumerate(facts):
            c = contrib[i, :-1]
            items = []
            for j in np.argsort(-c, kind="stable")[:top]:
                if c[j] <= 0:
                    continue
                name = self.names[j]
                value = getattr(f, name)
                label = TRAVELLER_FIELDS[name].label + f" = {value if value is not None else 'unknown'}"
                numeric = float(X[i, j]) if name in NUMERIC and not math.isnan(X[i, j]) else None
                items.append(Contribution(name, label, numeric, float(c[j])))
            out.append(Explanation(float(scores[i]), items))
        return out

    def to_document(self, metrics: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT,
            "format_version": FORMAT_VERSION,
            "lightgbm_version": lgb.__version__,
            "params": {
                "n_estimators": self.n_estimators,
                "learning_rate": self.learning_rate,
                "num_leaves": self.num_leaves,
                "min_data_in_leaf": self.min_data_in_leaf,
                "seed": self.seed,
            },
            "features": self.names,
            "vocab": self.vocab,
            "reference": self.reference,
            "metrics": dict(metrics),
            "booster": self._booster().model_to_string(),
        }

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> TravellerModel:
        if not isinstance(doc, Mapping) or doc.get("format") != MODEL_FORMAT:
            raise ModelFileError("not a Clearway traveller risk model file")
        if doc.get("format_version") != FORMAT_VERSION:
            raise ModelFileError("traveller model file of another format version; retrain it")
        try:
            model = cls(**doc["params"], vocab=doc["vocab"], reference=list(doc["reference"]))
            if doc["features"] != model.names:
                raise ModelFileError("the model's features differ from this Clearway's; retrain it")
            model.booster = lgb.Booster(model_str=doc["booster"])
        except ModelFileError:
            raise
        except (KeyError, TypeError, ValueError, lgb.basic.LightGBMError) as exc:
            raise ModelFileError(f"the traveller model file is damaged: {exc}") from None
        return model


def evaluate(scores: np.ndarray, found: Sequence[bool], share: float) -> dict[str, Any]:
    """AUC, and precision/recall when the top ``share`` of travellers by score are checked."""
    labels = np.array(found, dtype=bool)
    percent = share * 100
    return {
        "travellers": len(labels),
        "with_finding": int(labels.sum()),
        "auc": _round(auc(scores, labels)),
        f"precision_at_{percent:g}pct": _round(precision_at(scores, labels, percent)),
        f"recall_at_{percent:g}pct": _round(recall_at(scores, labels, percent)),
    }


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), 4)


def reference_of(scores: np.ndarray) -> list[float]:
    return [float(x) for x in quantile_table(scores, points=1001)]


# ---- the selection list --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    passenger_id: int
    facts: TravellerFacts
    hits: tuple[str, ...] = ()  # open or confirmed watchlist hits, as reasons


@dataclass(frozen=True, slots=True)
class Selected:
    passenger_id: int
    selected: bool
    score: float | None
    reasons: list[dict[str, Any]]

    @property
    def by(self) -> str:
        return self.reasons[0]["kind"] if self.reasons else "none"


def select(
    candidates: Sequence[Candidate],
    *,
    rules: Sequence[Rule],
    model: TravellerModel | None,
    policy: Policy,
    model_share: float,
    flight_key: str,
) -> list[Selected]:
    """Who to check on one flight, and why; selected travellers first, each list by score.

    Reasons, strongest first: ``watchlist`` (an open or confirmed hit), ``rule`` (a rule's condition),
    ``model`` (score at or above the threshold that selects ``model_share`` of travellers on the model's
    reference distribution; the top contributions as the why), ``exploration`` (a seeded draw below the
    policy's ``exploration_share``, for travellers nothing else selected).
    """
    explanations = model.explain([c.facts for c in candidates]) if model is not None else []
    threshold = (
        threshold_for_share(model.reference, model_share) if model is not None and model.reference else None
    )
    out: list[Selected] = []
    for i, c in enumerate(candidates):
        reasons: list[dict[str, Any]] = [{"kind": "watchlist", "text": h} for h in c.hits]
        reasons += [
            {"kind": "rule", "code": r.code, "text": f"{r.description} ({describe(r.condition)})"}
            for r in rule_hits(c.facts, rules)
        ]
        score = None
        if explanations:
            e = explanations[i]
            score = e.score
            if threshold is not None and score > threshold:
                reasons.append(
                    {
                        "kind": "model",
                        "score": round(score, 4),
                        "text": "; ".join(t.label for t in e.top) or "high score",
                        "contributions": [t.as_dict() for t in e.top],
                    }
                )
        if (
            not reasons
            and draw(policy.seed, "traveller", flight_key, c.passenger_id) < policy.exploration_share
        ):
            reasons.append(
                {
                    "kind": "exploration",
                    "text": f"random check ({policy.exploration_share:.0%} of travellers nothing else selected)",
                }
            )
        out.append(Selected(c.passenger_id, bool(reasons), score, reasons))
    return sorted(out, key=lambda s: (not s.selected, -(s.score or 0.0), s.passenger_id))
