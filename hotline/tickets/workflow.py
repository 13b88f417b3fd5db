"""Team actions on a dispatched ticket: accept, pause while waiting on the resident, resolve."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hotline.assists import service as assists
from hotline.assists.rules import resolve_refusal
from hotline.core.clock import Clock
from hotline.core.errors import Conflict
from hotline.grids import service as grids
from hotline.notifications import service as notifications
from hotline.reasons.codes import note, reason
from hotline.sla.policy import extend_for_pause
from hotline.surveys import service as survey_service
from hotline.surveys.models import Survey
from hotline.surveys.policy import SurveyPolicy
from hotline.tickets import service as tickets
from hotline.tickets.models import Ticket, TicketEvent
from hotline.tickets.transitions import TicketAction, TicketStatus
from hotline.triage.policy import TriagePolicy


def accept(*, session: Session, clock: Clock, ticket: Ticket, actor: str) -> TicketEvent:
    """The assignee takes the ticket (网格接单); the response deadline is met or missed now."""
    event = tickets.transition(
        session=session, clock=clock, ticket=ticket, action=TicketAction.ACCEPT, actor=actor
    )
    ticket.accepted_at = clock.now()
    return event


def pause(*, ticket: Ticket, clock: Clock) -> bool:
    """Stop the resolution clock while the team waits on the resident; False if already paused."""
    if ticket.paused_at is not None:
        return False
    ticket.paused_at = clock.now()
    return True


def resume(*, ticket: Ticket, clock: Clock, policy: TriagePolicy) -> bool:
    """Restart the clock, giving back the working time spent paused; False if not paused."""
    if ticket.paused_at is None:
        return False
    now = clock.now()
    for name in ("due_at", "response_due_at"):
        due = getattr(ticket, name)
        if due is not None:
            setattr(
                ticket,
                name,
                extend_for_pause(
                    calendar=policy.calendar,
                    due_at=due,
                    paused_at=ticket.paused_at,
                    resumed_at=now,
                ),
            )
    ticket.paused_at = None
    return True


def resolve(
    *,
    session: Session,
    clock: Clock,
    policy: TriagePolicy,
    ticket: Ticket,
    actor: str,
    note: str | None = None,
) -> TicketEvent:
    """The lead team says it is done (every assisting unit has reported or was released); the
    resident is told by SMS (unless withheld or opted out)."""
    refused = resolve_refusal(assists.open_units(session=session, ticket_id=ticket.id))
    if refused:
        raise Conflict(refused)
    event = tickets.transition(
        session=session,
        clock=clock,
        ticket=ticket,
        action=TicketAction.RESOLVE,
        actor=actor,
        reason=note,
    )
    ticket.resolved_at = clock.now()
    ticket.paused_at = None
    notifications.notify_resident(
        session=session,
        clock=clock,
        ticket=ticket,
        kind="resolved",
        timezone=policy.calendar.timezone,
    )
    return event


def close(
    *,
    session: Session,
    clock: Clock,
    surveys: SurveyPolicy,
    ticket: Ticket,
    actor: str,
    note: str | None = None,
) -> TicketEvent:
    """The supervisor confirms the resolution (办结); the resident's callback is scheduled."""
    event = tickets.transition(
        session=session,
        clock=clock,
        ticket=ticket,
        action=TicketAction.CLOSE,
        actor=actor,
        reason=note,
    )
    ticket.closed_at = clock.now()
    survey_service.schedule_after_closure(
        session=session, clock=clock, policy=surveys, ticket=ticket
    )
    return event


def reopen_after_survey(
    *, session: Session, clock: Clock, ticket: Ticket, survey: Survey, timezone: str
) -> bool:
    """The resident says it is not solved: reopen one level up and tell the team and supervisor."""
    if ticket.status not in (TicketStatus.CLOSED, TicketStatus.RESOLVED, TicketStatus.ANSWERED):
        return False
    ticket.escalation_level += 1
    tickets.transition(
        session=session,
        clock=clock,
        ticket=ticket,
        action=TicketAction.REOPEN,
        actor="survey",
        reason=[reason("survey.answer", solved=survey.solved, score=survey.score)]
        + ([note(survey.comment)] if survey.comment else []),
        rule="survey-not-solved",
    )
    _clear_completion(ticket)
    recipients = [ticket.assignee] if ticket.assignee else []
    anchor = ticket.team or ticket.grid
    if anchor is not None:
        recipients += [
            m for m in grids.supervisors_over(session=session, unit=anchor) if m not in recipients
        ]
    for member in recipients:
        notifications.notify_member(
            session=session,
            clock=clock,
            ticket=ticket,
            member=member,
            kind="reopened",
            timezone=timezone,
        )
    return True


def reopen(
    *, session: Session, clock: Clock, ticket: Ticket, actor: str, reason: str | None
) -> TicketEvent:
    """The case is not finished after all; it goes back for dispatch."""
    if not reason:
        raise ValueError("say why the ticket is reopened")
    event = tickets.transition(
        session=session,
        clock=clock,
        ticket=ticket,
        action=TicketAction.REOPEN,
        actor=actor,
        reason=reason,
    )
    _clear_completion(ticket)
    return event


def _clear_completion(ticket: Ticket) -> None:
    """A reopened ticket must be accepted, resolved and closed afresh."""
    ticket.resolved_at = None
    ticket.closed_at = None
    ticket.accepted_at = None
