"""The agent queue: who waits, how waits end, and bridging the next caller to an agent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.calls.models import Call
from hotline.core.clock import Clock
from hotline.core.persistence import get_or_insert
from hotline.queue.models import OverflowReason, QueueEntry, QueueOutcome

# Twilio's QueueResult values → how the wait ended.
RESULTS = {
    "bridged": QueueOutcome.ANSWERED,
    "bridging-in-process": QueueOutcome.ANSWERED,
    "hangup": QueueOutcome.ABANDONED,
    "leave": QueueOutcome.VOICEMAIL,
    "redirected": QueueOutcome.VOICEMAIL,
    "queue-full": QueueOutcome.VOICEMAIL,
    "error": QueueOutcome.VOICEMAIL,
    "system-error": QueueOutcome.VOICEMAIL,
}


def get_entry(*, session: Session, call_sid: str) -> QueueEntry | None:
    """The queue entry of a call, if it ever waited."""
    return session.scalar(select(QueueEntry).where(QueueEntry.call_sid == call_sid))


def enqueue(*, session: Session, clock: Clock, call: Call) -> QueueEntry:
    """Note that a caller started waiting (once per call, however often Twilio retries)."""

    def build() -> QueueEntry:
        return QueueEntry(
            call_id=call.id,
            call_sid=call.call_sid,
            from_number=call.from_number,
            language=call.language,
            outcome=QueueOutcome.WAITING,
            enqueued_at=clock.now(),
        )

    entry, _ = get_or_insert(
        session=session,
        find=lambda: get_entry(session=session, call_sid=call.call_sid),
        build=build,
    )
    return entry


def finish(
    *, session: Session, clock: Clock, call_sid: str, result: str, queue_seconds: int | None
) -> QueueEntry | None:
    """Record how the wait ended; the first ending wins over later deliveries."""
    entry = get_entry(session=session, call_sid=call_sid)
    if entry is None or entry.outcome != QueueOutcome.WAITING:
        return entry
    entry.outcome = RESULTS.get(result, QueueOutcome.VOICEMAIL)
    now = clock.now()
    entry.left_at = now
    waited = int((now - entry.enqueued_at).total_seconds())
    entry.wait_seconds = queue_seconds if queue_seconds is not None else max(0, waited)
    return entry


def answered(*, entry: QueueEntry, clock: Clock, agent: str) -> None:
    """A person took the call: the wait is over."""
    now = clock.now()
    entry.outcome = QueueOutcome.ANSWERED
    entry.answered_by = agent
    entry.answered_at = now
    entry.left_at = now
    entry.wait_seconds = max(0, int((now - entry.enqueued_at).total_seconds()))


def overflow(*, entry: QueueEntry, clock: Clock, reason: OverflowReason) -> None:
    """The caller goes on to the IVR intake instead of waiting (first ending wins)."""
    if entry.outcome != QueueOutcome.WAITING:
        return
    now = clock.now()
    entry.outcome = QueueOutcome.OVERFLOW
    entry.overflow_reason = reason
    entry.left_at = now
    entry.wait_seconds = max(0, int((now - entry.enqueued_at).total_seconds()))


def position(*, session: Session, entry: QueueEntry) -> int:
    """The caller's place in line among callers of the same language (1 = next)."""
    ahead = session.scalar(
        select(func.count(QueueEntry.id)).where(
            QueueEntry.outcome == QueueOutcome.WAITING,
            QueueEntry.language == entry.language,
            (QueueEntry.enqueued_at < entry.enqueued_at)
            | ((QueueEntry.enqueued_at == entry.enqueued_at) & (QueueEntry.id < entry.id)),
        )
    )
    return int(ahead or 0) + 1


def caller_gone(*, session: Session, clock: Clock, call_sid: str) -> None:
    """The call ended while still waiting (no queue result arrived): a missed call."""
    finish(session=session, clock=clock, call_sid=call_sid, result="hangup", queue_seconds=None)


def waiting(*, session: Session) -> Sequence[QueueEntry]:
    """Callers waiting now, longest wait first."""
    return session.scalars(
        select(QueueEntry)
        .where(QueueEntry.outcome == QueueOutcome.WAITING)
        .order_by(QueueEntry.enqueued_at, QueueEntry.id)
    ).all()


def missed(*, session: Session, since: datetime) -> Sequence[QueueEntry]:
    """Callers who gave up waiting since a moment, newest first."""
    return session.scalars(
        select(QueueEntry)
        .where(QueueEntry.outcome == QueueOutcome.ABANDONED, QueueEntry.enqueued_at >= since)
        .order_by(QueueEntry.enqueued_at.desc())
    ).all()
