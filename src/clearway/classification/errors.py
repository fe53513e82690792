"""Errors of the classification domain."""

from __future__ import annotations

from clearway.errors import ServiceUnavailable


class ModelUnavailable(ServiceUnavailable):
    """No trained classification model at the configured place, or one this installation cannot read."""

    type = "classification-model-unavailable"
    title = "The HS classification model is not available"
