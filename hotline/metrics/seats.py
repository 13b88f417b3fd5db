"""Seat figures read from the database: every offered call of a period, tallied by the rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from hotline.calls.models import Call
from hotline.metrics.seat_rules import CallFacts, SeatFigures, tally
from hotline.queue.models import OverflowReason, QueueEntry, QueueOutcome
from hotline.seats.models import CallOffer, OfferState
from hotline.surveys.models import SurveyAttempt
from hotline.tickets.models import Ticket
from hotline.users.models import User

INTAKE_CHANNELS = ("ivr", "voicemail")


@dataclass(frozen=True)
class SeatReport:
    """A period's seat figures: totals, per agent, per local hour, and rings per agent."""

    since: datetime
    until: datetime
    totals: SeatFigures
    agents: dict[str, SeatFigures]
    hours: list[SeatFigures]
    rings: dict[str, tuple[int, int]]  # agent → (rung, missed)

    def as_json(self) -> dict[str, Any]:
        """The shape of GET /api/v1/metrics/seats."""
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            **self.totals.as_json(),
            "per_agent": [
                {
                    "agent": name,
                    "rung": self.rings.get(name, (0, 0))[0],
                    "missed": self.rings.get(name, (0, 0))[1],
                    **figures.as_json(),
                }
                for name, figures in self.agents.items()
            ],
            "per_hour": [{"hour": hour, **f.as_json()} for hour, f in enumerate(self.hours)],
        }


def _seconds(later: datetime | None, earlier: datetime | None) -> float | None:
    if later is None or earlier is None:
        return None
    return max(0.0, (later - earlier).total_seconds())


def seat_report(*, session: Session, since: datetime, until: datetime, timezone: str) -> SeatReport:
    """Tally every inbound call that arrived in [since, until)."""
    zone = ZoneInfo(timezone)
    placed_by_us = select(SurveyAttempt.call_sid).where(SurveyAttempt.call_sid.is_not(None))
    rows = session.execute(
        select(
            Call.started_at,
            QueueEntry.outcome,
            QueueEntry.overflow_reason,
            QueueEntry.wait_seconds,
            Ticket.channel,
            User.username,
            CallOffer.answered_at,
            CallOffer.ended_at,
            CallOffer.wrap_up_ended_at,
        )
        .outerjoin(QueueEntry, QueueEntry.call_id == Call.id)
        .outerjoin(
            CallOffer,
            and_(CallOffer.entry_id == QueueEntry.id, CallOffer.state == OfferState.ANSWERED),
        )
        .outerjoin(User, User.id == CallOffer.user_id)
        .outerjoin(Ticket, Ticket.call_id == Call.id)
        .where(
            Call.started_at >= since,
            Call.started_at < until,
            Call.call_sid.not_in(placed_by_us),
        )
    )
    facts = [
        CallFacts(
            hour=started.astimezone(zone).hour,
            queued=outcome is not None and overflow != OverflowReason.CLOSED,
            answered=outcome == QueueOutcome.ANSWERED,
            abandoned=outcome == QueueOutcome.ABANDONED,
            wait_seconds=float(wait) if wait is not None else None,
            intake_ticket=channel in INTAKE_CHANNELS,
            agent=agent,
            talk_seconds=_seconds(ended, answered_at),
            wrap_up_seconds=_seconds(wrapped, ended),
        )
        for started, outcome, overflow, wait, channel, agent, answered_at, ended, wrapped in rows
    ]
    totals, agents, hours = tally(facts)
    rings = {
        name: (int(rung), int(missed or 0))
        for name, rung, missed in session.execute(
            select(
                User.username,
                func.count(CallOffer.rung_at),
                func.sum(case((CallOffer.state == OfferState.MISSED, 1), else_=0)),
            )
            .join(User, User.id == CallOffer.user_id)
            .where(CallOffer.created_at >= since, CallOffer.created_at < until)
            .group_by(User.username)
        )
    }
    return SeatReport(since, until, totals, agents, hours, rings)
