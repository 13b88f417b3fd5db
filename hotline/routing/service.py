"""Dispatch a triaged ticket to a team and member, with deadlines, writing why."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.core.clock import Clock
from hotline.grids import service as grids
from hotline.grids.models import Member, OrgUnit, Role, UnitLevel
from hotline.notifications import service as notifications
from hotline.reasons.codes import Reason
from hotline.routing.jurisdiction import Fallback
from hotline.routing.jurisdiction import after_return as after_return_rule
from hotline.routing.rules import Candidate, Route, RoutingInput, route
from hotline.sla.policy import deadlines
from hotline.tickets import classes
from hotline.tickets import service as tickets
from hotline.tickets.kinds import Urgency
from hotline.tickets.models import Ticket
from hotline.tickets.transitions import TicketAction, TicketStatus
from hotline.triage.config import TriageLevel
from hotline.triage.policy import TriagePolicy

OPEN = (TicketStatus.DISPATCHED, TicketStatus.ACCEPTED, TicketStatus.REOPENED)


def open_loads(*, session: Session, member_ids: list[int]) -> dict[int, int]:
    """Open tickets assigned to each member."""
    if not member_ids:
        return {}
    query = (
        select(Ticket.assignee_id, func.count())
        .where(Ticket.assignee_id.in_(member_ids), Ticket.status.in_(OPEN))
        .group_by(Ticket.assignee_id)
    )
    return {member_id: count for member_id, count in session.execute(query) if member_id}


def candidates(
    *, session: Session, unit: OrgUnit | None, roles: set[str] | None = None
) -> tuple[tuple[Candidate, ...], dict[str, Member]]:
    """A unit's members as routing candidates, with their current load."""
    if unit is None:
        return (), {}
    members = [
        m
        for m in grids.list_members(session=session, unit_id=unit.id, active_only=False)
        if roles is None or m.role in roles
    ]
    loads = open_loads(session=session, member_ids=[m.id for m in members])
    found = tuple(
        Candidate(m.code, m.role, tuple(m.categories), m.active, loads.get(m.id, 0))
        for m in members
    )
    return found, {m.code: m for m in members}


def urgency_of(ticket: Ticket, policy: TriagePolicy) -> Urgency | None:
    """The ticket's time-limit class, inferred from category and level (and its intake type
    from the category) when none is set yet; None (no limits) for a simple case."""
    if ticket.urgency is None:
        level = TriageLevel(ticket.level or TriageLevel.GENERAL)
        classes.set_level(ticket=ticket, config=policy.config, level=level, by=classes.INFERRED)
    if ticket.intake_type is None:
        classes.infer_intake_type(ticket=ticket, config=policy.config)
    return Urgency(ticket.urgency) if ticket.urgency else None


def assign(
    *, ticket: Ticket, unit: OrgUnit, member: Member | None, policy: TriagePolicy, now: datetime
) -> None:
    """Give the ticket to a team and member with deadlines counted afresh from `now`."""
    urgency = urgency_of(ticket, policy)
    due = deadlines(config=policy.config, calendar=policy.calendar, urgency=urgency, start=now)
    ticket.team = unit
    ticket.assignee = member
    ticket.response_due_at = due.response_due_at
    ticket.due_at = due.resolution_due_at
    ticket.dispatched_at = now


def dispatch(
    *,
    session: Session,
    clock: Clock,
    policy: TriagePolicy,
    ticket: Ticket,
    household_member: str | None = None,
    actor: str = "router",
) -> Route:
    """Route by the rules; dispatch with deadlines, or leave the ticket for human triage."""
    grid = ticket.grid
    classes.note_landmark(ticket=ticket, text=ticket.summary or "")
    community = (
        grids.get_community_by_code(session=session, code=ticket.location_code)
        if ticket.location_code
        else None
    )
    anchor = grid or community
    town = grids.ancestor(session=session, unit=anchor, level=UnitLevel.TOWN) if anchor else None
    level = TriageLevel(ticket.level or TriageLevel.GENERAL)
    # 复杂问题上报研判: complex cases go to the town for review, not to the grid.
    routed_grid = grid if level is not TriageLevel.COMPLEX else None
    grid_team, grid_members = candidates(session=session, unit=routed_grid)
    town_team, town_members = candidates(
        session=session, unit=town, roles={Role.TRIAGE_OFFICER.value}
    )
    decided = route(
        RoutingInput(
            category=ticket.category or "other",
            grid=routed_grid.code if routed_grid else None,
            town=town.code if town else None,
            grid_team=grid_team,
            town_triage_team=town_team,
            household_member=household_member,
        )
    )
    if decided.unit is None:
        tickets.flag_for_review(ticket=ticket, why=decided.reason)
        return decided
    unit = routed_grid if routed_grid and decided.unit == routed_grid.code else town
    assert unit is not None
    member = {**grid_members, **town_members}.get(decided.assignee or "")
    ticket.first_team_id = ticket.first_team_id or unit.id
    ticket.responsible_unit_id = ticket.responsible_unit_id or unit.id
    _hand_to(
        session=session,
        clock=clock,
        policy=policy,
        ticket=ticket,
        unit=unit,
        member=member,
        actor=actor,
        why=(decided.rule, decided.reason),
    )
    return decided


def _hand_to(
    *,
    session: Session,
    clock: Clock,
    policy: TriagePolicy,
    ticket: Ticket,
    unit: OrgUnit,
    member: Member | None,
    actor: str,
    why: tuple[str, Reason],
) -> None:
    """Assign with fresh deadlines, write the dispatch event (rule, reason), tell the member."""
    assign(ticket=ticket, unit=unit, member=member, policy=policy, now=clock.now())
    tickets.clear_review(ticket=ticket)
    rule, reason = why
    event = tickets.transition(
        session=session,
        clock=clock,
        ticket=ticket,
        action=TicketAction.DISPATCH,
        actor=actor,
        reason=reason,
        rule=rule,
    )
    event.unit_id = unit.id
    if member is not None:
        notifications.notify_member(
            session=session,
            clock=clock,
            ticket=ticket,
            member=member,
            kind="dispatch",
            timezone=policy.calendar.timezone,
        )


def after_return(
    *, session: Session, clock: Clock, policy: TriagePolicy, ticket: Ticket, actor: str
) -> Fallback:
    """After `max_returns` "not ours" returns the district takes the ticket (兜底); the first
    receiving unit stays responsible until a supervisor hands it over."""
    anchor = (
        ticket.team
        or ticket.grid
        or (
            grids.get_community_by_code(session=session, code=ticket.location_code)
            if ticket.location_code
            else None
        )
    )
    district = (
        grids.ancestor(session=session, unit=anchor, level=UnitLevel.DISTRICT) if anchor else None
    )
    if district is None and anchor is None:
        only = grids.list_units(session=session, level=UnitLevel.DISTRICT)
        district = only[0] if len(only) == 1 else None
    staff, members = candidates(session=session, unit=district)
    decided = after_return_rule(
        returns=ticket.return_count,
        max_returns=policy.max_returns,
        district=district.code if district else None,
        staff=staff,
    )
    if decided.unit is None or district is None:
        if decided.rule != "returned-by-team":
            tickets.flag_for_review(ticket=ticket, why=decided.reason)
        return decided
    _hand_to(
        session=session,
        clock=clock,
        policy=policy,
        ticket=ticket,
        unit=district,
        member=members.get(decided.assignee or ""),
        actor=actor,
        why=(decided.rule, decided.reason),
    )
    return decided
