"""Sign-in with attempt limits: too many failures lock a name or a client for a while."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.audit.models import LoginAttempt
from hotline.core.clock import Clock
from hotline.users import service as users
from hotline.users.models import User

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_CLIENT = 20


class TooManyAttempts(RuntimeError):
    """Sign-in is paused for this name or address; the message says for how long."""


def locked_out(*, name_failures: int, client_failures: int) -> bool:
    """Whether recent failures are enough to refuse another try."""
    return name_failures >= MAX_FAILURES_PER_NAME or client_failures >= MAX_FAILURES_PER_CLIENT


def _failures(session: Session, since: datetime, **where: str) -> int:
    query = select(func.count()).where(
        LoginAttempt.created_at >= since, LoginAttempt.succeeded.is_(False)
    )
    for column, value in where.items():
        query = query.where(getattr(LoginAttempt, column) == value)
    return session.scalar(query) or 0


def sign_in(
    *, session: Session, clock: Clock, username: str, password: str, client: str
) -> User | None:
    """The user if the password matches; None if not; TooManyAttempts when locked out."""
    now = clock.now()
    username = username.strip().lower()[:64]
    client = client[:64]
    since = now - WINDOW
    if locked_out(
        name_failures=_failures(session, since, username=username),
        client_failures=_failures(session, since, client=client),
    ):
        raise TooManyAttempts(
            f"too many failed sign-ins; try again in {int(WINDOW.total_seconds() // 60)} minutes"
        )
    user = users.authenticate(session=session, clock=clock, username=username, password=password)
    session.add(
        LoginAttempt(username=username, client=client, succeeded=user is not None, created_at=now)
    )
    return user
