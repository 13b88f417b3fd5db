"""Ticket lists for people: filters, search, sort, pages and inbox counts within a scope."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, UnaryExpression, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from hotline.assists.models import TicketTask
from hotline.assists.rules import OPEN as TASK_OPEN
from hotline.extensions.models import TicketExtension
from hotline.extensions.rules import ExtensionStatus
from hotline.grids.models import OrgUnit
from hotline.search import engine
from hotline.tickets.models import Ticket
from hotline.tickets.transitions import TicketStatus
from hotline.users.access import subtree_ids, ticket_scope
from hotline.users.models import UserRole
from hotline.users.permissions import Actor

PAGE_SIZES = (25, 50, 100)
SORTS: dict[str, tuple[UnaryExpression[Any], ...]] = {
    "newest": (Ticket.created_at.desc(), Ticket.id.desc()),
    "oldest": (Ticket.created_at.asc(), Ticket.id.asc()),
    "due": (Ticket.due_at.asc(), Ticket.id.asc()),
    "updated": (Ticket.updated_at.desc(), Ticket.id.desc()),
}
WORKING = (
    TicketStatus.DISPATCHED,
    TicketStatus.ACCEPTED,
    TicketStatus.REOPENED,
)
OPEN = (
    TicketStatus.RECEIVED,
    TicketStatus.TRIAGED,
    TicketStatus.DISPATCHED,
    TicketStatus.ACCEPTED,
    TicketStatus.RETURNED,
    TicketStatus.REOPENED,
    TicketStatus.RESOLVED,
)
INBOXES = ("review", "overdue", "due_today", "team", "assisting", "reopened", "extensions")


@dataclass(frozen=True)
class TicketQuery:
    """What a person asked the list for."""

    status: str | None = None
    category: str | None = None
    unit: str | None = None  # a grid, community or town code
    level: str | None = None
    intake_type: str | None = None
    urgency: str | None = None
    language: str | None = None
    overdue: bool = False
    created_from: date | None = None
    created_to: date | None = None
    text: str | None = None
    inbox: str | None = None
    caller: str | None = None
    sort: str = "newest"
    page: int = 1
    per_page: int = 25


@dataclass(frozen=True)
class TicketPage:
    """One page of tickets and how many there are in all."""

    items: Sequence[Ticket]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, -(-self.total // self.per_page))


def _day_bounds(day: date, timezone: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(timezone)
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, start + timedelta(days=1)


def _inbox_clause(inbox: str, *, actor: Actor, now: datetime, timezone: str) -> ColumnElement[bool]:
    if inbox == "review":
        return and_(Ticket.needs_review.is_(True), Ticket.status.in_(OPEN))
    if inbox == "overdue":
        return and_(Ticket.status.in_(WORKING), Ticket.due_at < now)
    if inbox == "due_today":
        _, end = _day_bounds(now.astimezone(ZoneInfo(timezone)).date(), timezone)
        return and_(Ticket.status.in_(WORKING), Ticket.due_at >= now, Ticket.due_at < end)
    if inbox == "team":
        if actor.role == UserRole.GRID_WORKER and actor.scope is not None:
            return and_(Ticket.status.in_(WORKING), Ticket.team_id.in_(actor.scope))
        return Ticket.status.in_(WORKING)
    if inbox == "assisting":
        tasks = select(TicketTask.ticket_id).where(TicketTask.status.in_(TASK_OPEN))
        if actor.scope is not None:
            tasks = tasks.where(TicketTask.unit_id.in_(actor.scope))
        return Ticket.id.in_(tasks)
    if inbox == "reopened":
        return Ticket.status == TicketStatus.REOPENED
    if inbox == "extensions":
        waiting = select(TicketExtension.ticket_id).where(
            TicketExtension.status == ExtensionStatus.PENDING
        )
        return Ticket.id.in_(waiting)
    raise ValueError(f"unknown inbox {inbox!r}")


def _filtered(
    *, session: Session, actor: Actor, query: TicketQuery, now: datetime, timezone: str
) -> Select[Ticket]:
    stmt = select(Ticket)
    scope = ticket_scope(actor)
    if scope is not None:
        stmt = stmt.where(scope)
    if query.inbox:
        stmt = stmt.where(_inbox_clause(query.inbox, actor=actor, now=now, timezone=timezone))
    if query.status:
        stmt = stmt.where(Ticket.status == query.status)
    if query.category:
        stmt = stmt.where(Ticket.category == query.category)
    if query.level:
        stmt = stmt.where(Ticket.level == query.level)
    if query.intake_type:
        stmt = stmt.where(Ticket.intake_type == query.intake_type)
    if query.urgency:
        stmt = stmt.where(Ticket.urgency == query.urgency)
    if query.language:
        stmt = stmt.where(Ticket.language == query.language)
    if query.caller:
        stmt = stmt.where(Ticket.caller == query.caller)
        if not actor.finds_confidential_by_number():
            stmt = stmt.where(Ticket.confidential.is_(False))
    if query.overdue:
        stmt = stmt.where(Ticket.status.in_(WORKING), Ticket.due_at < now)
    if query.unit:
        unit_id = session.scalar(select(OrgUnit.id).where(OrgUnit.code == query.unit))
        ids = subtree_ids(session=session, root_id=unit_id) if unit_id else frozenset()
        codes = session.scalars(select(OrgUnit.code).where(OrgUnit.id.in_(ids))).all()
        stmt = stmt.where(
            or_(
                Ticket.grid_id.in_(ids),
                Ticket.team_id.in_(ids),
                Ticket.location_code.in_([c for c in codes if len(c) == 4]),
            )
        )
    if query.created_from:
        stmt = stmt.where(Ticket.created_at >= _day_bounds(query.created_from, timezone)[0])
    if query.created_to:
        stmt = stmt.where(Ticket.created_at < _day_bounds(query.created_to, timezone)[1])
    if query.text:
        by_number = actor.finds_confidential_by_number()
        stmt = stmt.where(text_clause(session, query.text.strip(), by_number=by_number))
    return stmt


REFERENCE = re.compile(r"^\d{4}-\d{6}$")
NUMBER = re.compile(r"^\+?[\d ]{4,}$")


def text_clause(session: Session, text: str, *, by_number: bool = True) -> ColumnElement[bool]:
    """A full reference, part of a number, or words heard or written down (all must match);
    without `by_number`, a number never finds a confidential caller's tickets."""
    if REFERENCE.match(text):
        return Ticket.reference == text
    if NUMBER.match(text):
        digits = text.replace(" ", "")
        number = Ticket.caller.contains(digits, autoescape=True)
        if not by_number:
            number = and_(number, Ticket.confidential.is_(False))
        return or_(number, Ticket.reference.contains(digits))
    found = engine.ticket_match(session=session, query=text)
    if found is None:  # only punctuation or words too common to mean anything
        return Ticket.summary.contains(text.strip(), autoescape=True)
    return found


