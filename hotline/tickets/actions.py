"""The actions the API and console take by name: lifecycle moves, time limits, extensions,
assisting units."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from hotline.assists import service as assists
from hotline.core.clock import Clock
from hotline.core.errors import Conflict
from hotline.extensions import service as extensions
from hotline.surveys.policy import SurveyPolicy
from hotline.tickets import desk
from hotline.tickets.models import Ticket
from hotline.tickets.transitions import TicketAction
from hotline.triage.policy import TriagePolicy
from hotline.users.permissions import Actor

LIFECYCLE = ("dispatch", "accept", "resolve", "close", "reopen", "return", "answer")


@dataclass(frozen=True)
class ActionRequest:
    """An action by name and what it needs."""

    action: str
    note: str = ""
    days: int | None = None
    urgency: str | None = None
    intake_type: str | None = None
    unit: str | None = None  # the assisting unit a task action is about


@dataclass(frozen=True)
class Context:
    """Who acts on which ticket, with the policies the rules need."""

    session: Session
    clock: Clock
    policy: TriagePolicy
    surveys: SurveyPolicy
    actor: Actor
    ticket: Ticket

    @property
    def timezone(self) -> str:
        """The centre's time zone, for texts and events."""
        return self.policy.calendar.timezone


def _request_extension(c: Context, r: ActionRequest) -> None:
    if r.days is None:
        raise Conflict("say how many more days are needed")
    extensions.request(
        session=c.session,
        clock=c.clock,
        timezone=c.timezone,
        actor=c.actor,
        ticket=c.ticket,
        days=r.days,
        note_text=r.note,
    )


def _decide_extension(
    decide: Callable[..., object],
) -> Callable[[Context, ActionRequest], None]:
    def run(c: Context, r: ActionRequest) -> None:
        decide(
            session=c.session,
            clock=c.clock,
            timezone=c.timezone,
            actor=c.actor,
            ticket=c.ticket,
            note_text=r.note,
        )

    return run


def _set_urgency(c: Context, r: ActionRequest) -> None:
    desk.change_urgency(
        session=c.session,
        clock=c.clock,
        policy=c.policy,
        actor=c.actor,
        ticket=c.ticket,
        urgency=r.urgency or "",
        note=r.note,
    )


def _set_intake_type(c: Context, r: ActionRequest) -> None:
    desk.change_intake_type(
        session=c.session,
        clock=c.clock,
        actor=c.actor,
        ticket=c.ticket,
        intake_type=r.intake_type or "",
    )


def _hand_over(c: Context, r: ActionRequest) -> None:
    desk.hand_over(session=c.session, clock=c.clock, actor=c.actor, ticket=c.ticket)


def _ask_assist(c: Context, r: ActionRequest) -> None:
    if not r.unit:
        raise Conflict("say which unit is asked to assist (unit)")
    assists.ask(
        session=c.session,
        clock=c.clock,
        timezone=c.timezone,
        actor=c.actor,
        ticket=c.ticket,
        unit_code=r.unit,
        request=r.note,
    )


def _accept_task(c: Context, r: ActionRequest) -> None:
    assists.accept(
        session=c.session, clock=c.clock, actor=c.actor, ticket=c.ticket, unit_code=r.unit
    )


def _report_task(c: Context, r: ActionRequest) -> None:
    assists.report(
        session=c.session,
        clock=c.clock,
        actor=c.actor,
        ticket=c.ticket,
        text=r.note,
        unit_code=r.unit,
    )


def _release_task(c: Context, r: ActionRequest) -> None:
    if not r.unit:
        raise Conflict("say which assisting unit is released (unit)")
    assists.release(
        session=c.session,
        clock=c.clock,
        actor=c.actor,
        ticket=c.ticket,
        unit_code=r.unit,
        text=r.note,
    )


def _mark_confidential(c: Context, r: ActionRequest) -> None:
    desk.mark_confidential(
        session=c.session, clock=c.clock, actor=c.actor, ticket=c.ticket, note=r.note
    )


def _legal_hold(hold: bool) -> Callable[[Context, ActionRequest], None]:
    def run(c: Context, r: ActionRequest) -> None:
        desk.set_legal_hold(
            session=c.session, clock=c.clock, actor=c.actor, ticket=c.ticket, hold=hold, note=r.note
        )

    return run


OTHERS: dict[str, Callable[[Context, ActionRequest], None]] = {
    "request_extension": _request_extension,
    "approve_extension": _decide_extension(extensions.approve),
    "refuse_extension": _decide_extension(extensions.refuse),
    "set_urgency": _set_urgency,
    "set_intake_type": _set_intake_type,
    "hand_over": _hand_over,
    "ask_assist": _ask_assist,
    "accept_task": _accept_task,
    "report_task": _report_task,
    "release_task": _release_task,
    "mark_confidential": _mark_confidential,
    "hold_recordings": _legal_hold(True),
    "release_hold": _legal_hold(False),
}


def take(
    *,
    session: Session,
    clock: Clock,
    policy: TriagePolicy,
    surveys: SurveyPolicy,
    actor: Actor,
    ticket: Ticket,
    request: ActionRequest,
) -> None:
    """Do the named action by the same rules everywhere; Conflict or InvalidTransition if not."""
    context = Context(session, clock, policy, surveys, actor, ticket)
    if request.action in LIFECYCLE:
        desk.perform(
            session=session,
            clock=clock,
            policy=policy,
            surveys=surveys,
            actor=actor,
            ticket=ticket,
            action=TicketAction(request.action),
            note=request.note,
        )
        return
    handler = OTHERS.get(request.action)
    if handler is None:
        raise Conflict(f"unknown action {request.action!r}")
    handler(context, request)
