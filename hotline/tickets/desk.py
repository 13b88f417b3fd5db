"""Every action a person takes on a ticket, checked against their role and scope."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from sqlalchemy.orm import Session

from hotline.core.clock import Clock
from hotline.core.errors import Conflict, NotFound
from hotline.extensions import service as extensions
from hotline.grids import service as grids
from hotline.grids.models import UnitLevel
from hotline.notifications import service as notifications
from hotline.reasons.codes import note as note_reason
from hotline.reasons.codes import reason
from hotline.routing import service as routing
from hotline.routing.jurisdiction import return_refusal
from hotline.sla.policy import deadlines
from hotline.surveys.policy import SurveyPolicy
from hotline.tickets import classes, workflow
from hotline.tickets import service as tickets
from hotline.tickets.categories import Category
from hotline.tickets.kinds import IntakeType, Urgency
from hotline.tickets.models import Ticket, TicketEvent, TicketNote
from hotline.tickets.transitions import TicketAction, TicketStatus
from hotline.transcripts.models import Transcript
from hotline.triage.config import TriageLevel
from hotline.triage.policy import TriagePolicy
from hotline.users.access import require, require_lead
from hotline.users.permissions import Actor, Verb

_E = TypeVar("_E", bound=StrEnum)
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
    require_lead(actor, ticket)
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
        refused = return_refusal(
            returns=ticket.return_count,
            max_returns=policy.max_returns,
            at_district=ticket.team is not None and ticket.team.level == UnitLevel.DISTRICT,
        )
        if refused:
            raise Conflict(refused)
        event = tickets.return_to_triage(
            session=session, clock=clock, ticket=ticket, actor=actor.name, reason=note
        )
        routing.after_return(
            session=session, clock=clock, policy=policy, ticket=ticket, actor=actor.name
        )
        return event
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
    policy: TriagePolicy,
    actor: Actor,
    ticket: Ticket,
    category: str,
    grid_code: str | None,
    level: str,
    intake_type: str | None = None,
    urgency: str | None = None,
) -> TicketEvent:
    """A person sets category, grid and level (and, if they say, intake type and time-limit
    class); the ticket leaves the review queue."""
    require(actor, Verb.TRIAGE)
    chosen_type = _intake_type(intake_type) if intake_type else None
    chosen_urgency = _urgency(urgency) if urgency else None
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
    classes.set_level(ticket=ticket, config=policy.config, level=triage_level, by=actor.name)
    if chosen_urgency is not None:
        classes.choose_urgency(ticket=ticket, urgency=chosen_urgency, by=actor.name)
    if chosen_type is not None:
        classes.choose_intake_type(ticket=ticket, intake_type=chosen_type, by=actor.name)
    else:
        classes.infer_intake_type(ticket=ticket, config=policy.config)
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
        reason=reason(
            "desk.retriage",
            category=category,
            grid=grid_code,
            level=triage_level.value,
            intake_type=ticket.intake_type,
            urgency=ticket.urgency,
        ),
        rule="manual-triage",
    )


def _choice(kind: type[_E], value: str, label: str) -> _E:
    """The enum member named `value`, or Conflict listing what is accepted."""
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(member.value for member in kind)
        raise Conflict(f"unknown {label} {value!r}: one of {known}") from None


def _intake_type(value: str) -> IntakeType:
    return _choice(IntakeType, value, "intake type")


def _urgency(value: str) -> Urgency:
    return _choice(Urgency, value, "time-limit class")


def change_urgency(
    *,
    session: Session,
    clock: Clock,
    policy: TriagePolicy,
    actor: Actor,
    ticket: Ticket,
    urgency: str,
    note: str | None = None,
) -> TicketEvent:
    """A person changes the time-limit class; the deadlines are counted again from dispatch."""
    require(actor, Verb.TRIAGE)
    chosen = _urgency(urgency)
    status = TicketStatus(ticket.status)
    if status in (TicketStatus.MERGED, TicketStatus.CLOSED, TicketStatus.ANSWERED):
        raise Conflict(f"the time limits of a {status.value} ticket no longer run")
    before = ticket.urgency
    if before == chosen.value:
        raise Conflict(f"the ticket is already {chosen.value}")
    classes.choose_urgency(ticket=ticket, urgency=chosen, by=actor.name)
    if ticket.dispatched_at is not None:
        due = deadlines(
            config=policy.config,
            calendar=policy.calendar,
            urgency=chosen,
            start=ticket.dispatched_at,
        )
        ticket.response_due_at = due.response_due_at
        ticket.due_at = extensions.moved_deadline(session=session, ticket=ticket, due=due)
    return tickets.record(
        session=session,
        clock=clock,
        ticket=ticket,
        action="urgency",
        actor=actor.name,
        reason=[reason("desk.urgency", from_class=before, to_class=chosen.value)]
        + ([note_reason(note)] if note and note.strip() else []),
        rule="urgency-changed",
    )


def change_intake_type(
    *, session: Session, clock: Clock, actor: Actor, ticket: Ticket, intake_type: str
) -> TicketEvent:
    """A person corrects the intake type (咨询, 求助, 投诉, 建议, 举报, 表扬)."""
    require(actor, Verb.TRIAGE)
    chosen = _intake_type(intake_type)
    if ticket.status == TicketStatus.MERGED:
        raise Conflict("a merged ticket lives on in the one it was merged into")
    before = ticket.intake_type
    if before == chosen.value:
        raise Conflict(f"the ticket is already a {chosen.value}")
    classes.choose_intake_type(ticket=ticket, intake_type=chosen, by=actor.name)
    return tickets.record(
        session=session,
        clock=clock,
        ticket=ticket,
        action="intake_type",
        actor=actor.name,
        reason=reason("desk.intake_type", from_type=before, to_type=chosen.value),
        rule="intake-type-changed",
    )


def mark_confidential(
    *, session: Session, clock: Clock, actor: Actor, ticket: Ticket, note: str | None = None
) -> TicketEvent:
    """The caller asked that units not learn who they are (保密); it cannot be undone."""
    require(actor, Verb.TRIAGE)
    if ticket.confidential:
        raise Conflict("the ticket is already confidential")
    ticket.confidential = True
    ticket.confidential_by = actor.name
    return tickets.record(
        session=session,
        clock=clock,
        ticket=ticket,
        action="confidential",
        actor=actor.name,
        reason=[reason("desk.confidential")]
        + ([note_reason(note)] if note and note.strip() else []),
        rule="confidential",
    )


def reveal_caller(
    *, session: Session, clock: Clock, actor: Actor, ticket: Ticket, why: str
) -> TicketEvent:
    """A supervisor sees a confidential caller's number, saying why; the event is the audit."""
    require(actor, Verb.REVEAL_IDENTITY)
    if not ticket.confidential:
        raise Conflict("the ticket is not confidential")
    if not why.strip():
        raise Conflict("say why the caller's identity is needed")
    return tickets.record(
        session=session,
        clock=clock,
        ticket=ticket,
        action="reveal",
        actor=actor.name,
        reason=[reason("desk.revealed"), note_reason(why.strip()[:500])],
        rule="identity-revealed",
    )


