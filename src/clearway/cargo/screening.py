"""Pre-arrival screening of house bills (입항 전 화물 위험관리). Pure.

Each house bill is screened when the manifest arrives, before the goods do. Three kinds of reasons, each
explained in words:

* the analysts' selectivity criteria (the risk domain's condition language), evaluated on the fields a
  manifest line shares with a declaration (HS6, countries of loading, consignee as importer, shipper as
  seller, transport mode, gross mass) — a criterion's lane sets the level;
* the risk watchlists: consignee keys against the ``importer`` entries, shipper keys against ``seller``;
* manifest indicators: a vague description, no HS code, no value, an implausible weight per package,
  transshipment, a consignee never seen before.

The level is the highest a reason implies. Without a trained pre-arrival model, indicators add up (a score
over 0.6 is high, over 0.3 medium). With one (:mod:`clearway.cargo.learning`), the indicators are shown but the
model's score sets the level: the highest-scoring ``red_share`` of bills (the declaration policy's shares,
turned into score thresholds from the model's holdout scores) are high, the next ``yellow_share`` medium, each
with the features that raised the score; and the same ``exploration_share`` of the bills nothing selected as
for declarations is sent to an X-ray anyway (a reproducible draw on the bill number), so the model keeps
seeing cargo it would not pick.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from clearway.declaration.lifecycle import Lane
from clearway.risk.conditions import EvalContext
from clearway.risk.criteria import Criterion, Watchlist, criterion_hits, watch_hits
from clearway.risk.records import RiskRecord
from clearway.risk.selection import draw

VAGUE_WORDS = frozenset(
    {
        "general",
        "cargo",
        "goods",
        "parts",
        "accessories",
        "samples",
        "sample",
        "various",
        "misc",
        "miscellaneous",
        "stc",
        "fak",
        "merchandise",
        "items",
        "personal",
        "effects",
        "consolidated",
        "articles",
        "products",
        "stuff",
        "gift",
        "gifts",
    }
)
MIN_KG_PER_PACKAGE = Decimal("0.05")
MAX_KG_PER_PACKAGE = Decimal("3000")
INDICATOR_WEIGHTS: dict[str, float] = {
    "vague_description": 0.35,
    "no_hs_code": 0.15,
    "no_value": 0.1,
    "weight_per_package": 0.3,
    "transshipment": 0.15,
    "new_consignee": 0.2,
}
LEVEL_OF_LANE = {Lane.RED: "high", Lane.YELLOW: "medium", Lane.BLUE: "low", Lane.GREEN: "low"}
RANK = {"low": 0, "medium": 1, "high": 2}
ACTION = {"low": "none", "medium": "xray", "high": "physical"}


@dataclass(frozen=True, slots=True)
class ScreenLine:
    bill: str
    mode: str
    arrival_date: date
    port_of_loading: str
    port_of_discharge: str
    transshipment_ports: tuple[str, ...]
    shipper_key: str
    consignee_key: str
    description: str
    hs6: str | None
    packages: int
    gross_weight_kg: Decimal
    has_value: bool


@dataclass(frozen=True, slots=True)
class Screening:
    bill: str
    level: str
    score: float
    action: str
    reasons: tuple[dict[str, Any], ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "bill": self.bill,
            "level": self.level,
            "score": round(self.score, 3),
            "action": self.action,
            "reasons": list(self.reasons),
        }


def is_vague(description: str) -> bool:
    words = [w for w in description.lower().replace(",", " ").replace(".", " ").split() if len(w) > 1]
    specific = [w for w in words if w not in VAGUE_WORDS and not w.isdigit()]
    return not specific or (len(specific) == 1 and len(words) > 1 and words[0] in VAGUE_WORDS)


def record_of(line: ScreenLine) -> RiskRecord:
    """The manifest line as the risk domain's record, so its criteria and watchlists apply."""
    return RiskRecord(
        declared_on=line.arrival_date,
        hs6=line.hs6,
        origin_country=line.port_of_loading[:2],
        departure_country=line.port_of_loading[:2],
        transport_mode=line.mode,
        importer=line.consignee_key,
        seller=line.shipper_key,
        net_mass_kg=float(line.gross_weight_kg),
        kind="manifest",
        ref=f"house bill {line.bill}",
    )


