"""SMS: once per event, in the recipient's language, never to withheld or opted-out numbers."""

from __future__ import annotations

import json
from datetime import timedelta

from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.calls import service as calls
from hotline.core.database import unit_of_work
from hotline.grids import service as grids
from hotline.notifications import service as notifications
from hotline.notifications.models import Message, SmsOptOut
from hotline.tickets import service as tickets
from hotline.tickets.models import Ticket
from tests.conftest import run_jobs
from worker.context import WorkerContext
from worker.jobs import send_message


def ticket_for(ctx: WorkerContext, session: Session, caller: str) -> Ticket:
    call = calls.get_or_create(
        session=session, clock=ctx.clock, call_sid=f"CA{caller}", from_number=caller, to_number=""
    )
    ticket, _ = tickets.get_or_create_for_call(
        session=session,
        clock=ctx.clock,
        call_id=call.id,
        caller=caller,
        language="ko",
        category="utilities",
        location_code="1203",
    )
    ticket.grid = grids.get_unit_by_code(session=session, code="1203-01")
    ticket.due_at = ctx.clock.now() + timedelta(days=2)
    return ticket


def sms_log(ctx: WorkerContext) -> list[dict[str, str]]:
    path = ctx.settings.data_dir / "simulator" / "sms.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_member_sms_in_their_language_sent_once(
    worker_context: WorkerContext, redis: Redis, session: Session, seeded: None
) -> None:
    ctx = worker_context
    with unit_of_work(ctx.sessions) as s:
        ticket = ticket_for(ctx, s, "+8613811110000")
        member = grids.get_unit_by_code(session=s, code="1203-01")
        assert member is not None
        korean = next(
            m for m in grids.list_members(session=s, unit_id=member.id) if m.language == "ko"
        )
        for _ in range(2):  # the same event twice: one message
            notifications.notify_member(
                session=s,
                clock=ctx.clock,
                ticket=ticket,
                member=korean,
                kind="dispatch",
                timezone="Asia/Shanghai",
            )
    assert run_jobs(ctx, redis) == 1
    message = session.scalars(select(Message)).one()
    assert message.status == "sent" and message.language == "ko"
    assert "수도 전기 가스 난방" in message.body and "돌다리 1구역" in message.body
    assert send_message(message.id) == {"message_id": message.id, "skipped": "not queued"}
    assert [entry["body"] for entry in sms_log(ctx)] == [message.body]


def test_residents_who_opted_out_or_withheld_get_nothing(
    worker_context: WorkerContext, session: Session, seeded: None
) -> None:
    ctx = worker_context
    with unit_of_work(ctx.sessions) as s:
        s.add(SmsOptOut(phone="+8613822220000", created_at=ctx.clock.now()))
        s.flush()
        for caller in ("+8613822220000", "anonymous", "", "+8613833330000"):
            notifications.notify_resident(
                session=s,
                clock=ctx.clock,
                ticket=ticket_for(ctx, s, caller),
                kind="intake",
                timezone="Asia/Shanghai",
            )
    session.rollback()
    assert [m.recipient for m in session.scalars(select(Message))] == ["+8613833330000"]
