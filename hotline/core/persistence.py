"""Insert-or-fetch helpers that stay correct when Twilio delivers twice at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

T = TypeVar("T")


def get_or_insert(
    *, session: Session, find: Callable[[], T | None], build: Callable[[], T]
) -> tuple[T, bool]:
    """Return (row, created): find the row, else insert it in a savepoint; a racing insert wins."""
    existing = find()
    if existing is not None:
        return existing, False
    try:
        with session.begin_nested():
            row = build()
            session.add(row)
            session.flush()
        return row, True
    except IntegrityError:
        found = find()
        if found is None:
            raise
        return found, False