def search(
    *,
    session: Session,
    actor: Actor,
    query: TicketQuery,
    now: datetime,
    timezone: str,
    count: bool = True,
) -> TicketPage:
    """One page of the tickets the actor may see that match the query."""
    stmt = _filtered(session=session, actor=actor, query=query, now=now, timezone=timezone)
    per_page = query.per_page if query.per_page in PAGE_SIZES else PAGE_SIZES[0]
    page = max(1, query.page)
    order = SORTS.get(query.sort, SORTS["newest"])
    items = session.scalars(
        stmt.options(
            selectinload(Ticket.grid), selectinload(Ticket.team), selectinload(Ticket.assignee)
        )
        .order_by(*order)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    total = (
        session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
        if count
        else len(items)
    )
    return TicketPage(items=items, total=total or 0, page=page, per_page=per_page)


def inbox_counts(*, session: Session, actor: Actor, now: datetime, timezone: str) -> dict[str, int]:
    """How many tickets wait in each inbox for this actor."""
    counts = {}
    for inbox in INBOXES:
        stmt = _filtered(
            session=session,
            actor=actor,
            query=TicketQuery(inbox=inbox),
            now=now,
            timezone=timezone,
        )
        counts[inbox] = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    return counts


def iterate(
    *, session: Session, actor: Actor, query: TicketQuery, now: datetime, timezone: str
) -> Sequence[Ticket]:
    """Every matching ticket (for exports), in the query's order, at most 50,000."""
    stmt = _filtered(session=session, actor=actor, query=query, now=now, timezone=timezone)
    order = SORTS.get(query.sort, SORTS["newest"])
    return session.scalars(
        stmt.options(
            selectinload(Ticket.grid),
            selectinload(Ticket.team),
            selectinload(Ticket.responsible_unit),
        )
        .order_by(*order)
        .limit(50_000)
    ).all()
