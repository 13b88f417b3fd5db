"""Every action a person takes on a ticket, checked against their role and scope."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hotline.core.clock import Clock
from hotline.core.errors import Conflict, NotFound
from hotline.grids import service as grids
from hotline.grids.models import UnitLevel
from hotline.notifications import service as notifications
from hotline.reasons.codes import reason
from hotline.routing import service as routing
from hotline.surveys.policy import SurveyPolicy
from hotline.tickets import service as tickets
from hotline.tickets import workflow
from hotline.tickets.categories import Category
from hotline.tickets.models import Ticket, TicketEvent, TicketNote
from hotline.tickets.transitions import TicketAction, TicketStatus
from hotline.transcripts.models import Transcript
from hotline.triage.config import TriageLevel
from hotline.triage.policy import TriagePolicy
from hotline.users.access import require
from hotline.users.permissions import Actor, Verb

NOTE_VISIBILITY = ("internal", "resident")
ACTION_VERBS = {
    TicketAction.DISPATCH: Verb.DISPATCH,
    TicketAction.ACCEPT: Verb.ACCEPT,
    TicketAction.RETURN: Verb.RETURN,
    TicketAction.RESOLVE: Verb.RESOLVE,
    TicketAction.CLOSE: Verb.CLOSE,
    TicketAction.REOPEN: Verb.REOPEN,
    TicketAction.ANSWER: Verb.ANSWER,
}


def perform(
    *,
    session: Session,
    clock: Clock,
    policy: TriagePolicy,
    surveys: SurveyPolicy,
    actor: Actor,
    ticket: Ticket,
    action: TicketAction,
    note: str | None = None,
) -> TicketEvent:
    """Move a ticket as a person would; raises Forbidden, Conflict or InvalidTransition."""
    verb = ACTION_VERBS.get(action)
    if verb is None:
        raise Conflict(f"{action.value} is not something a person does directly")
    require(actor, verb)
    note = (note or "").strip() or None
    if action is TicketAction.DISPATCH:
        tickets.check_allowed(ticket, action)
        before = len(ticket.events)
        route = routing.dispatch(
            session=session, clock=clock, policy=policy, ticket=ticket, actor=actor.name
        )
        if len(ticket.events) == before:
            raise Conflict(f"cannot dispatch: {route.reason}")
        return ticket.events[-1]
    if action is TicketAction.ACCEPT:
        return workflow.accept(session=session, clock=clock, ticket=ticket, actor=actor.name)
    if action is TicketAction.RETURN:
        if note is None:
            raise Conflict("say why the ticket goes back to triage")
        return tickets.return_to_triage(
            session=session, clock=clock, ticket=ticket, actor=actor.name, reason=note
        )
    if action is TicketAction.RESOLVE:
        return workflow.resolve(
            session=session, clock=clock, policy=policy, ticket=ticket, actor=actor.name, note=note
        )
    if action is TicketAction.CLOSE:
        return workflow.close(
            session=session,
            clock=clock,
            surveys=surveys,
            ticket=ticket,
            actor=actor.name,
            note=note,
        )
    if action is TicketAction.REOPEN:
        if note is None:
            raise Conflict("say why the ticket is reopened")
        return workflow.reopen(
            session=session, clock=clock, ticket=ticket, actor=actor.name, reason=note
        )
    return tickets.transition(
        session=session, clock=clock, ticket=ticket, action=action, actor=actor.name, reason=note
    )


def retriage(
    *,
    session: Session,
    clock: Clock,
    actor: Actor,
    ticket: Ticket,
    category: str,
    grid_code: str | None,
    level: str,
) -> TicketEvent:
    """A person sets category, grid and level; the ticket leaves the review queue."""
    require(actor, Verb.TRIAGE)
    if category not in {c.value for c in Category}:
        raise Conflict(f"unknown category {category!r}")
    try:
        triage_level = TriageLevel(level)
    except ValueError:
        raise Conflict(f"unknown level {level!r}") from None
    grid = None
    if grid_code:
        grid = grids.get_unit_by_code(session=session, code=grid_code)
        if grid is None or grid.level != UnitLevel.GRID:
            raise Conflict(f"no grid {grid_code}")
        if not actor.sees(team_id=None, grid_id=grid.id) and actor.scope is not None:
            raise NotFound(f"no grid {grid_code}")
    ticket.category = category
    ticket.category_confidence = 1.0
    ticket.level = triage_level
    ticket.grid = grid
    if grid is not None and grid.parent is not None:
        ticket.location_code = grid.parent.code
    tickets.clear_review(ticket=ticket)
    return tickets.transition(
        session=session,
        clock=clock,
        ticket=ticket,
        action=TicketAction.TRIAGE,
        actor=actor.name,
        reason=reason("desk.retriage", category=category, grid=grid_code, level=triage_level.value),
        rule="manual-triage",
    )


def add_note(
    *, session: Session, clock: Clock, actor: Actor, ticket: Ticket, body: str, visibility: str
) -> TicketNote:
    """An internal note, or one the resident may be told when they ask."""
    require(actor, Verb.NOTE)
    body = body.strip()
    if not body:
        raise Conflict("a note needs some text")
    if visibility not in NOTE_VISIBILITY:
        raise Conflict(f"visibility must be one of {', '.join(NOTE_VISIBILITY)}")
    note = TicketNote(
        ticket_id=ticket.id,
        author=actor.name,
        visibility=visibility,
        body=body[:4000],
        created_at=clock.now(),
    )
    session.add(note)
    session.flush()
    return note


def correct_transcript(
    *, clock: Clock, actor: Actor, transcript: Transcript, text: str
) -> Transcript:
    """Store a person's corrected text beside what the recogniser heard (never overwriting it)."""
    require(actor, Verb.TRIAGE)
    transcript.corrected_text = text.strip()[:8000] or None
    transcript.corrected_by = actor.name
    transcript.corrected_at = clock.now()
    return transcript


