"""The judged figures read from the database: per grid team, community, town or category."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from hotline.calls.models import Call
from hotline.extensions.models import TicketExtension
from hotline.grids import service as grids
from hotline.grids.models import OrgUnit, UnitLevel
from hotline.kb.figures import KbFigures, kb_figures
from hotline.metrics.rules import NO_GROUP, NO_GROUP_NAME, TeamFigures, ranking
from hotline.metrics.seats import SeatReport, seat_report
from hotline.surveys.models import Survey, SurveyKind, SurveyStatus
from hotline.surveys.rules import SATISFIED_SCORES
from hotline.tickets.models import Ticket, TicketEvent
from hotline.tickets.queries import OPEN, WORKING
from hotline.tickets.transitions import TicketAction
from hotline.users.access import ticket_scope
from hotline.users.permissions import SYSTEM_ACTOR, Actor

GROUPS = ("team", "community", "town", "category")
UP_TO_NOW = timedelta(seconds=1)  # a window ending "now" includes what happened this instant


@dataclass(frozen=True)
class Dashboard:
    """What the dashboard shows."""

    calls_today: int
    calls_per_hour: list[int]
    open_by_status: dict[str, int]
    overdue: int
    seats: SeatReport  # today, the whole centre (calls have no area)
    kb: KbFigures  # today, the whole centre
    totals: TeamFigures
    teams: list[TeamFigures]
    best: list[TeamFigures]
    worst: list[TeamFigures]
    period_days: int

    @property
    def response_rate(self) -> float | None:
        """Over the period, every team together."""
        return self.totals.response_rate

    @property
    def resolution_rate(self) -> float | None:
        """Over the period, every team together."""
        return self.totals.resolution_rate

    @property
    def satisfaction_rate(self) -> float | None:
        """Over the period, every team together."""
        return self.totals.satisfaction_rate


def _local_midnight(now: datetime, timezone: str) -> datetime:
    local = now.astimezone(ZoneInfo(timezone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def calls_by_hour(*, session: Session, now: datetime, timezone: str) -> list[int]:
    """Inbound calls in each local hour of today."""
    start = _local_midnight(now, timezone)
    hours = [0] * 24
    stamps = session.scalars(
        select(Call.started_at).where(
            Call.started_at >= start, Call.started_at <= now, Call.intent.is_distinct_from("survey")
        )
    ).all()
    zone = ZoneInfo(timezone)
    for stamp in stamps:
        hours[stamp.astimezone(zone).hour] += 1
    return hours


def _count(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _units(session: Session) -> dict[int, OrgUnit]:
    """Every org unit by id (a few hundred), loaded once per report."""
    return {unit.id: unit for unit in session.scalars(select(OrgUnit)).all()}


def figures(
    *,
    session: Session,
    since: datetime,
    until: datetime,
    now: datetime,
    group: str = "team",
    actor: Actor = SYSTEM_ACTOR,
) -> list[TeamFigures]:
    """Counts behind the three rates, grouped; definitions in docs/rates.md.

    A ticket is judged against the grid team it was first dispatched to.
    """
    if group not in GROUPS:
        raise ValueError(f"group must be one of {', '.join(GROUPS)}")
    judged = func.coalesce(Ticket.first_team_id, Ticket.team_id)
    in_period = and_(Ticket.dispatched_at >= since, Ticket.dispatched_at < until)
    decided = and_(
        in_period,
        Ticket.response_due_at.is_not(None),
        Ticket.accepted_at.is_not(None) | (Ticket.response_due_at < until),
    )
    in_time = and_(decided, Ticket.accepted_at <= Ticket.response_due_at)
    completion = and_(
        in_period,
        Ticket.due_at.is_not(None),
        Ticket.resolved_at.is_not(None) | (Ticket.due_at < until),
    )
    on_time = and_(completion, Ticket.resolved_at <= Ticket.due_at)
    tickets = select(
        judged,
        Ticket.category,
        _count(and_(Ticket.created_at >= since, Ticket.created_at < until)),
        _count(in_period),
        _count(in_time),
        _count(decided),
        _count(and_(Ticket.status.in_(WORKING), Ticket.due_at < now)),
        _count(completion),
        _count(on_time),
    ).group_by(judged, Ticket.category)
    done = and_(
        Survey.kind == SurveyKind.CLOSURE,
        Survey.status == SurveyStatus.COMPLETED,
        Survey.completed_at >= since,
        Survey.completed_at < until,
    )
    surveys = (
        select(
            judged,
            Ticket.category,
            _count(Survey.solved.is_not(None)),
            _count(Survey.solved == "yes"),
            _count(Survey.score.is_not(None)),
            _count(Survey.score.in_(SATISFIED_SCORES)),
        )
        .join(Ticket, Ticket.id == Survey.ticket_id)
        .where(done)
        .group_by(judged, Ticket.category)
    )
    extensions = (
        select(TicketExtension.unit_id, Ticket.category, func.count())
        .join(Ticket, Ticket.id == TicketExtension.ticket_id)
        .where(TicketExtension.requested_at >= since, TicketExtension.requested_at < until)
        .group_by(TicketExtension.unit_id, Ticket.category)
    )
    returns = (
        select(TicketEvent.unit_id, Ticket.category, func.count())
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(
            TicketEvent.action == TicketAction.RETURN,
            TicketEvent.created_at >= since,
            TicketEvent.created_at < until,
        )
        .group_by(TicketEvent.unit_id, Ticket.category)
    )
    scope = ticket_scope(actor)
    if scope is not None:
        tickets, surveys = tickets.where(scope), surveys.where(scope)
        extensions, returns = extensions.where(scope), returns.where(scope)
    units = _units(session)
    buckets: dict[str, TeamFigures] = {}

    def key(unit_id: int | None, category: str | None) -> tuple[str, str]:
        if group == "category":
            name = category or "other"
            return name, name
        start = units.get(unit_id) if unit_id is not None else None
        if group == "team":  # a grid team, or a town's triage team: whoever was sent the case
            unit = start
        else:
            # Every unit is loaded, so walking up the parents needs no further queries.
            level = UnitLevel.COMMUNITY if group == "community" else UnitLevel.TOWN
            unit = grids.ancestor(session=session, unit=start, level=level) if start else None
        # Not dispatched yet, or handled above this level: still counted in the totals.
        return (unit.code, unit.name_zh) if unit else (NO_GROUP, NO_GROUP_NAME)

    for unit_id, category, volume, dispatched, ok, dec, late, due, kept in session.execute(tickets):
        found = key(unit_id, category)
        counts = TeamFigures(
            *found,
            int(dispatched or 0),
            int(ok or 0),
            int(dec or 0),
            int(late or 0),
            volume=int(volume or 0),
            completion_decided=int(due or 0),
            completed_on_time=int(kept or 0),
        )
        buckets[found[0]] = _merge(buckets.get(found[0]), counts)
    for unit_id, category, answered, solved, scored, satisfied in session.execute(surveys):
        found = key(unit_id, category)
        counts = TeamFigures(
            *found,
            0,
            0,
            0,
            0,
            int(answered or 0),
            int(solved or 0),
            int(scored or 0),
            int(satisfied or 0),
        )
        buckets[found[0]] = _merge(buckets.get(found[0]), counts)
    for unit_id, category, count in session.execute(extensions):
        found = key(unit_id, category)
        counts = TeamFigures(*found, 0, 0, 0, 0, extensions=int(count or 0))
        buckets[found[0]] = _merge(buckets.get(found[0]), counts)
    for unit_id, category, count in session.execute(returns):
        found = key(unit_id, category)
        counts = TeamFigures(*found, 0, 0, 0, 0, returns=int(count or 0))
        buckets[found[0]] = _merge(buckets.get(found[0]), counts)
    nothing = TeamFigures(NO_GROUP, NO_GROUP_NAME, 0, 0, 0, 0)
    if buckets.get(NO_GROUP) == nothing:  # only old undispatched tickets: no row for them
        del buckets[NO_GROUP]
    return sorted(buckets.values(), key=lambda f: (f.code == NO_GROUP, f.code))


def _merge(current: TeamFigures | None, more: TeamFigures) -> TeamFigures:
    return more if current is None else current + more


def total(rows: list[TeamFigures], label: str = "all") -> TeamFigures:
    """Every group together."""
    result = TeamFigures(label, label, 0, 0, 0, 0)
    for row in rows:
        result = result + row
    return result


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
    today = seat_report(session=session, since=start, until=now + UP_TO_NOW, timezone=timezone)
    teams = figures(
        session=session,
        since=now - timedelta(days=days),
        until=now + UP_TO_NOW,
        now=now,
        actor=actor,
    )
    best, worst = ranking(teams)
    return Dashboard(
        calls_today=sum(hours),
        calls_per_hour=hours,
        open_by_status={status: count for status, count in session.execute(by_status)},
        overdue=session.scalar(overdue) or 0,
        seats=today,
        kb=kb_figures(session=session, since=start, until=now + UP_TO_NOW),
        totals=total(teams),
        teams=teams,
        best=best,
        worst=worst,
        period_days=days,
    )
