"""Dashboard figures read from the database within an actor's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from hotline.calls.models import Call
from hotline.grids.models import OrgUnit, UnitLevel
from hotline.metrics.rules import TeamFigures, ranking, rate
from hotline.queue.models import QueueEntry, QueueOutcome
from hotline.tickets.models import Ticket
from hotline.tickets.queries import OPEN, WORKING
from hotline.users.access import ticket_scope
from hotline.users.permissions import Actor

ANSWER_TARGET_SECONDS = 15


@dataclass(frozen=True)
class Dashboard:
    """What the dashboard shows."""

    calls_today: int
    calls_per_hour: list[int]
    open_by_status: dict[str, int]
    overdue: int
    queue_ended: int
    answer_rate: float | None
    answered_within_target_rate: float | None
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    teams: list[TeamFigures]
    best: list[TeamFigures]
    worst: list[TeamFigures]
    period_days: int


def _local_midnight(now: datetime, timezone: str) -> datetime:
    local = now.astimezone(ZoneInfo(timezone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def calls_by_hour(*, session: Session, now: datetime, timezone: str) -> list[int]:
    """Inbound calls in each local hour of today."""
    start = _local_midnight(now, timezone)
    hours = [0] * 24
    stamps = session.scalars(
        select(Call.started_at).where(Call.started_at >= start, Call.started_at <= now)
    ).all()
    zone = ZoneInfo(timezone)
    for stamp in stamps:
        hours[stamp.astimezone(zone).hour] += 1
    return hours


def team_figures(
    *, session: Session, actor: Actor, since: datetime, now: datetime
) -> list[TeamFigures]:
    """Counts per grid team for tickets dispatched since a moment."""
    decided = and_(
        Ticket.response_due_at.is_not(None),
        (Ticket.accepted_at.is_not(None)) | (Ticket.response_due_at < now),
    )
    in_time = and_(Ticket.accepted_at.is_not(None), Ticket.accepted_at <= Ticket.response_due_at)
    overdue = and_(Ticket.status.in_(WORKING), Ticket.due_at < now)
    stmt = (
        select(
            OrgUnit.code,
            OrgUnit.name_zh,
            func.count(Ticket.id),
            func.sum(case((in_time, 1), else_=0)),
            func.sum(case((decided, 1), else_=0)),
            func.sum(case((overdue, 1), else_=0)),
        )
        .join(OrgUnit, OrgUnit.id == Ticket.team_id)
        .where(Ticket.dispatched_at >= since, OrgUnit.level == UnitLevel.GRID)
        .group_by(OrgUnit.code, OrgUnit.name_zh)
    )
    scope = ticket_scope(actor)
    if scope is not None:
        stmt = stmt.where(scope)
    return [
        TeamFigures(
            code=code,
            name=name,
            dispatched=dispatched,
            responded_in_time=int(ok or 0),
            response_decided=int(dec or 0),
            overdue=int(late or 0),
        )
        for code, name, dispatched, ok, dec, late in session.execute(stmt)
    ]


def dashboard(
    *, session: Session, actor: Actor, now: datetime, timezone: str, days: int = 30
) -> Dashboard:
    """Today's calls, open work, and the rates over the last `days` days."""
    scope = ticket_scope(actor)
    by_status = (
        select(Ticket.status, func.count()).where(Ticket.status.in_(OPEN)).group_by(Ticket.status)
    )
    overdue = select(func.count()).where(Ticket.status.in_(WORKING), Ticket.due_at < now)
    if scope is not None:
        by_status = by_status.where(scope)
        overdue = overdue.where(scope)
    hours = calls_by_hour(session=session, now=now, timezone=timezone)
    start = _local_midnight(now, timezone)
    queue = session.execute(
        select(
            func.count(),
            func.sum(case((QueueEntry.outcome == QueueOutcome.ANSWERED, 1), else_=0)),
            func.sum(
                case(
                    (
                        and_(
                            QueueEntry.outcome == QueueOutcome.ANSWERED,
                            QueueEntry.wait_seconds <= ANSWER_TARGET_SECONDS,
                        ),
                        1,
                    ),
                    else_=0,
                )
            ),
        ).where(QueueEntry.enqueued_at >= start, QueueEntry.outcome != QueueOutcome.WAITING)
    ).one()
    ended, answered, quick = queue[0], int(queue[1] or 0), int(queue[2] or 0)
    teams = team_figures(session=session, actor=actor, since=now - timedelta(days=days), now=now)
    best, worst = ranking(teams)
    return Dashboard(
        calls_today=sum(hours),
        calls_per_hour=hours,
        open_by_status={status: count for status, count in session.execute(by_status)},
        overdue=session.scalar(overdue) or 0,
        queue_ended=ended,
        answer_rate=rate(answered, ended),
        answered_within_target_rate=rate(quick, ended),
        response_rate=rate(
            sum(t.responded_in_time for t in teams), sum(t.response_decided for t in teams)
        ),
        resolution_rate=None,
        satisfaction_rate=None,
        teams=sorted(teams, key=lambda t: t.code),
        best=best,
        worst=worst,
        period_days=days,
    )
