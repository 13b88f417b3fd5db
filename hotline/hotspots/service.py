"""Hotspots read from the database, and proactive cases a supervisor opens from one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from hotline.core.clock import Clock
from hotline.core.errors import Conflict
from hotline.grids.models import OrgUnit
from hotline.hotspots.models import TicketLink
from hotline.hotspots.rules import Hotspot, Key, PlaceLevel, compare
from hotline.metrics.periods import period_bounds
from hotline.reasons.codes import reason
from hotline.routing import service as routing
from hotline.tickets import desk
from hotline.tickets import service as tickets
from hotline.tickets.categories import Category
from hotline.tickets.models import Ticket
from hotline.tickets.transitions import TicketStatus
from hotline.triage.policy import TriagePolicy
from hotline.users.access import require, ticket_scope
from hotline.users.permissions import SYSTEM_ACTOR, Actor, Verb

PERIODS = ("week", "month")
COUNTED = TicketStatus.MERGED  # duplicates are counted once, in the ticket they joined


@dataclass(frozen=True)
class HotspotReport:
    """Hotspots of one period against the period before."""

    level: PlaceLevel
    since: datetime
    until: datetime
    previous_since: datetime
    rows: list[Hotspot]


def _place(level: PlaceLevel) -> ColumnElement[Any]:
    """What tickets are grouped by: the grid's id (named afterwards), the community, the
    landmark."""
    if level is PlaceLevel.GRID:
        return Ticket.grid_id.expression
    if level is PlaceLevel.COMMUNITY:
        return Ticket.location_code.expression
    return Ticket.landmark.expression


def _grid_codes(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(OrgUnit.id, OrgUnit.code).where(OrgUnit.id.in_(ids))).all())


def _counts(
    session: Session, level: PlaceLevel, since: datetime, until: datetime, actor: Actor
) -> dict[Key, int]:
    place = _place(level).label("place")
    query = (
        select(place, Ticket.category, func.count())
        .where(
            Ticket.created_at >= since,
            Ticket.created_at < until,
            Ticket.status != COUNTED,
            Ticket.channel != "proactive",
        )
        .group_by(place, Ticket.category)
    )
    scope = ticket_scope(actor)
    if scope is not None:
        query = query.where(scope)
    rows = [(p, c, n) for p, c, n in session.execute(query) if p is not None]
    if level is PlaceLevel.GRID:
        codes = _grid_codes(session, {int(p) for p, _, _ in rows})
        rows = [(codes[int(p)], c, n) for p, c, n in rows if int(p) in codes]
    return {(str(p), str(c or Category.OTHER.value)): int(n) for p, c, n in rows}


def _names(session: Session, level: PlaceLevel, places: set[str]) -> dict[str, str]:
    if level is PlaceLevel.LANDMARK or not places:
        return {}
    query = select(OrgUnit.code, OrgUnit.name_zh).where(OrgUnit.code.in_(places))
    return {code: name for code, name in session.execute(query)}


def bounds(
    period: str, now: datetime, timezone: str, previous: bool
) -> tuple[datetime, datetime, datetime]:
    """This period (to now) or the last complete one, and the start of the one before it."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    since, until = period_bounds(period, now, timezone, previous)
    before, _ = period_bounds(period, since - timedelta(seconds=1), timezone)
    return since, until, before


def report(
    *,
    session: Session,
    level: PlaceLevel,
    period: str,
    now: datetime,
    timezone: str,
    previous: bool = False,
    actor: Actor = SYSTEM_ACTOR,
    min_count: int = 1,
) -> HotspotReport:
    """Tickets by place and category in the period, with the change from the period before."""
    since, until, before = bounds(period, now, timezone, previous)
    current = _counts(session, level, since, until + timedelta(seconds=1), actor)
    earlier = _counts(session, level, before, since, actor)
    names = _names(session, level, {place for place, _ in current | earlier})
    rows = compare(level=level, current=current, previous=earlier, names=names, min_count=min_count)
    return HotspotReport(level, since, until, before, rows)


