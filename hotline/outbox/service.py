"""Write jobs into the outbox and hand them to the relay."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select, update
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


def _unsettled_before(moment: datetime) -> list[ColumnElement[bool]]:
    """Handed over before `moment` and not yet seen finished."""
    return [
        OutboxMessage.settled_at.is_(None),
        OutboxMessage.enqueued_at.is_not(None),
        OutboxMessage.enqueued_at < moment,
    ]


def unsettled(
    *, session: Session, enqueued_before: datetime, after_id: int = 0, limit: int = 500
) -> list[tuple[int, str]]:
    """(id, job_id) of handed-over jobs not yet seen finished, in id order after `after_id`."""
    query = (
        select(OutboxMessage.id, OutboxMessage.job_id)
        .where(*_unsettled_before(enqueued_before), OutboxMessage.id > after_id)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return [(row.id, row.job_id) for row in session.execute(query)]


def settle_stale(*, session: Session, enqueued_before: datetime, at: datetime) -> int:
    """Stop looking up jobs handed over before `enqueued_before` (their records have expired)."""
    result = session.execute(
        update(OutboxMessage).where(*_unsettled_before(enqueued_before)).values(settled_at=at)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def settle(*, session: Session, ids: list[int], at: datetime) -> None:
    """The queue finished (or failed for good) with these jobs."""
    if ids:
        session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(settled_at=at)
        )


def reissue(*, session: Session, ids: list[int], reason: str) -> None:
    """The queue lost these jobs (a Redis restart): the relay hands them over again."""
    if ids:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.settled_at.is_(None))
            .values(enqueued_at=None, last_error=reason[:2000])
        )
