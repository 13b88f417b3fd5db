"""Write jobs into the outbox and hand them to the relay."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.core.clock import Clock
from hotline.outbox.models import OutboxMessage


def add(
    *,
    session: Session,
    clock: Clock,
    job_id: str,
    queue: str,
    function: str,
    args: list[Any],
) -> OutboxMessage:
    """Record a job in the current transaction; a second add of the same job_id is a no-op."""
    existing = session.scalar(select(OutboxMessage).where(OutboxMessage.job_id == job_id))
    if existing is not None:
        return existing
    message = OutboxMessage(
        job_id=job_id, queue=queue, function=function, args=args, created_at=clock.now()
    )
    session.add(message)
    session.flush()
    return message


def list_pending(*, session: Session, limit: int = 100) -> list[OutboxMessage]:
    """Oldest messages not yet handed to the queue."""
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.enqueued_at.is_(None))
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def mark_enqueued(*, session: Session, message: OutboxMessage, at: datetime) -> None:
    """The queue holds this job now."""
    message.enqueued_at = at
    message.attempts += 1
    message.last_error = None


def mark_failed(*, session: Session, message: OutboxMessage, error: str) -> None:
    """Handing over failed; the relay tries again on its next pass."""
    message.attempts += 1
    message.last_error = error[:2000]
