"""``ClassificationAdvisor``: a warning (and a risk signal) for goods items whose declared code does not fit
their description.

Wire it in :func:`clearway.wiring.filing_steps`::

    FilingSteps(..., advisors=(ClassificationAdvisor(settings.models_dir),))

Two modes:

* ``fast`` (default, for filing throughput): the plausibility check of :mod:`.plausibility` — character
  n-grams against HS6/heading/chapter centroids and a logistic model; about 0.1–0.3 ms per goods item in a
  batch (one sparse product for the whole batch), answers cached per (description, HS6).
* ``full``: the full classifier (ranker, embeddings, Korean morphology); about 15–30 ms per item. An item is
  flagged when its declared HS6 is not among the five best and the best has a confidence of at least
  ``full_min_confidence``.

The model is the served one (``<models_dir>/classification/CURRENT``), loaded once per process and reloaded
when it is retrained. Without a model the advisor gives no advice and never blocks a filing.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from clearway.classification import registry
from clearway.classification.errors import ModelUnavailable
from clearway.classification.model import HSClassifier
from clearway.classification.results import CodeCheck
from clearway.declaration.content import DeclarationContent
from clearway.declaration.steps import Advice, Advisor, FilingContext

log = logging.getLogger(__name__)

ADVICE_CODE = "commodity_code_unlikely"
MODES = ("fast", "full")


def _hs6(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())[:6]


def _dotted(hs6: str) -> str:
    return f"{hs6[:4]}.{hs6[4:]}"


def advice_for(index: int, description: str, check: CodeCheck, mode: str, version: str) -> Advice | None:
    """The warning for one goods item, or None when its code is plausible (pure)."""
    if not check.unlikely or check.risk is None:
        return None
    suggested = [s for s in check.suggestions if s != _hs6(check.code)][:3]
    names = ", ".join(_dotted(s) for s in suggested)
    short = description if len(description) <= 60 else description[:57] + "..."
    return Advice(
        pointer=f"/items/{index}/commodity_code",
        code=ADVICE_CODE,
        message=f"{check.code} is unlikely for '{short}'; the description fits {names} better (HS6)",
        risk_signal=round(min(max(check.risk, 0.0), 1.0), 4),
        details={
            "suggested_hs6": suggested,
            "risk": round(check.risk, 4),
            "mode": mode,
            "model_version": version,
        },
    )


class ClassificationAdvisor(Advisor):
    def __init__(
        self,
        models_dir: Path,
        *,
        mode: str = "fast",
        cache_size: int = 100_000,
        full_min_confidence: float = 0.4,
        model: HSClassifier | None = None,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode is one of {MODES}")
        self.models_dir = models_dir
        self.mode = mode
        self.cache_size = cache_size
        self.full_min_confidence = full_min_confidence
        self._fixed_model = model
        self._cache: OrderedDict[tuple[str, str, str], CodeCheck] = OrderedDict()
        self._lock = threading.Lock()
        self._warned = False

    def _model(self) -> HSClassifier | None:
        if self._fixed_model is not None:
            return self._fixed_model
        try:
            return registry.served_model(self.models_dir)
        except ModelUnavailable as exc:
            if not self._warned:
                log.warning("classification advice is off: %s", exc.detail)
                self._warned = True
            return None

    # ------------------------------------------------------------------------------------------------ batch
    def prepare(self, session: Session, contents: list[DeclarationContent]) -> None:
        """Before a batch: check every goods item of every declaration at once (fills the cache)."""
        model = self._model()
        if model is None:
            return
        pairs = [(item.description, item.commodity_code) for c in contents for item in c.items]
        self.checks(model, pairs)

    def checks(self, model: HSClassifier, pairs: Sequence[tuple[str, str]]) -> list[CodeCheck]:
        version = getattr(model, "version_", "")
        keys = [(version, d, _hs6(c)) for d, c in pairs]
        with self._lock:
            missing = [i for i, k in enumerate(keys) if k not in self._cache]
        if missing:
            todo = list(dict.fromkeys(keys[i] for i in missing))
            found = self._check(model, [(k[1], k[2]) for k in todo])
            with self._lock:
                for key, check in zip(todo, found, strict=True):
                    self._cache[key] = check
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        out = []
        with self._lock:
            for (description, code), key in zip(pairs, keys, strict=True):
                cached = self._cache.get(key)
                # evicted meanwhile by a huge batch: check it alone
                got = cached if cached is not None else self._check(model, [(description, _hs6(code))])[0]
                out.append(CodeCheck(code, got.risk, got.unlikely, got.suggestions, got.reason))
        return out

    def _check(self, model: HSClassifier, pairs: list[tuple[str, str]]) -> list[CodeCheck]:
        descriptions, codes = [d for d, _ in pairs], [c for _, c in pairs]
        if self.mode == "fast":
            return model.check_codes(descriptions, codes)
        results = model.classify(descriptions, top_k=5, evidence=0)
        out = []
        for code, result in zip(codes, results, strict=True):
            if result.declined or not result.candidates:
                out.append(CodeCheck(code, None, False, [], reason="declined"))
                continue
            ranking = result.hs6_ranking
            best = result.candidates[0].confidence
            unlikely = code not in ranking and best >= self.full_min_confidence
            out.append(CodeCheck(code, best if code not in ranking else 0.0, unlikely, ranking[:3]))
        return out

    # ------------------------------------------------------------------------------------------------ advice
    def advise(self, session: Session, content: DeclarationContent, context: FilingContext) -> list[Advice]:
        model = self._model()
        if model is None:
            return []
        try:
            found = self.checks(model, [(item.description, item.commodity_code) for item in content.items])
        except Exception:
            log.exception("classification advice failed for declaration %s", context.declaration_id)
            return []
        version = getattr(model, "version_", "")
        advice = []
        for index, (item, check) in enumerate(zip(content.items, found, strict=True)):
            a = advice_for(index, item.description, check, self.mode, version)
            if a is not None:
                advice.append(a)
        return advice
