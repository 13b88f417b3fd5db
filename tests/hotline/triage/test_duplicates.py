"""A similar report from the same grid is linked as a possible duplicate."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.calls import service as calls
from hotline.core.clock import FixedClock
from hotline.core.database import unit_of_work
from hotline.core.settings import Settings
from hotline.tickets import service as tickets
from hotline.tickets.models import Ticket
from hotline.transcripts.models import Transcript
from hotline.triage import service as triage
from hotline.triage.policy import policy_from_settings


def report(
    sessions: sessionmaker[Session], clock: FixedClock, n: int, text: str, category: str
) -> str:
    policy = policy_from_settings(Settings())
    with unit_of_work(sessions) as session:
        call = calls.get_or_create(
            session=session,
            clock=clock,
            call_sid=f"CA{n:032d}",
            from_number=f"+8613800{n:06d}",
            to_number="",
        )
        calls.update_choices(
            call=call,
            clock=clock,
            language="zh-CN",
            category=category,
            location_code="1101",
            location_source="keyed",
        )
        ticket, _ = tickets.get_or_create_for_call(
            session=session,
            clock=clock,
            call_id=call.id,
            caller=call.from_number,
            language="zh-CN",
            category=category,
            location_code="1101",
        )
        recording, _ = calls.add_recording(
            session=session,
            clock=clock,
            call=call,
            recording_sid=f"RE{n:032d}",
            source_url="https://api.twilio.com/r",
            duration_seconds=5.0,
            available=True,
        )
        transcript = Transcript(
            recording_id=recording.id, status="ok", text=text, created_at=clock.now()
        )
        session.add(transcript)
        triage.triage_ticket(
            session=session, clock=clock, policy=policy, ticket=ticket, transcript=transcript
        )
        return ticket.reference


def test_similar_report_in_the_same_grid_is_linked(
    sessions: sessionmaker[Session], session: Session, clock: FixedClock, seeded: None
) -> None:
    first = report(sessions, clock, 1, "东湖公园门口的路灯坏了好几天", "roads_facilities")
    clock.advance(hours=5)
    second = report(sessions, clock, 2, "东湖公园门口路灯坏了", "roads_facilities")
    other = report(sessions, clock, 3, "东湖公园门口路灯坏了", "utilities")
    unrelated = report(sessions, clock, 4, "东湖公园旁边道路上有个大坑", "roads_facilities")
    session.rollback()
    by_ref = {t.reference: t for t in session.scalars(select(Ticket))}
    assert by_ref[first].duplicate_of is None
    duplicate = by_ref[second].duplicate_of
    assert duplicate is not None and duplicate.reference == first
    assert by_ref[other].duplicate_of is None  # another category
    assert by_ref[unrelated].duplicate_of is None  # same place, different problem
    grid = by_ref[second].grid
    assert grid is not None and grid.code == "1101-01"
    linked = {"code": "triage.duplicate", "params": {"reference": first}}
    assert linked in (by_ref[second].events[1].reason_codes or [])
    assert f"possibly the same case as {first}" in (by_ref[second].events[1].reason or "")
