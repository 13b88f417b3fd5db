"""Console sign-in sessions stored server-side, so sign-out and disabling end them at once."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from hotline.core.clock import Clock
from hotline.users.models import ConsoleSession, User

IDLE_LIMIT = timedelta(hours=12)


def open_session(*, session: Session, clock: Clock, user: User) -> ConsoleSession:
    """A fresh session with its own random id and CSRF token."""
    now = clock.now()
    row = ConsoleSession(
        id=secrets.token_urlsafe(32),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
    )
    session.add(row)
    session.flush()
    return row


def current(*, session: Session, clock: Clock, session_id: str) -> ConsoleSession | None:
    """The live session for an id: not idle too long, its user still active."""
    row = session.get(ConsoleSession, session_id)
    if row is None:
        return None
    now = clock.now()
    if now - row.last_seen_at > IDLE_LIMIT or not row.user.active:
        session.delete(row)
        return None
    if now - row.last_seen_at > timedelta(minutes=1):
        row.last_seen_at = now
    return row


def close_session(*, session: Session, session_id: str) -> None:
    """Sign out one browser."""
    session.execute(delete(ConsoleSession).where(ConsoleSession.id == session_id))


def close_all(*, session: Session, user: User) -> None:
    """Sign a user out everywhere (on disable or password change)."""
    session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))
