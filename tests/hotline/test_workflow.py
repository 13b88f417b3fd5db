"""Accept, pause/resume and resolve through the service layer."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.core.database import unit_of_work
from hotline.core.settings import Settings
from hotline.notifications.models import Message
from hotline.tickets import workflow
from hotline.triage.policy import policy_from_settings
from tests.hotline.test_merge_and_return import new_ticket

SH = ZoneInfo("Asia/Shanghai")


def test_pause_gives_back_working_time_and_resolve_texts_the_resident(
    sessions: sessionmaker[Session], session: Session
) -> None:
    policy = policy_from_settings(Settings())
    clock = FixedClock(datetime(2026, 11, 16, 10, 0, tzinfo=SH).astimezone(UTC))
    with unit_of_work(sessions) as s:
        ticket = new_ticket(s, clock, 7, "dispatched")
        ticket.due_at = datetime(2026, 11, 18, 10, 0, tzinfo=SH)
        workflow.accept(session=s, clock=clock, ticket=ticket, actor="1101-01-02")
        assert ticket.accepted_at == clock.now()
        assert workflow.pause(ticket=ticket, clock=clock)
        assert not workflow.pause(ticket=ticket, clock=clock)
        clock.advance(hours=4)  # 10:00 → 14:00 Monday: 2.5 working hours (lunch excluded)
        assert workflow.resume(ticket=ticket, clock=clock, policy=policy)
        assert ticket.due_at == datetime(2026, 11, 18, 14, 0, tzinfo=SH)
        assert not workflow.resume(ticket=ticket, clock=clock, policy=policy)
        workflow.resolve(
            session=s,
            clock=clock,
            policy=policy,
            ticket=ticket,
            actor="1101-01-02",
            note="pipe replaced",
        )
        assert ticket.status == "resolved" and ticket.resolved_at == clock.now()
    message = session.scalars(select(Message)).one()
    assert message.kind == "resolved" and message.recipient == "+8613800000000"
    assert ticket.reference in message.body
