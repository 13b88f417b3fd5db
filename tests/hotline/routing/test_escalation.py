"""The escalation sweep: overdue tickets climb grid → community → town → district, once each."""

from __future__ import annotations

from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.core.database import unit_of_work
from hotline.notifications.models import Message
from hotline.routing import escalation
from hotline.tickets.models import Ticket, TicketEvent
from hotline.triage.policy import TriagePolicy
from tests.conftest import Twilio
from tests.ivr.test_status_and_recognition import HOUSEHOLD_PHONE
from tests.twiml import parse
from worker.context import WorkerContext
from worker.relay import enqueue_sweep


def dispatched_ticket(twilio: Twilio) -> None:
    twilio.caller = HOUSEHOLD_PHONE
    for path, digits in [
        ("/ivr/voice", ""),
        ("/ivr/voice/language?attempt=1", "2"),
        ("/ivr/voice/menu?attempt=1", "1"),
        ("/ivr/voice/category?attempt=1", "2"),
        ("/ivr/voice/location-on-file?attempt=1", "1"),
    ]:
        parse(twilio.post(path, Digits=digits))
    parse(twilio.post("/ivr/voice/recorded?missing=1"))


def sweep(sessions: sessionmaker[Session], clock: FixedClock, policy: TriagePolicy) -> list[str]:
    with unit_of_work(sessions) as session:
        return escalation.sweep(session=session, clock=clock, policy=policy)


def state(session: Session) -> tuple[str, str, int, str | None]:
    session.rollback()
    ticket = session.scalars(select(Ticket)).one()
    assert ticket.team is not None
    assignee = ticket.assignee.code if ticket.assignee else None
    return ticket.status, ticket.team.code, ticket.escalation_level, assignee


def test_overdue_ticket_climbs_one_level_per_missed_deadline(
    twilio: Twilio,
    sessions: sessionmaker[Session],
    session: Session,
    clock: FixedClock,
    worker_context: WorkerContext,
) -> None:
    policy = worker_context.policy
    dispatched_ticket(twilio)
    assert state(session) == ("dispatched", "1101-01", 0, "1101-01-02")
    assert sweep(sessions, clock, policy) == []  # nothing overdue yet

    clock.advance(days=7)  # Friday evening + 4 working hours is Monday: long missed
    assert sweep(sessions, clock, policy) == ["2026-000001"]
    assert state(session) == ("dispatched", "1101", 1, "1101-S1")
    assert sweep(sessions, clock, policy) == []  # running twice changes nothing

    clock.advance(days=7)
    sweep(sessions, clock, policy)
    assert state(session)[1:3] == ("T01", 2)
    clock.advance(days=7)
    sweep(sessions, clock, policy)
    assert state(session)[1:3] == ("D01", 3)
    clock.advance(days=7)
    assert sweep(sessions, clock, policy) == []  # the district is the top
    assert state(session)[1:3] == ("D01", 3)

    events = session.scalars(
        select(TicketEvent).where(TicketEvent.action == "escalate").order_by(TicketEvent.id)
    ).all()
    assert [e.rule for e in events] == ["overdue-acceptance"] * 3
    assert events[0].reason_codes == [
        {
            "code": "escalation.acceptance_overdue",
            "params": {
                "from_unit": "1101-01",
                "unit_level": "community",
                "to_unit": "1101",
                "escalation": 1,
            },
        }
    ]
    assert "escalated to the community 1101 (level 1)" in (events[0].reason or "")
    escalations = session.scalars(select(Message).where(Message.kind == "escalation")).all()
    recipients = {(m.key.split(":")[2], m.key.split(":")[3]) for m in escalations}
    assert ("1", "1101-S1") in recipients and ("1", "T01-SV") in recipients
    assert ("3", "D01-SV") in recipients


def test_sweep_is_queued_once_per_interval_by_any_number_of_relays(
    worker_context: WorkerContext, redis: Redis, clock: FixedClock
) -> None:
    settings = worker_context.settings
    assert enqueue_sweep(redis=redis, clock=clock, settings=settings)
    assert not enqueue_sweep(redis=redis, clock=clock, settings=settings)
    clock.advance(seconds=settings.escalation_interval_seconds)
    assert enqueue_sweep(redis=redis, clock=clock, settings=settings)