def tickets_of(
    *,
    session: Session,
    level: PlaceLevel,
    place: str,
    category: str,
    since: datetime,
    until: datetime,
    actor: Actor,
) -> Sequence[Ticket]:
    """The tickets behind one hotspot."""
    wanted: ColumnElement[bool] = _place(level) == place
    if level is PlaceLevel.GRID:
        grid = select(OrgUnit.id).where(OrgUnit.code == place).scalar_subquery()
        wanted = Ticket.grid_id == grid
    query = select(Ticket).where(
        wanted,
        Ticket.category == category,
        Ticket.created_at >= since,
        Ticket.created_at < until,
        Ticket.status != COUNTED,
        Ticket.channel != "proactive",
    )
    scope = ticket_scope(actor)
    if scope is not None:
        query = query.where(scope)
    return session.scalars(query.order_by(Ticket.id)).all()


def _grid_for(found: Sequence[Ticket]) -> OrgUnit | None:
    """The grid most of the tickets were placed in."""
    grids: dict[int, tuple[int, OrgUnit]] = {}
    for ticket in found:
        if ticket.grid is not None:
            n, _ = grids.get(ticket.grid.id, (0, ticket.grid))
            grids[ticket.grid.id] = (n + 1, ticket.grid)
    if not grids:
        return None
    return max(grids.values(), key=lambda item: (item[0], -item[1].id))[1]


def open_case(
    *,
    session: Session,
    clock: Clock,
    policy: TriagePolicy,
    actor: Actor,
    level: PlaceLevel,
    place: str,
    category: str,
    since: datetime,
    until: datetime,
) -> Ticket:
    """A supervisor opens a proactive case (未诉先办) for a hotspot, linked to its tickets and
    routed like any case to the grid most of them came from."""
    require(actor, Verb.REPORTS)
    require(actor, Verb.TRIAGE)
    found = tickets_of(
        session=session,
        level=level,
        place=place,
        category=category,
        since=since,
        until=until,
        actor=actor,
    )
    if not found:
        raise Conflict(f"no tickets of {category} at {place} in that period")
    grid = _grid_for(found)
    now = clock.now()
    case = Ticket(
        reference=tickets.next_reference(session=session, year=now.year),
        status=TicketStatus.RECEIVED,
        channel="proactive",
        category=category,
        location_code=found[0].location_code,
        landmark=place if level is PlaceLevel.LANDMARK else None,
        caller="",
        language=found[0].language or "zh-CN",
        summary=f"{len(found)} tickets of {category} at {place} since {since:%Y-%m-%d}",
        intake_type="report",
        intake_type_by=actor.name,
        created_by=actor.name,
        created_at=now,
        updated_at=now,
    )
    why = reason("hotspot.opened", count=len(found), place=place, category=category)
    case.events.append(
        tickets.opening_event(actor=actor.name, why=why, at=now, rule="proactive-case")
    )
    session.add(case)
    session.flush()
    tickets.announce_created(session=session, clock=clock, ticket=case)
    session.add_all(TicketLink(case_id=case.id, ticket_id=t.id, created_at=now) for t in found)
    desk.retriage(
        session=session,
        clock=clock,
        policy=policy,
        actor=actor,
        ticket=case,
        category=category,
        grid_code=grid.code if grid else None,
        level="general",
        intake_type="report",
    )
    if grid is not None:
        routing.dispatch(session=session, clock=clock, policy=policy, ticket=case, actor=actor.name)
    return case


def linked(*, session: Session, case_id: int) -> Sequence[Ticket]:
    """The residents' tickets behind a proactive case."""
    query = (
        select(Ticket)
        .join(TicketLink, TicketLink.ticket_id == Ticket.id)
        .where(TicketLink.case_id == case_id)
        .order_by(Ticket.id)
    )
    return session.scalars(query).all()
