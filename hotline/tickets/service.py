"""Ticket verbs: create, look up, list, move through the lifecycle."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from hotline.core.clock import Clock
from hotline.core.errors import NotFound
from hotline.core.persistence import get_or_insert
from hotline.reasons import codes
from hotline.reasons import service as reasons
from hotline.tickets import queries
from hotline.tickets.models import Ticket, TicketCounter, TicketEvent
from hotline.tickets.transitions import (
    InvalidTransition,
    TicketAction,
    TicketStatus,
    next_status,
)
from hotline.webhooks import service as webhooks


def next_reference(*, session: Session, year: int) -> str:
    """Issue the next public reference for a year, such as 2026-000123."""
    bump = (
        update(TicketCounter)
        .where(TicketCounter.year == year)
        .values(last=TicketCounter.last + 1)
        .returning(TicketCounter.last)
    )
    number = session.scalar(bump)
    if number is None:
        try:
            with session.begin_nested():
                session.execute(insert(TicketCounter).values(year=year, last=1))
            number = 1
        except IntegrityError:
            number = session.scalar(bump)
    return f"{year}-{number:06d}"


def get_by_reference(*, session: Session, reference: str) -> Ticket | None:
    """The ticket with this public reference, if any."""
    return session.scalar(select(Ticket).where(Ticket.reference == reference))


def get_by_reference_or_raise(*, session: Session, reference: str) -> Ticket:
    """The ticket with this reference, or NotFound."""
    ticket = get_by_reference(session=session, reference=reference)
    if ticket is None:
        raise NotFound(f"no ticket {reference}")
    return ticket


def reference_from_digits(digits: str, year: int) -> str | None:
    """A keyed ticket number: all ten digits (2026000123), or up to six for this year's."""
    if not digits.isdigit():
        return None
    if len(digits) == 10:
        return f"{digits[:4]}-{digits[4:]}"
    if 1 <= len(digits) <= 6:
        return f"{year}-{int(digits):06d}"
    return None


def follow_merges(*, session: Session, ticket: Ticket) -> Ticket:
    """The ticket a merged one now lives on in (itself if not merged)."""
    seen = {ticket.id}
    while ticket.merged_into_id is not None and ticket.merged_into_id not in seen:
        seen.add(ticket.merged_into_id)
        merged = session.get(Ticket, ticket.merged_into_id)
        if merged is None:
            break
        ticket = merged
    return ticket


def get_by_call(*, session: Session, call_id: int) -> Ticket | None:
    """The ticket opened by a call, if any."""
    return session.scalar(select(Ticket).where(Ticket.call_id == call_id))


def get_or_create_for_call(
    *,
    session: Session,
    clock: Clock,
    call_id: int,
    caller: str,
    language: str | None,
    category: str | None,
    location_code: str | None,
    channel: str = "ivr",
    fallback: bool = False,
) -> tuple[Ticket, bool]:
    """One ticket per call, however many times the webhooks arrive."""

    def build() -> Ticket:
        now = clock.now()
        ticket = Ticket(
            reference=next_reference(session=session, year=now.year),
            call_id=call_id,
            status=TicketStatus.RECEIVED,
            channel=channel,
            category=category,
            location_code=location_code,
            caller=caller,
            language=language,
            fallback=fallback,
            created_at=now,
            updated_at=now,
        )
        ticket.events.append(
            opening_event(
                actor=channel,
                why=codes.reason("intake.fallback") if fallback else None,
                at=now,
            )
        )
        return ticket

    ticket, created = get_or_insert(
        session=session, find=lambda: get_by_call(session=session, call_id=call_id), build=build
    )
    if created:
        announce_created(session=session, clock=clock, ticket=ticket)
    return ticket, created


def transition(
    *,
    session: Session,
    clock: Clock,
    ticket: Ticket,
    action: TicketAction,
    actor: str,
    reason: reasons.Why = None,
    rule: str | None = None,
) -> TicketEvent:
    """Move a ticket by the transition table and write the event; raises InvalidTransition.

    `reason` is a coded Reason (or several), or free text: a person's own words.
    """
    current = TicketStatus(ticket.status)
    target = next_status(current, action)
    now = clock.now()
    ticket.status = target
    ticket.updated_at = now
    event = TicketEvent(
        action=action,
        from_status=current,
        to_status=target,
        actor=actor,
        rule=rule,
        created_at=now,
        **reasons.columns(reason),
    )
    ticket.events.append(event)
    session.flush()
    webhooks.announce(session=session, clock=clock, ticket=ticket, event=event)
    return event


def opening_event(
    *, actor: str, why: reasons.Why, at: datetime, rule: str | None = None
) -> TicketEvent:
    """The first event of a new ticket: created, received."""
    return TicketEvent(
        action="create",
        from_status=None,
        to_status=TicketStatus.RECEIVED,
        actor=actor,
        rule=rule,
        created_at=at,
        **reasons.columns(why),
    )


