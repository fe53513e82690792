"""Issued documents: what was issued under each verification code, and the exact file."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from clearway.db import Base, UTCDateTime


class IssuedDocument(Base):
    __tablename__ = "issued_document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(19), unique=True)  # verification code ABCD-EFGH-JKLM-NPQR
    kind: Mapped[str] = mapped_column(String(30))
    number: Mapped[str] = mapped_column(String(40))
    declaration_id: Mapped[int | None] = mapped_column(ForeignKey("declaration.id"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id"), index=True)
    period: Mapped[str | None] = mapped_column(String(7))  # YYYY-MM, for a monthly statement
    content_sha256: Mapped[str] = mapped_column(String(64))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
