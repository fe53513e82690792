"""Every table module, imported in one place so the metadata is complete for migrations and tests."""

from __future__ import annotations

import importlib

MODEL_MODULES = (
    "clearway.identity.models",
    "clearway.audit.models",
    "clearway.declaration.models",
    "clearway.messaging.models",
    "clearway.origin.models",
    "clearway.tariff.models",
    "clearway.risk.models",
    "clearway.ipr.models",
    "clearway.assistant.models",
    "clearway.payment.models",
    "clearway.parcel.models",
    "clearway.party.models",
    "clearway.cargo.models",
    "clearway.traveller.models",
    "clearway.records.models",
    "clearway.statistics.models",
    "clearway.classification.models",
)


def import_all_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)
