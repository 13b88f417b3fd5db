"""Column helpers shared by every domain's models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class NaiveDatetimeError(ValueError):
    """A datetime without a zone reached the database; its meaning would depend on the server."""


class UTCDateTime(TypeDecorator[datetime]):
    """Stores an instant in UTC and hands it back aware (UTC) on every backend.

    PostgreSQL keeps `timestamptz`; SQLite has no zones and compares datetimes as text, so every
    value is written there as naive UTC text in one format and bounds compare correctly.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        """Refuse naive values; convert aware ones to UTC (naive UTC text on SQLite)."""
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise NaiveDatetimeError(f"naive datetime {value.isoformat()} has no time zone")
        moment = value.astimezone(UTC)
        return moment.replace(tzinfo=None) if dialect.name == "sqlite" else moment

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """An aware UTC datetime, whatever the backend returned."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def timestamp(nullable: bool = False) -> Mapped[datetime]:
    """A UTC timestamp column (values come from the injected clock)."""
    return mapped_column(UTCDateTime(), nullable=nullable)
