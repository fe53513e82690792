"""The learned risk model: gradient-boosted trees (LightGBM) over :mod:`clearway.risk.features`.

Shaped as a scikit-learn estimator: ``__init__`` stores hyperparameters, ``fit(records, outcomes)`` learns and
returns ``self``, learned attributes end in ``_``. Scores are the probability that a check finds an
irregularity; :meth:`RiskModel.explain` gives each score's largest positive contributions (TreeSHAP via
LightGBM ``pred_contrib``) in words an officer reads.

Model files (one gzip JSON per version) carry the format version, the booster, the feature code's vocabulary
and the history state, the training-data fingerprint and metrics. A file of another format version is
refused with :class:`ModelFileError`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
from sklearn.base import BaseEstimator

from clearway.errors import ClearwayError
from clearway.risk.features import DEFAULT_GROUPS, FeatureBuilder
from clearway.risk.history import HistoryState
from clearway.risk.records import RECORD_FIELDS, Outcome, RiskRecord

MODEL_FORMAT = "clearway-risk-model"
FORMAT_VERSION = 1


class ModelFileError(ClearwayError):
    type = "risk-model-file"
    title = "The risk model file cannot be used"
    status = 422


class NotEnoughOutcomes(ClearwayError):
    type = "risk-not-enough-outcomes"
    title = "Not enough inspection outcomes to train a risk model"
    status = 422


@dataclass(frozen=True, slots=True)
class Contribution:
    feature: str
    label: str
    value: float | None
    contribution: float  # log-odds added to the score

    def as_dict(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "label": self.label,
            "value": self.value,
            "contribution": round(self.contribution, 4),
        }


@dataclass(frozen=True, slots=True)
class Explanation:
    score: float
    top: list[Contribution]
    fallbacks: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 6),
            "top": [c.as_dict() for c in self.top],
            "fallbacks": self.fallbacks,
        }


class RiskModel(BaseEstimator):
    """LightGBM on the risk features. Defaults are the ones chosen on the 2021 Q1 validation split."""

    def __init__(
        self,
        groups: Sequence[str] = DEFAULT_GROUPS,
        smoothing: float = 10.0,
        n_estimators: int = 300,
        learning_rate: float = 0.05,
        num_leaves: int = 15,
        min_child_samples: int = 20,
        colsample_bytree: float = 0.5,
        subsample: float = 1.0,
        reg_lambda: float = 0.0,
        critical_weight: float = 5.0,
        random_state: int = 0,
        n_jobs: int = 1,
    ) -> None:
        self.groups = groups
        self.smoothing = smoothing
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_child_samples = min_child_samples
        self.colsample_bytree = colsample_bytree
        self.subsample = subsample
        self.reg_lambda = reg_lambda
        self.critical_weight = critical_weight
        self.random_state = random_state
        self.n_jobs = n_jobs

    # -- learning --------------------------------------------------------------------------------------------
    def _lgb_params(self, n_rows: int) -> dict[str, Any]:
        return {
            "objective": "binary",
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            # small training sets (the demo's history) must still be able to split
            "min_data_in_leaf": max(1, min(self.min_child_samples, n_rows // 20)),
            "min_data_in_bin": 1 if n_rows < 1000 else 3,
            "feature_fraction": self.colsample_bytree,
            "bagging_fraction": self.subsample,
            "bagging_freq": 1 if self.subsample < 1.0 else 0,
            "lambda_l2": self.reg_lambda,
            "seed": self.random_state,
            "deterministic": True,
            "num_threads": self.n_jobs,
            "verbosity": -1,
        }

    def fit(
        self,
        records: Sequence[RiskRecord],
        outcomes: Sequence[Outcome | None],
        base_rate: tuple[float, float] | None = None,
    ) -> RiskModel:
        """Learn from the labelled records. A record whose outcome is ``None`` was never checked: it counts
        for the commodity reference and the category codes only, never as a training row. ``base_rate``: the
        population's finding and critical rates from an unbiased sample, the prior of the history rates
        (default: the finding rate of the outcomes themselves)."""
        if len(records) != len(outcomes):
            raise ValueError("records and outcomes differ in length")
        labels = [o for o in outcomes if o is not None]
        y = np.array([o.fraud for o in labels], dtype=np.float64)
        if len(labels) < 10 or y.sum() == 0 or y.sum() == len(y):
            raise NotEnoughOutcomes(
                f"{len(labels)} checked declaration(s), {int(y.sum())} with a finding: a model needs at "
                "least 10 "
                "and both declarations with and without findings",
                checked=len(labels),
                with_finding=int(y.sum()),
            )
        builder = FeatureBuilder(self.groups, self.smoothing).fit(records)
        if len(labels) == len(outcomes) and base_rate is None:
            X, state = builder.training_matrix(records, outcomes)
        else:
            X, _, state = builder.labelled_matrix(records, outcomes, base_rate)
        weight = np.array([self.critical_weight if (o.fraud and o.critical) else 1.0 for o in labels])
        data = lgb.Dataset(
            X, y, weight=weight, feature_name=builder.names, free_raw_data=True, params={"verbosity": -1}
        )
        self.booster_ = lgb.train(self._lgb_params(len(labels)), data, num_boost_round=self.n_estimators)
        self.builder_ = builder
        self.state_ = state
        self.n_train_ = len(labels)
        self.positive_rate_ = float(y.mean())
        return self

    # -- scoring ---------------------------------------------------------------------------------------------
    def _check(self) -> None:
        if not hasattr(self, "booster_"):
            raise ModelFileError("this risk model is not trained")

    def features(self, records: Sequence[RiskRecord]) -> np.ndarray:
        self._check()
        return self.builder_.matrix(records, self.state_)

    def score(self, records: Sequence[RiskRecord]) -> np.ndarray:
        """Probability of a finding for each record, from the model's frozen history."""
        if not records:
            return np.zeros(0)
        return np.asarray(self.booster_.predict(self.features(records), num_threads=self.n_jobs))

    def predict_proba(self, records: Sequence[RiskRecord]) -> np.ndarray:
        p = self.score(records)
        return np.column_stack([1.0 - p, p])

    def explain(self, records: Sequence[RiskRecord], top: int = 3) -> list[Explanation]:
        """Each record's score and the ``top`` features that raised it most (TreeSHAP contributions)."""
        if not records:
            return []
        X = self.features(records)
        contrib = np.asarray(self.booster_.predict(X, pred_contrib=True, num_threads=self.n_jobs))
        raw = contrib.sum(axis=1)
        scores = 1.0 / (1.0 + np.exp(-raw))
        out = []
        names = self.builder_.names
        for i, record in enumerate(records):
            c = contrib[i, :-1]
            order = np.argsort(-c, kind="stable")[:top]
            items = [
                Contribution(
                    names[j],
                    self.builder_.describe(names[j]).label,
                    None if np.isnan(X[i, j]) else float(X[i, j]),
                    float(c[j]),
                )
                for j in order
                if c[j] > 0
            ]
            out.append(Explanation(float(scores[i]), items, self.builder_.fallbacks(record, self.state_)))
        return out

    # -- persistence -----------------------------------------------------------------------------------------
    def to_document(self) -> dict[str, Any]:
        self._check()
        params = self.get_params()
        params["groups"] = list(params["groups"])
        return {
            "format": MODEL_FORMAT,
            "format_version": FORMAT_VERSION,
            "lightgbm_version": lgb.__version__,
            "params": params,
            "features": self.builder_.to_json(),
            "feature_names": self.builder_.names,
            "state": self.state_.to_json(),
            "n_train": self.n_train_,
            "positive_rate": self.positive_rate_,
            "booster": self.booster_.model_to_string(),
        }

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> RiskModel:
        if not isinstance(doc, dict) or doc.get("format") != MODEL_FORMAT:
            raise ModelFileError("not a Clearway risk model file")
        if doc.get("format_version") != FORMAT_VERSION:
            raise ModelFileError(
                f"risk model file format version {doc.get('format_version')!r}; this Clearway reads version "
                f"{FORMAT_VERSION} — retrain with `clearway risk train`",
                found=doc.get("format_version"),
                expected=FORMAT_VERSION,
            )
        try:
            model = cls(**doc["params"])
            model.builder_ = FeatureBuilder.from_json(doc["features"])
            if model.builder_.names != doc["feature_names"]:
                raise ModelFileError(
                    "the model's features differ from this Clearway's feature code; retrain it"
                )
            model.state_ = HistoryState.from_json(doc["state"])
            model.booster_ = lgb.Booster(model_str=doc["booster"])
            model.n_train_ = int(doc["n_train"])
            model.positive_rate_ = float(doc["positive_rate"])
        except ModelFileError:
            raise
        except (KeyError, TypeError, ValueError, lgb.basic.LightGBMError) as exc:
            raise ModelFileError(f"the risk model file is damaged: {exc}") from None
        if model.booster_.num_feature() != len(model.builder_.names):
            raise ModelFileError("the booster and the feature list disagree; retrain the model")
        return model


def write_model_file(path: Path, document: dict[str, Any]) -> str:
    """Write a model document (gzip JSON); returns the file's sha256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = gzip.compress(json.dumps(document, separators=(",", ":")).encode("utf-8"), mtime=0)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return hashlib.sha256(data).hexdigest()


def read_model_file(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ModelFileError(f"no risk model file at {path}") from None
    try:
        return json.loads(gzip.decompress(raw).decode("utf-8"))
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFileError(f"{path.name} is not a readable risk model file ({exc})") from None


def fingerprint(records: Sequence[RiskRecord], outcomes: Sequence[Outcome]) -> str:
    """sha256 over the training data in a canonical form (same data → same fingerprint, whatever its
    source)."""
    h = hashlib.sha256()
    h.update(json.dumps(RECORD_FIELDS).encode("utf-8"))
    for r, o in zip(records, outcomes, strict=True):
        values = [getattr(r, name) for name in RECORD_FIELDS]
        values += [o.fraud, o.critical, str(o.additional_duty_krw), o.known_on]
        h.update(json.dumps(values, default=str).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()