def set_legal_hold(
    *, session: Session, clock: Clock, actor: Actor, ticket: Ticket, hold: bool, note: str
) -> TicketEvent:
    """A supervisor keeps (or stops keeping) the ticket's recordings past the retention period."""
    require(actor, Verb.HOLD)
    if ticket.legal_hold == hold:
        raise Conflict("the recordings are already on hold" if hold else "nothing is on hold")
    if not note.strip():
        raise Conflict("say why" if hold else "say why the hold ends")
    ticket.legal_hold = hold
    ticket.legal_hold_by = actor.name if hold else None
    return tickets.record(
        session=session,
        clock=clock,
        ticket=ticket,
        action="hold",
        actor=actor.name,
        reason=[reason("desk.hold" if hold else "desk.hold_ended"), note_reason(note.strip())],
        rule="legal-hold" if hold else "legal-hold-ended",
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


def hand_over(*, session: Session, clock: Clock, actor: Actor, ticket: Ticket) -> TicketEvent:
    """A supervisor makes the unit now handling the ticket the responsible one (首接负责 ends)."""
    require(actor, Verb.HAND_OVER)
    if ticket.team is None:
        raise Conflict("the ticket is with no unit yet")
    if ticket.responsible_unit_id == ticket.team.id:
        raise Conflict(f"{ticket.team.code} is already responsible for the ticket")
    before = ticket.responsible_unit.code if ticket.responsible_unit else None
    ticket.responsible_unit = ticket.team
    return tickets.record(
        session=session,
        clock=clock,
        ticket=ticket,
        action="hand_over",
        actor=actor.name,
        reason=reason("desk.handed_over", from_unit=before, to_unit=ticket.team.code),
        rule="handed-over",
        unit_id=ticket.team.id,
    )
