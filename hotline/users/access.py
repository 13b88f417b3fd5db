"""Turn a signed-in user into an Actor with the org units they may see."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from hotline.assists.models import TicketTask
from hotline.core.errors import Conflict, Forbidden, NotFound
from hotline.grids.models import OrgUnit
from hotline.tickets.models import Ticket
from hotline.users.models import User, UserRole
from hotline.users.permissions import Actor, Verb


def subtree_ids(*, session: Session, root_id: int) -> frozenset[int]:
    """A unit and every unit below it."""
    found = {root_id}
    frontier = [root_id]
    while frontier:
        children = session.scalars(select(OrgUnit.id).where(OrgUnit.parent_id.in_(frontier))).all()
        frontier = [c for c in children if c not in found]
        found.update(frontier)
    return frozenset(found)


def actor_for(*, session: Session, user: User) -> Actor:
    """The acting identity of a console user."""
    role = UserRole(user.role)
    scope: frozenset[int] | None = None
    places: frozenset[str] = frozenset()
    unplaced = False
    if role is UserRole.GRID_WORKER:
        scope = frozenset({user.team_id}) if user.team_id else frozenset()
    elif role is UserRole.KB_EDITOR:
        scope = frozenset()  # no tickets at all
    elif role is UserRole.SUPERVISOR:
        scope = subtree_ids(session=session, root_id=user.team_id) if user.team_id else frozenset()
        if scope:
            places = frozenset(session.scalars(select(OrgUnit.code).where(OrgUnit.id.in_(scope))))
            root = session.get(OrgUnit, user.team_id)
            # Nobody else oversees tickets that have no place yet: the top-level supervisors do.
            unplaced = root is not None and root.parent_id is None
    return Actor(
        name=user.username,
        role=role,
        scope=scope,
        member_id=user.member_id,
        language=user.language,
        places=places,
        unplaced=unplaced,
    )


def ticket_scope(actor: Actor) -> ColumnElement[bool] | None:
    """A WHERE clause limiting tickets to the actor's scope, or None for all."""
    if actor.scope is None:
        return None
    if not actor.scope:
        return false()
    assisted = Ticket.id.in_(
        select(TicketTask.ticket_id).where(TicketTask.unit_id.in_(actor.scope))
    )
    if actor.role == UserRole.GRID_WORKER:
        return or_(Ticket.team_id.in_(actor.scope), assisted)
    placed: list[ColumnElement[bool]] = [
        Ticket.team_id.in_(actor.scope),
        Ticket.grid_id.in_(actor.scope),
        assisted,
    ]
    if actor.places:
        placed.append(Ticket.location_code.in_(actor.places))
    if actor.unplaced:
        placed.append(
            and_(Ticket.team_id.is_(None), Ticket.grid_id.is_(None), Ticket.location_code.is_(None))
        )
    return or_(*placed)


def require(actor: Actor, verb: Verb) -> None:
    """Raise Forbidden unless the actor's role allows the verb."""
    if not actor.may(verb):
        raise Forbidden(f"a {actor.role} may not {verb.value.replace('_', ' ')}")


def visible_ticket(*, session: Session, actor: Actor, reference: str) -> Ticket:
    """The ticket if it exists and the actor may see it; otherwise NotFound (never Forbidden)."""
    ticket = session.scalar(select(Ticket).where(Ticket.reference == reference))
    if ticket is None:
        raise NotFound(f"no ticket {reference}")
    if actor.sees(
        team_id=ticket.team_id, grid_id=ticket.grid_id, location_code=ticket.location_code
    ) or assists_on(session=session, actor=actor, ticket=ticket):
        return ticket
    raise NotFound(f"no ticket {reference}")


def assists_on(*, session: Session, actor: Actor, ticket: Ticket) -> bool:
    """Whether one of the actor's units has an assisting task on the ticket (协办)."""
    if not actor.scope:
        return False
    query = select(TicketTask.id).where(
        TicketTask.ticket_id == ticket.id, TicketTask.unit_id.in_(actor.scope)
    )
    return session.scalar(query.limit(1)) is not None


def require_lead(actor: Actor, ticket: Ticket) -> None:
    """Conflict when the actor sees the ticket only as an assisting unit: the lead works it."""
    if not actor.sees(
        team_id=ticket.team_id, grid_id=ticket.grid_id, location_code=ticket.location_code
    ):
        lead = ticket.team.code if ticket.team else "the lead unit"
        raise Conflict(f"your unit assists on this ticket; {lead} leads it: work your own task")