def announce_created(*, session: Session, clock: Clock, ticket: Ticket) -> None:
    """Tell subscribers about a new ticket (after it is flushed with its create event)."""
    webhooks.announce(session=session, clock=clock, ticket=ticket, event=ticket.events[0])


def record(
    *,
    session: Session,
    clock: Clock,
    ticket: Ticket,
    action: str,
    actor: str,
    reason: reasons.Why = None,
    rule: str | None = None,
    unit_id: int | None = None,
) -> TicketEvent:
    """Write an event that leaves the status as it is (a class change, an extension)."""
    now = clock.now()
    ticket.updated_at = now
    event = TicketEvent(
        action=action,
        from_status=ticket.status,
        to_status=ticket.status,
        actor=actor,
        rule=rule,
        unit_id=unit_id,
        created_at=now,
        **reasons.columns(reason),
    )
    ticket.events.append(event)
    session.flush()
    return event


def flag_for_review(*, ticket: Ticket, why: reasons.Why) -> None:
    """Send the ticket to the human triage queue, saying why in codes and in English."""
    text, codes = reasons.stored(why)
    ticket.needs_review = True
    ticket.review_reason = text
    ticket.review_codes = codes or None


def clear_review(*, ticket: Ticket) -> None:
    """A person or a rule has placed the ticket; it leaves the triage queue."""
    ticket.needs_review = False
    ticket.review_reason = None
    ticket.review_codes = None


def flag_for_listening(*, ticket: Ticket, reason: str) -> None:
    """Ask a person to listen to the recording because the machine could not."""
    ticket.needs_listening = True
    ticket.listening_reason = reason


def list_tickets(
    *,
    session: Session,
    status: str | None = None,
    category: str | None = None,
    phone: str | None = None,
    since: datetime | None = None,
    text: str | None = None,
    intake_type: str | None = None,
    urgency: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Sequence[Ticket]:
    """Tickets newest first, filtered by whatever is given; `text` searches as the console does
    (a reference, part of a number, or words in the summary, transcript and corrections)."""
    query = (
        select(Ticket)
        .options(
            selectinload(Ticket.grid),
            selectinload(Ticket.team),
            selectinload(Ticket.responsible_unit),
            selectinload(Ticket.assignee),
            selectinload(Ticket.duplicate_of),
        )
        .order_by(Ticket.id.desc())
    )
    if status:
        query = query.where(Ticket.status == status)
    if category:
        query = query.where(Ticket.category == category)
    if intake_type:
        query = query.where(Ticket.intake_type == intake_type)
    if urgency:
        query = query.where(Ticket.urgency == urgency)
    if phone:  # integrations are units: a number never finds a confidential caller
        query = query.where(Ticket.caller == phone, Ticket.confidential.is_(False))
    if since:
        query = query.where(Ticket.created_at >= since)
    if text and text.strip():
        query = query.where(queries.text_clause(session, text.strip(), by_number=False))
    return session.scalars(query.limit(limit).offset(offset)).all()


def merge(
    *, session: Session, clock: Clock, ticket: Ticket, into: Ticket, actor: str, reason: str
) -> TicketEvent:
    """Merge a duplicate into the surviving ticket; both keep their histories."""
    survivor = follow_merges(session=session, ticket=into)
    if survivor.id == ticket.id:
        raise InvalidTransition(TicketStatus(ticket.status), TicketAction.MERGE)
    event = transition(
        session=session,
        clock=clock,
        ticket=ticket,
        action=TicketAction.MERGE,
        actor=actor,
        reason=[codes.reason("merge.into", reference=survivor.reference), codes.note(reason)],
        rule="merge",
    )
    ticket.merged_into_id = survivor.id
    survivor.events.append(
        TicketEvent(
            action="absorb",
            from_status=survivor.status,
            to_status=survivor.status,
            actor=actor,
            rule="merge",
            created_at=clock.now(),
            **reasons.columns(
                [codes.reason("merge.from", reference=ticket.reference), codes.note(reason)]
            ),
        )
    )
    session.flush()
    return event


def return_to_triage(
    *, session: Session, clock: Clock, ticket: Ticket, actor: str, reason: str
) -> TicketEvent:
    """The team hands the ticket back with a reason ("not ours"); it goes to the human triage
    queue and counts against the returning unit."""
    if not reason.strip():
        raise ValueError("a returned ticket needs a reason")
    event = transition(
        session=session,
        clock=clock,
        ticket=ticket,
        action=TicketAction.RETURN,
        actor=actor,
        reason=reason,
        rule="returned-by-team",
    )
    event.unit_id = ticket.team_id
    ticket.return_count = (ticket.return_count or 0) + 1
    ticket.assignee = None
    flag_for_review(
        ticket=ticket, why=[codes.reason("review.returned", actor=actor), codes.note(reason)]
    )
    return event


def check_allowed(ticket: Ticket, action: TicketAction) -> None:
    """Raise InvalidTransition if the action is not allowed from the ticket's status."""
    next_status(TicketStatus(ticket.status), action)
