"""Column helpers shared by every domain's models."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, mapped_column


def timestamp(nullable: bool = False) -> Mapped[datetime]:
    """A timezone-aware timestamp column (values come from the injected clock)."""
    return mapped_column(DateTime(timezone=True), nullable=nullable)
