"""Ask units to assist on a ticket, and let each unit accept and report on its own task."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from hotline.assists.models import TicketTask
from hotline.assists.rules import OPEN, TaskMove, TaskStatus, add_refusal, move
from hotline.core.clock import Clock
from hotline.core.errors import Conflict, NotFound
from hotline.grids import service as grids
from hotline.grids.models import Member, OrgUnit
from hotline.notifications import service as notifications
from hotline.reasons.codes import Reason, note, reason
from hotline.routing.rules import least_loaded
from hotline.routing.service import candidates
from hotline.tickets import service as tickets
from hotline.tickets.models import Ticket, TicketEvent
from hotline.tickets.transitions import TicketStatus
from hotline.users.access import require
from hotline.users.permissions import Actor, Verb

WORKING = (TicketStatus.DISPATCHED, TicketStatus.ACCEPTED, TicketStatus.REOPENED)


def tasks_of(*, session: Session, ticket_ids: Sequence[int]) -> Sequence[TicketTask]:
    """The assisting tasks of these tickets, in the order they were asked."""
    if not ticket_ids:
        return []
    query = (
        select(TicketTask)
        .where(TicketTask.ticket_id.in_(ticket_ids))
        .options(selectinload(TicketTask.unit), selectinload(TicketTask.member))
    )
    return session.scalars(query.order_by(TicketTask.id)).all()


def tasks(*, session: Session, ticket_id: int) -> Sequence[TicketTask]:
    """A ticket's assisting tasks, in the order they were asked."""
    return tasks_of(session=session, ticket_ids=[ticket_id])


def open_units(*, session: Session, ticket_id: int) -> list[str]:
    """Codes of the assisting units still working on the ticket."""
    query = (
        select(OrgUnit.code)
        .join(TicketTask, TicketTask.unit_id == OrgUnit.id)
        .where(TicketTask.ticket_id == ticket_id, TicketTask.status.in_(OPEN))
    )
    return list(session.scalars(query))


def open_for(*, session: Session, actor: Actor) -> Sequence[TicketTask]:
    """Open tasks of the units the actor works in (all open tasks for an unscoped actor)."""
    query = select(TicketTask).where(TicketTask.status.in_(OPEN))
    if actor.scope is not None:
        query = query.where(TicketTask.unit_id.in_(actor.scope))
    return session.scalars(query.order_by(TicketTask.asked_at, TicketTask.id)).all()


def _member_for(session: Session, unit: OrgUnit) -> Member | None:
    found, members = candidates(session=session, unit=unit)
    active = [c for c in found if c.active]
    return members[least_loaded(active).code] if active else None


def _event(
    session: Session,
    clock: Clock,
    ticket: Ticket,
    actor: Actor,
    task: TicketTask,
    why: list[Reason],
) -> TicketEvent:
    return tickets.record(
        session=session,
        clock=clock,
        ticket=ticket,
        action="assist",
        actor=actor.name,
        reason=why,
        rule=f"assist-{task.status}",
        unit_id=task.unit_id,
    )


def _text(value: str | None) -> list[Reason]:
    value = (value or "").strip()
    return [note(value[:4000])] if value else []


def ask(
    *,
    session: Session,
    clock: Clock,
    timezone: str,
    actor: Actor,
    ticket: Ticket,
    unit_code: str,
    request: str,
) -> TicketTask:
    """Ask a unit to assist the lead unit with a task; its least-loaded member is told by SMS."""
    require(actor, Verb.DISPATCH)
    if TicketStatus(ticket.status) not in WORKING:
        raise Conflict(
            f"only a ticket being worked on takes assisting units; it is {ticket.status}"
        )
    request = request.strip()
    if not request:
        raise Conflict("say what the assisting unit is asked to do")
    unit = grids.get_unit_by_code(session=session, code=unit_code)
    if unit is None:
        raise Conflict(f"no unit {unit_code}")
    current = [t.unit.code for t in tasks(session=session, ticket_id=ticket.id)]
    lead = ticket.team.code if ticket.team else None
    refused = add_refusal(unit=unit.code, lead=lead, current=current)
    if refused:
        raise Conflict(refused)
    member = _member_for(session, unit)
    task = TicketTask(
        ticket_id=ticket.id,
        unit=unit,
        member=member,
        status=TaskStatus.ASKED,
        request=request[:4000],
        asked_by=actor.name,
        asked_at=clock.now(),
    )
    session.add(task)
    session.flush()
    _event(session, clock, ticket, actor, task, [reason("assist.asked", unit=unit.code)])
    if member is not None:
        notifications.notify_member(
            session=session,
            clock=clock,
            ticket=ticket,
            member=member,
            kind="assist",
            timezone=timezone,
            task=task.request[:60],
        )
    return task


