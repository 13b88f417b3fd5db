"""The supervisor's live board: every agent's state and time in it, every caller waiting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.core.clock import Clock
from hotline.queue import service as queue
from hotline.queue.models import QueueEntry, QueueOutcome
from hotline.seats import service as seats
from hotline.seats.models import CallOffer, OfferState


@dataclass(frozen=True)
class AgentRow:
    """One agent on the board."""

    username: str
    languages: tuple[str, ...]
    state: str
    pause_reason: str | None
    seconds_in_state: int
    call_sid: str | None
    caller: str | None  # the number on the line (or ringing)


@dataclass(frozen=True)
class WaitingRow:
    """One caller waiting for a person."""

    call_sid: str
    number: str
    language: str | None
    waited_seconds: int
    ringing: str | None  # the agent whose phone rings for them now


@dataclass(frozen=True)
class Board:
    """What the board shows, as of `at`."""

    at: datetime
    agents: list[AgentRow]
    waiting: list[WaitingRow]


def live_board(*, session: Session, clock: Clock) -> Board:
    """Agents by username, waiting callers longest wait first."""
    now = clock.now()
    live = {
        offer.entry_id: offer
        for offer in session.scalars(
            select(CallOffer).where(CallOffer.state.in_((OfferState.PENDING, OfferState.RINGING)))
        )
    }
    callers = {
        entry.call_sid: entry.from_number
        for entry in session.scalars(
            select(QueueEntry).where(
                QueueEntry.outcome.in_((QueueOutcome.WAITING, QueueOutcome.ANSWERED)),
                QueueEntry.talk_ended_at.is_(None),
            )
        )
    }
    agents = [
        AgentRow(
            username=seat.user.username,
            languages=seats.languages_of(seat.user),
            state=seat.state,
            pause_reason=seat.pause_reason,
            seconds_in_state=max(0, int((now - seat.since).total_seconds())),
            call_sid=seat.call_sid,
            caller=callers.get(seat.call_sid or ""),
        )
        for seat in seats.list_seats(session=session)
        if seat.user.active
    ]
    waiting = [
        WaitingRow(
            call_sid=entry.call_sid,
            number=entry.from_number,
            language=entry.language,
            waited_seconds=max(0, int((now - entry.enqueued_at).total_seconds())),
            ringing=live[entry.id].user.username if entry.id in live else None,
        )
        for entry in queue.waiting(session=session)
    ]
    return Board(at=now, agents=agents, waiting=waiting)