def indicators(line: ScreenLine, known_consignees: frozenset[str]) -> list[dict[str, Any]]:
    found = []
    if is_vague(line.description):
        found.append(
            ("vague_description", f"the description '{line.description}' does not say what the goods are")
        )
    if line.hs6 is None:
        found.append(("no_hs_code", "no HS code is given"))
    if not line.has_value:
        found.append(("no_value", "no value is given"))
    per_package = line.gross_weight_kg / line.packages
    if not MIN_KG_PER_PACKAGE <= per_package <= MAX_KG_PER_PACKAGE:
        found.append(("weight_per_package", f"{per_package:.2f} kg per package is implausible"))
    if line.transshipment_ports:
        found.append(("transshipment", f"transshipped via {', '.join(line.transshipment_ports)}"))
    if line.consignee_key not in known_consignees:
        found.append(("new_consignee", f"consignee {line.consignee_key} has no earlier cargo"))
    return [
        {"kind": "indicator", "code": code, "weight": INDICATOR_WEIGHTS[code], "message": message}
        for code, message in found
    ]


@dataclass(frozen=True, slots=True)
class ModelView:
    """What screening knows of the pre-arrival model for a batch: its version, the bills' scores (in line
    order), the explanations of the bills scoring above ``medium`` (by line index), the score thresholds and
    the exploration share."""

    version: str
    scores: Sequence[float]
    explanations: dict[int, Any]  # line index → learning.ModelExplanation
    high: float
    medium: float
    exploration_share: float
    seed: str = "clearway-cargo"


def model_reason(version: str, explanation: Any, level: str) -> dict[str, Any]:
    top = [c.as_dict() for c in explanation.top]
    said = "; ".join(c["label"] for c in top) or "no single feature stands out"
    return {
        "kind": "model",
        "code": "model",
        "version": version,
        "score": round(explanation.score, 4),
        "level": level,
        "top": top,
        "message": f"pre-arrival model {version}: score {explanation.score:.3f} ({said})",
    }


def screen(
    lines: Sequence[ScreenLine],
    *,
    criteria: Sequence[Criterion],
    watchlists: Sequence[Watchlist],
    context: EvalContext,
    known_consignees: frozenset[str],
    model: ModelView | None = None,
) -> list[Screening]:
    out = []
    for n, line in enumerate(lines):
        record = record_of(line)
        reasons: list[dict[str, Any]] = []
        level = "low"
        for hit in criterion_hits(criteria, [record], context, line.arrival_date):
            reasons.append(hit.reason(True))
            level = max(level, LEVEL_OF_LANE[hit.criterion.spec.lane], key=RANK.__getitem__)
        for watch in watch_hits(watchlists, [record]):
            reason = watch.reason()
            reason["field"] = {"importer": "consignee", "seller": "shipper"}.get(watch.field, watch.field)
            reasons.append(reason)
            level = "high"
        found = indicators(line, known_consignees)
        score = min(1.0, sum(r["weight"] for r in found))
        if model is None:
            level = max(
                level, "high" if score > 0.6 else "medium" if score > 0.3 else "low", key=RANK.__getitem__
            )
        else:
            score = model.scores[n]
            by_model = "high" if score > model.high else "medium" if score > model.medium else "low"
            if by_model != "low":
                reasons.append(model_reason(model.version, model.explanations[n], by_model))
            level = max(level, by_model, key=RANK.__getitem__)
            if level == "low" and draw(model.seed, line.bill) < model.exploration_share:
                level = "medium"
                reasons.append(
                    {
                        "kind": "exploration",
                        "code": "exploration",
                        "message": f"chosen at random for an X-ray ({model.exploration_share:.0%} of the "
                        "bills nothing else selected), so the model keeps learning",
                    }
                )
        out.append(Screening(line.bill, level, score, ACTION[level], tuple(reasons + found)))
    return out
