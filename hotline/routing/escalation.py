"""Escalate overdue tickets one level up the chain: grid → community → town → district."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from hotline.core.clock import Clock
from hotline.grids import service as grids
from hotline.notifications import service as notifications
from hotline.reasons.codes import reason
from hotline.routing.rules import Candidate, least_loaded
from hotline.routing.service import assign, candidates
from hotline.tickets import service as tickets
from hotline.tickets.models import Ticket
from hotline.tickets.transitions import TicketAction, TicketStatus
from hotline.triage.policy import TriagePolicy


def find_overdue(*, session: Session, now: datetime) -> list[Ticket]:
    """Dispatched tickets not accepted in time, and accepted ones not resolved in time."""
    query = (
        select(Ticket)
        .where(
            Ticket.paused_at.is_(None),
            or_(
                and_(Ticket.status == TicketStatus.DISPATCHED, Ticket.response_due_at < now),
                and_(
                    Ticket.status.in_((TicketStatus.DISPATCHED, TicketStatus.ACCEPTED)),
                    Ticket.due_at < now,
                ),
            ),
        )
        .order_by(Ticket.id)
    )
    return list(session.scalars(query))


def _pick(members: tuple[Candidate, ...]) -> Candidate | None:
    active = [m for m in members if m.active]
    return least_loaded(active) if active else None


def escalate(*, session: Session, clock: Clock, policy: TriagePolicy, ticket: Ticket) -> bool:
    """Hand an overdue ticket to the parent unit with fresh deadlines; False at the top."""
    current = ticket.team
    parent = current.parent if current is not None else None
    if parent is None:
        return False
    team, members = candidates(session=session, unit=parent)
    chosen = _pick(team)
    overdue = "acceptance" if ticket.status == TicketStatus.DISPATCHED else "resolution"
    ticket.escalation_level += 1
    member = members.get(chosen.code) if chosen else None
    assign(ticket=ticket, unit=parent, member=member, policy=policy, now=clock.now())
    tickets.transition(
        session=session,
        clock=clock,
        ticket=ticket,
        action=TicketAction.ESCALATE,
        actor="escalation",
        reason=reason(
            f"escalation.{overdue}_overdue",
            from_unit=current.code if current else None,
            unit_level=parent.level,
            to_unit=parent.code,
            escalation=ticket.escalation_level,
        ),
        rule=f"overdue-{overdue}",
    )
    recipients = [ticket.assignee] if ticket.assignee else []
    recipients += [
        m for m in grids.supervisors_over(session=session, unit=parent) if m not in recipients
    ]
    for member in recipients:
        level_name = parent.name_in(member.language)
        notifications.notify_member(
            session=session,
            clock=clock,
            ticket=ticket,
            member=member,
            kind="escalation",
            timezone=policy.calendar.timezone,
            level_name=level_name,
        )
    return True


def sweep(*, session: Session, clock: Clock, policy: TriagePolicy) -> list[str]:
    """Escalate every overdue ticket once; running it again at once changes nothing."""
    moved = []
    for ticket in find_overdue(session=session, now=clock.now()):
        if escalate(session=session, clock=clock, policy=policy, ticket=ticket):
            moved.append(ticket.reference)
    return moved
