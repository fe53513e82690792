"""A guided classification: the description, the candidates the model gave, and the answers the user chose.

Kept so that the answers are evidence of how the code was reached (and so a client can continue the questions
with the classification's id). The candidates are stored as answered (codes, probabilities, evidence), so a
later model does not change a session already under way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clearway.db import Base, UTCDateTime


class GuidedClassification(Base):
    __tablename__ = "classification_session"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, unguessable
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    model_version: Mapped[str] = mapped_column(String(120))
    top_k: Mapped[int]
    result: Mapped[dict[str, Any]] = mapped_column(
        JSON
    )  # the classifier's answer (all candidates asked over)
    answers: Mapped[list[str]] = mapped_column(JSON)  # the answer ids chosen, in order
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
