"""Ask for, approve and refuse extensions; the deadline moves only on approval."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.core.clock import Clock
from hotline.core.errors import Conflict
from hotline.extensions.models import TicketExtension
from hotline.extensions.rules import ExtensionMove, ExtensionStatus, RequestCheck, decide, refusal
from hotline.reasons.codes import Reason, note, reason
from hotline.sla.policy import Deadlines
from hotline.tickets import service as tickets
from hotline.tickets.models import Ticket
from hotline.tickets.transitions import TicketStatus
from hotline.users.access import require, require_lead
from hotline.users.permissions import Actor, Verb


def history(*, session: Session, ticket_id: int) -> Sequence[TicketExtension]:
    """A ticket's requests, oldest first."""
    query = select(TicketExtension).where(TicketExtension.ticket_id == ticket_id)
    return session.scalars(query.order_by(TicketExtension.id)).all()


def pending(*, session: Session, ticket_id: int) -> TicketExtension | None:
    """The request waiting for a decision, if any."""
    query = select(TicketExtension).where(
        TicketExtension.ticket_id == ticket_id,
        TicketExtension.status == ExtensionStatus.PENDING,
    )
    return session.scalar(query)


def _approved(session: Session, ticket_id: int) -> tuple[int, int]:
    """How many requests were granted, and their days together."""
    query = select(func.count(), func.coalesce(func.sum(TicketExtension.days), 0)).where(
        TicketExtension.ticket_id == ticket_id,
        TicketExtension.status == ExtensionStatus.APPROVED,
    )
    count, days = session.execute(query).one()
    return int(count or 0), int(days or 0)


def approved_days(*, session: Session, ticket_id: int) -> int:
    """Days granted so far."""
    return _approved(session, ticket_id)[1]


def moved_deadline(*, session: Session, ticket: Ticket, due: Deadlines) -> datetime | None:
    """A freshly counted completion deadline plus the days already granted."""
    if due.resolution_due_at is None:
        return None
    days = approved_days(session=session, ticket_id=ticket.id)
    return due.resolution_due_at + timedelta(days=days)


def _local(moment: datetime | None, timezone: str) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def _why(code: str, extension: TicketExtension, until: datetime | None, timezone: str) -> Reason:
    return reason(code, days=extension.days, until=_local(until, timezone))


def request(
    *,
    session: Session,
    clock: Clock,
    timezone: str,
    actor: Actor,
    ticket: Ticket,
    days: int,
    note_text: str,
) -> TicketExtension:
    """The handling team asks for `days` more calendar days, saying why; nothing moves yet."""
    require(actor, Verb.REQUEST_EXTENSION)
    require_lead(actor, ticket)
    approved, _ = _approved(session, ticket.id)
    problem = refusal(
        RequestCheck(
            ticket_status=TicketStatus(ticket.status),
            has_deadline=ticket.due_at is not None,
            pending=pending(session=session, ticket_id=ticket.id) is not None,
            approved=approved,
            days=days,
            note=note_text,
        )
    )
    if problem is not None:
        raise Conflict(problem)
    assert ticket.due_at is not None
    now = clock.now()
    extension = TicketExtension(
        ticket_id=ticket.id,
        unit_id=ticket.team_id,
        days=days,
        note=note_text.strip()[:4000],
        status=ExtensionStatus.PENDING,
        requested_by=actor.name,
        requested_at=now,
        proposed_due_at=ticket.due_at + timedelta(days=days),
    )
    session.add(extension)
    tickets.record(
        session=session,
        clock=clock,
        ticket=ticket,
        action="extension",
        actor=actor.name,
        reason=[
            _why("extension.requested", extension, extension.proposed_due_at, timezone),
            note(extension.note),
        ],
        rule="extension-requested",
        unit_id=ticket.team_id,
    )
    return extension


def _decide(
    *,
    session: Session,
    clock: Clock,
    timezone: str,
    actor: Actor,
    ticket: Ticket,
    move: ExtensionMove,
    note_text: str | None,
) -> TicketExtension:
    require(actor, Verb.DECIDE_EXTENSION)
    extension = pending(session=session, ticket_id=ticket.id)
    try:
        status = decide(ExtensionStatus(extension.status) if extension else None, move)
    except ValueError as error:
        raise Conflict(str(error)) from None
    assert extension is not None
    if move is ExtensionMove.REFUSE and not (note_text or "").strip():
        raise Conflict("say why the extension is refused")
    if ticket.status == TicketStatus.MERGED or ticket.due_at is None:
        raise Conflict("the ticket has no deadline to extend any more")
    now = clock.now()
    extension.status = status
    extension.decided_by = actor.name
    extension.decided_at = now
    extension.decision_note = (note_text or "").strip()[:4000] or None
    extension.due_before = ticket.due_at
    if status is ExtensionStatus.APPROVED:
        ticket.due_at = ticket.due_at + timedelta(days=extension.days)
    extension.due_after = ticket.due_at
    code = "extension.approved" if status is ExtensionStatus.APPROVED else "extension.refused"
    tickets.record(
        session=session,
        clock=clock,
        ticket=ticket,
        action="extension",
        actor=actor.name,
        reason=[_why(code, extension, ticket.due_at, timezone)]
        + ([note(extension.decision_note)] if extension.decision_note else []),
        rule=f"extension-{status.value}",
        unit_id=extension.unit_id,
    )
    return extension


def approve(
    *,
    session: Session,
    clock: Clock,
    timezone: str,
    actor: Actor,
    ticket: Ticket,
    note_text: str | None = None,
) -> TicketExtension:
    """A supervisor grants the waiting request: the deadline moves by its days."""
    return _decide(
        session=session,
        clock=clock,
        timezone=timezone,
        actor=actor,
        ticket=ticket,
        move=ExtensionMove.APPROVE,
        note_text=note_text,
    )


def refuse(
    *, session: Session, clock: Clock, timezone: str, actor: Actor, ticket: Ticket, note_text: str
) -> TicketExtension:
    """A supervisor refuses the waiting request, saying why; the deadline stays."""
    return _decide(
        session=session,
        clock=clock,
        timezone=timezone,
        actor=actor,
        ticket=ticket,
        move=ExtensionMove.REFUSE,
        note_text=note_text,
    )


def waiting(*, session: Session, limit: int = 100) -> Sequence[tuple[TicketExtension, Ticket]]:
    """Requests waiting for a decision, oldest first, with their tickets."""
    query = (
        select(TicketExtension, Ticket)
        .join(Ticket, Ticket.id == TicketExtension.ticket_id)
        .where(TicketExtension.status == ExtensionStatus.PENDING)
        .order_by(TicketExtension.id)
        .limit(limit)
    )
    return [(e, t) for e, t in session.execute(query).all()]


def counts_by_unit(
    *, session: Session, since: datetime, until: datetime
) -> dict[int, dict[str, int]]:
    """Requests per unit in a period, by status."""
    query = (
        select(TicketExtension.unit_id, TicketExtension.status, func.count())
        .where(TicketExtension.requested_at >= since, TicketExtension.requested_at < until)
        .group_by(TicketExtension.unit_id, TicketExtension.status)
    )
    found: dict[int, dict[str, int]] = {}
    for unit_id, status, count in session.execute(query):
        if unit_id is not None:
            found.setdefault(unit_id, {})[status] = count
    return found