def task_of(*, session: Session, actor: Actor, ticket: Ticket, unit_code: str | None) -> TicketTask:
    """The task of the named unit, or of the actor's own unit; NotFound if there is none."""
    found = tasks(session=session, ticket_id=ticket.id)
    if unit_code:
        mine = [t for t in found if t.unit.code == unit_code]
        mine = [t for t in mine if actor.scope is None or t.unit_id in actor.scope]
    elif actor.scope is None:
        raise Conflict("say which unit's task (unit)")
    else:
        mine = [t for t in found if t.unit_id in actor.scope]
    if not mine:
        whose = unit_code or "your unit"
        raise NotFound(f"{whose} has no assisting task on ticket {ticket.reference}")
    if len(mine) > 1:
        raise Conflict("say which unit's task: " + ", ".join(t.unit.code for t in mine))
    return mine[0]


def _move(task: TicketTask, task_move: TaskMove) -> TaskStatus:
    try:
        return move(TaskStatus(task.status), task_move)
    except ValueError as error:
        raise Conflict(str(error)) from None


def accept(
    *, session: Session, clock: Clock, actor: Actor, ticket: Ticket, unit_code: str | None = None
) -> TicketTask:
    """The assisting unit takes its task."""
    require(actor, Verb.ACCEPT)
    task = task_of(session=session, actor=actor, ticket=ticket, unit_code=unit_code)
    task.status = _move(task, TaskMove.ACCEPT)
    task.accepted_by, task.accepted_at = actor.name, clock.now()
    _event(session, clock, ticket, actor, task, [reason("assist.accepted", unit=task.unit.code)])
    return task


FINISHES = {  # move: (verb, what a missing text means, text column, who, when, reason code)
    TaskMove.REPORT: (
        Verb.RESOLVE,
        "say what the unit did",
        ("report", "reported_by", "reported_at"),
        "assist.reported",
    ),
    TaskMove.RELEASE: (
        Verb.RELEASE_ASSIST,
        "say why the unit is released",
        ("release_note", "released_by", "released_at"),
        "assist.released",
    ),
}


def _finish(
    session: Session,
    clock: Clock,
    actor: Actor,
    ticket: Ticket,
    unit_code: str | None,
    text: str,
    task_move: TaskMove,
) -> TicketTask:
    verb, missing, (text_column, by_column, at_column), code = FINISHES[task_move]
    require(actor, verb)
    task = task_of(session=session, actor=actor, ticket=ticket, unit_code=unit_code)
    status = _move(task, task_move)
    if not text.strip():
        raise Conflict(missing)
    task.status = status
    setattr(task, text_column, text.strip()[:4000])
    setattr(task, by_column, actor.name)
    setattr(task, at_column, clock.now())
    why = [reason(code, unit=task.unit.code), *_text(text)]
    _event(session, clock, ticket, actor, task, why)
    return task


def report(
    *,
    session: Session,
    clock: Clock,
    actor: Actor,
    ticket: Ticket,
    text: str,
    unit_code: str | None = None,
) -> TicketTask:
    """The assisting unit says what it did; its part is done."""
    return _finish(session, clock, actor, ticket, unit_code, text, TaskMove.REPORT)


def release(
    *, session: Session, clock: Clock, actor: Actor, ticket: Ticket, unit_code: str, text: str
) -> TicketTask:
    """A supervisor lets an assisting unit go without a report, saying why."""
    return _finish(session, clock, actor, ticket, unit_code, text, TaskMove.RELEASE)
