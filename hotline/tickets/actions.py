"""The actions the API and console take by name: lifecycle moves, time limits, extensions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

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
OTHERS = (
    "request_extension",
    "approve_extension",
    "refuse_extension",
    "set_urgency",
    "set_intake_type",
    "hand_over",
)


@dataclass(frozen=True)
class ActionRequest:
    """An action by name and what it needs."""

    action: str
    note: str = ""
    days: int | None = None
    urgency: str | None = None
    intake_type: str | None = None


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
    name, timezone = request.action, policy.calendar.timezone
    if name in LIFECYCLE:
        desk.perform(
            session=session,
            clock=clock,
            policy=policy,
            surveys=surveys,
            actor=actor,
            ticket=ticket,
            action=TicketAction(name),
            note=request.note,
        )
    elif name == "request_extension":
        if request.days is None:
            raise Conflict("say how many more days are needed")
        extensions.request(
            session=session,
            clock=clock,
            timezone=timezone,
            actor=actor,
            ticket=ticket,
            days=request.days,
            note_text=request.note,
        )
    elif name == "approve_extension":
        extensions.approve(
            session=session,
            clock=clock,
            timezone=timezone,
            actor=actor,
            ticket=ticket,
            note_text=request.note,
        )
    elif name == "refuse_extension":
        extensions.refuse(
            session=session,
            clock=clock,
            timezone=timezone,
            actor=actor,
            ticket=ticket,
            note_text=request.note,
        )
    elif name == "set_urgency":
        desk.change_urgency(
            session=session,
            clock=clock,
            policy=policy,
            actor=actor,
            ticket=ticket,
            urgency=request.urgency or "",
            note=request.note,
        )
    elif name == "set_intake_type":
        desk.change_intake_type(
            session=session,
            clock=clock,
            actor=actor,
            ticket=ticket,
            intake_type=request.intake_type or "",
        )
    elif name == "hand_over":
        desk.hand_over(session=session, clock=clock, actor=actor, ticket=ticket)
    else:
        raise Conflict(f"unknown action {name!r}")
