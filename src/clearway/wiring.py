"""Which implementation fills each pluggable filing step. The one place the domains are composed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from clearway.assessment.step import TariffAssessment
from clearway.assistant.model_store import build_models as build_assistant_models
from clearway.cargo.step import ManifestHold
from clearway.classification.setup import build_models as build_classification_models
from clearway.classification.shipping import without_index as classification_without_index
from clearway.classification.step import ClassificationAdvisor
from clearway.config import Settings
from clearway.declaration.steps import FilingSteps
from clearway.ipr.step import IprAdvisor
from clearway.origin.verification import CertificateVerifier
from clearway.risk.learning.modelops import build_models as build_risk_models
from clearway.risk.step import RiskLaneSelector

# (name, function that builds or checks the model and says what it did) — run by `clearway setup-models`.
MODEL_BUILDERS: list[tuple[str, Callable[[Settings], str]]] = [
    ("risk", build_risk_models),
    ("classification", build_classification_models),
    ("assistant", build_assistant_models),
]

# The models too long to build at every set-up, shipped in the package by `clearway ship-models`: kind, and
# the form a model file is shipped in (None: as built).
SHIPPED_MODELS: list[tuple[str, Callable[[Path], bytes] | None]] = [
    ("classification", classification_without_index),
    ("assistant", None),
]


def filing_steps(settings: Settings, clock: Callable[[], datetime]) -> FilingSteps:
    """Assessment by the tariff in the database (FTA rates only for verified certificates of origin), a warning
    where a declared code is unlikely for its description, then risk selection by the analysts' criteria, the
    promoted model and a random share; an import whose bill is on no manifest yet is held until one carries it."""
    return FilingSteps(
        assessment=TariffAssessment(verifier=CertificateVerifier(clock=clock)),
        advisors=(ClassificationAdvisor(settings.models_dir), IprAdvisor()),
        lane_selector=RiskLaneSelector(settings.models_dir, clock=clock),
        hold_checks=(ManifestHold(),),
    )
