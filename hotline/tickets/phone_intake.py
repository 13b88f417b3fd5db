"""Tickets an agent types with the caller on the line: the new-ticket form and the seat."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hotline.calls.models import Call
from hotline.core.clock import Clock
from hotline.core.errors import Conflict
from hotline.core.phones import is_e164
from hotline.grids import service as grids
from hotline.kb import service as kb
from hotline.kb.models import Article, ArticleStatus
from hotline.notifications import service as notifications
from hotline.reasons.codes import Reason, reason
from hotline.routing import service as routing
from hotline.tickets import classes
from hotline.tickets import service as tickets
from hotline.tickets.categories import Category
from hotline.tickets.desk import retriage
from hotline.tickets.kinds import IntakeType
from hotline.tickets.models import Ticket, TicketNote
from hotline.tickets.transitions import TicketAction, TicketStatus
from hotline.triage import service as triage
from hotline.triage.config import TriageLevel
from hotline.triage.policy import TriagePolicy
from hotline.users.access import require
from hotline.users.permissions import Actor, Verb


def _typed_ticket(
    *,
    session: Session,
    clock: Clock,
    actor: Actor,
    caller: str,
    language: str,
    category: str,
    community: str | None,
    summary: str,
    why: Reason,
    call_id: int | None = None,
    intake_type: str | None = None,
    confidential: bool = False,
) -> Ticket:
    """Check an agent's form and open the ticket (received) with its first event; a caller who
    asks for confidentiality (保密) is never shown to the units."""
    require(actor, Verb.CREATE)
    if intake_type and intake_type not in {t.value for t in IntakeType}:
        raise Conflict(f"unknown intake type {intake_type!r}")
    if not is_e164(caller):
        raise Conflict("caller: an E.164 number such as +8613800000000")
    if category not in {c.value for c in Category}:
        raise Conflict(f"unknown category {category!r}")
    if community and grids.get_community_by_code(session=session, code=community) is None:
        raise Conflict(f"no community {community}")
    if not summary.strip():
        raise Conflict("write down what the caller said")
    if call_id is not None and tickets.get_by_call(session=session, call_id=call_id) is not None:
        raise Conflict("this call already has a ticket")
    now = clock.now()
    ticket = Ticket(
        reference=tickets.next_reference(session=session, year=now.year),
        call_id=call_id,
        status=TicketStatus.RECEIVED,
        channel="agent",
        category=category,
        location_code=community or None,
        caller=caller,
        language=language,
        summary=summary.strip()[:4000],
        intake_type=intake_type or None,
        intake_type_by=actor.name if intake_type else None,
        confidential=confidential,
        confidential_by=actor.name if confidential else None,
        created_by=actor.name,
        created_at=now,
        updated_at=now,
    )
    ticket.events.append(tickets.opening_event(actor=actor.name, why=why, at=now))
    session.add(ticket)
    session.flush()
    tickets.announce_created(session=session, clock=clock, ticket=ticket)
    return ticket


def _published_article(*, session: Session, code: str) -> Article:
    found = kb.get_by_code(session=session, code=code)
    if found is None or found.status != ArticleStatus.PUBLISHED:
        raise Conflict(f"no published knowledge-base article {code!r}")
    return found


def _answered(
    *, session: Session, clock: Clock, policy: TriagePolicy, actor: Actor, ticket: Ticket
) -> Ticket:
    """A question settled on the call: answered, not dispatched, with no time limit."""
    classes.infer_intake_type(ticket=ticket, config=policy.config)
    ticket.level = TriageLevel.SIMPLE
    article = session.get(Article, ticket.kb_article_id) if ticket.kb_article_id else None
    tickets.transition(
        session=session,
        clock=clock,
        ticket=ticket,
        action=TicketAction.ANSWER,
        actor=actor.name,
        reason=reason("intake.answered_kb", article=article.code)
        if article
        else reason("intake.answered"),
    )
    ticket.closed_at = clock.now()
    return ticket


def create_on_behalf(
    *,
    session: Session,
    clock: Clock,
    policy: TriagePolicy,
    actor: Actor,
    caller: str,
    language: str,
    category: str,
    community: str | None,
    summary: str,
    answered: bool,
    intake_type: str | None = None,
    confidential: bool = False,
) -> Ticket:
    """A ticket typed by an agent with the caller on the line; answered ones close at once."""
    ticket = _typed_ticket(
        intake_type=intake_type,
        confidential=confidential,
        session=session,
        clock=clock,
        actor=actor,
        caller=caller,
        language=language,
        category=category,
        community=community,
        summary=summary,
        why=reason("intake.agent"),
    )
    return _settle(
        session=session, clock=clock, policy=policy, actor=actor, ticket=ticket, answered=answered
    )


def create_from_call(
    *,
    session: Session,
    clock: Clock,
    policy: TriagePolicy,
    actor: Actor,
    call: Call,
    category: str,
    community: str | None,
    grid: str | None,
    urgent: bool,
    summary: str,
    transcript: str,
    answered: bool,
    article: str | None = None,
    intake_type: str | None = None,
    confidential: bool = False,
) -> Ticket:
    """The seat's form: the agent's category and place route the ticket at once, the live
    transcript goes with it; a question settled on the call closes as answered, linked to the
    knowledge-base article the agent answered from (Conflict if it is not published)."""
    linked = _published_article(session=session, code=article) if article else None
    ticket = _typed_ticket(
        session=session,
        clock=clock,
        actor=actor,
        caller=call.from_number,
        language=call.language or "zh-CN",
        category=category,
        community=community,
        summary=summary,
        why=reason("intake.seat", agent=actor.name),
        call_id=call.id,
        intake_type=intake_type,
        confidential=confidential,
    )
    ticket.kb_article_id = linked.id if linked else None
    if transcript.strip():
        session.add(
            TicketNote(
                ticket_id=ticket.id,
                author=actor.name,
                visibility="internal",
                body=transcript.strip()[:20000],
                created_at=clock.now(),
            )
        )
    return _settle(
        session=session,
        clock=clock,
        policy=policy,
        actor=actor,
        ticket=ticket,
        answered=answered,
        place=(grid, urgent) if community else None,
    )


def _settle(
    *,
    session: Session,
    clock: Clock,
    policy: TriagePolicy,
    actor: Actor,
    ticket: Ticket,
    answered: bool,
    place: tuple[str | None, bool] | None = None,
) -> Ticket:
    """Close an answered question; otherwise tell the caller, then route on the agent's place
    (grid, urgent) at once, or let the rules (and, if unsure, a person) decide."""
    if answered:
        return _answered(session=session, clock=clock, policy=policy, actor=actor, ticket=ticket)
    notifications.notify_resident(
        session=session,
        clock=clock,
        ticket=ticket,
        kind="intake",
        timezone=policy.calendar.timezone,
    )
    if place is None:
        triage.triage_ticket(
            session=session, clock=clock, policy=policy, ticket=ticket, transcript=None
        )
        return ticket
    grid, urgent = place
    category = ticket.category or Category.OTHER.value
    rule = policy.config.categories[Category(category)]
    retriage(
        session=session,
        clock=clock,
        policy=policy,
        actor=actor,
        ticket=ticket,
        category=category,
        grid_code=grid or None,
        level=(TriageLevel.URGENT if urgent else rule.level).value,
        intake_type=ticket.intake_type if classes.chosen_by_person(ticket.intake_type_by) else None,
    )
    routing.dispatch(session=session, clock=clock, policy=policy, ticket=ticket, actor=actor.name)
    return ticket