def merge_into(
    *, session: Session, clock: Clock, actor: Actor, ticket: Ticket, survivor: Ticket, reason: str
) -> TicketEvent:
    """Merge a duplicate into another ticket the actor can see."""
    require(actor, Verb.MERGE)
    if not actor.sees(
        team_id=survivor.team_id, grid_id=survivor.grid_id, location_code=survivor.location_code
    ):
        raise NotFound(f"no ticket {survivor.reference}")
    return tickets.merge(
        session=session,
        clock=clock,
        ticket=ticket,
        into=survivor,
        actor=actor.name,
        reason=reason.strip() or "duplicate",
    )


def reassign(
    *,
    session: Session,
    clock: Clock,
    policy: TriagePolicy,
    actor: Actor,
    ticket: Ticket,
    member_code: str,
) -> TicketEvent:
    """Give a dispatched (not yet accepted) ticket to another active member of its team."""
    require(actor, Verb.DISPATCH)
    tickets.check_allowed(ticket, TicketAction.DISPATCH)
    if ticket.status != TicketStatus.DISPATCHED or ticket.team is None:
        raise Conflict("only a dispatched ticket that nobody accepted yet can be reassigned")
    member = grids.get_member_by_code(session=session, code=member_code)
    if member is None or member.unit_id != ticket.team.id or not member.active:
        raise Conflict(f"{member_code} is not an active member of team {ticket.team.code}")
    before = ticket.assignee.code if ticket.assignee else None
    ticket.assignee = member
    event = tickets.transition(
        session=session,
        clock=clock,
        ticket=ticket,
        action=TicketAction.DISPATCH,
        actor=actor.name,
        reason=reason("desk.reassigned", from_member=before, to_member=member.code),
        rule="manual-reassign",
    )
    notifications.notify_member(
        session=session,
        clock=clock,
        ticket=ticket,
        member=member,
        kind="dispatch",
        timezone=policy.calendar.timezone,
    )
    return event
