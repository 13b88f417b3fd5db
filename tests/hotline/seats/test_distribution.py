"""The distributor's rules over the database, with an injected clock: who rings, and every way a
ring ends (answered, missed, withdrawn, the caller gone, timed out), and after-call work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.calls import service as calls
from hotline.core.clock import FixedClock
from hotline.core.errors import Conflict
from hotline.queue import service as queue
from hotline.queue.models import QueueEntry
from hotline.seats import acd
from hotline.seats import service as seats
from hotline.seats.models import Seat, SeatChange
from hotline.seats.states import SeatMove
from hotline.users import service as users
from hotline.users.models import User, UserRole

WRAP = timedelta(seconds=30)
PHONES = {"wang": "+8613900000041", "li": "+8613900000042", "kim": "sip:kim@seats.example"}


def agent(session: Session, clock: FixedClock, name: str, *languages: str) -> None:
    users.create(
        session=session,
        clock=clock,
        username=name,
        password="a long enough password",
        role=UserRole.AGENT,
        languages=languages,
        phone=PHONES[name],
    )
    seats.choose_state(session=session, clock=clock, username=name, state="available")


def caller(session: Session, clock: FixedClock, n: int, language: str) -> QueueEntry:
    call = calls.get_or_create(
        session=session,
        clock=clock,
        call_sid=f"CA{n:032d}",
        from_number=f"+8613700{n:06d}",
        to_number="",
    )
    call.language = language
    return queue.enqueue(session=session, clock=clock, call=call)


def seat(session: Session, name: str) -> Seat:
    return session.scalars(select(Seat).join(User).where(User.username == name)).one()


def offered(session: Session, clock: FixedClock) -> dict[str, str]:
    """Run one match; caller number → agent."""
    return {o.entry.from_number: o.user.username for o in acd.match(session=session, clock=clock)}


@pytest.fixture
def team(sessions: sessionmaker[Session], clock: FixedClock) -> sessionmaker[Session]:
    """Three agents who became available a minute apart: wang, then li (zh, en), then kim (ko)."""
    with sessions.begin() as session:
        agent(session, clock, "wang", "zh-CN")
        clock.advance(minutes=1)
        agent(session, clock, "li", "zh-CN", "en")
        clock.advance(minutes=1)
        agent(session, clock, "kim", "ko")
        clock.advance(minutes=1)
    return sessions


def test_each_caller_rings_the_longest_idle_agent_of_their_language(
    team: sessionmaker[Session], clock: FixedClock
) -> None:
    with team.begin() as session:
        caller(session, clock, 1, "en")
        clock.advance(seconds=1)
        caller(session, clock, 2, "zh-CN")
        clock.advance(seconds=1)
        caller(session, clock, 3, "zh-CN")
        caller(session, clock, 4, "ko")
        caller(session, clock, 5, "ko")
        # The English caller takes li (the only English speaker), though wang has waited longer.
        assert offered(session, clock) == {
            "+8613700000001": "li",
            "+8613700000002": "wang",
            "+8613700000004": "kim",
        }
        assert {s.user.username: s.state for s in seats.list_seats(session=session)} == {
            "kim": "ringing",
            "li": "ringing",
            "wang": "ringing",
        }
        assert offered(session, clock) == {}  # nobody free: the others wait, in order


def test_a_missed_ring_pauses_the_agent_and_the_caller_goes_to_the_next(
    team: sessionmaker[Session], clock: FixedClock
) -> None:
    with team.begin() as session:
        caller(session, clock, 1, "zh-CN")
        first = acd.match(session=session, clock=clock)[0]
        assert first.user.username == "wang"
        acd.claim_ring(session=session, clock=clock, offer_id=first.id)
        acd.rung(session=session, offer_id=first.id, agent_call_sid="CA" + "a" * 32)
        acd.agent_leg_ended(
            session=session, clock=clock, offer_id=first.id, status="no-answer", wrap_up=WRAP
        )
        assert (seat(session, "wang").state, seat(session, "wang").pause_reason) == (
            "paused",
            "missed",
        )
        assert [o.user.username for o in acd.match(session=session, clock=clock)] == ["li"]
        moves = session.scalars(
            select(SeatChange.move)
            .join(User, User.id == SeatChange.user_id)
            .where(User.username == "wang")
            .order_by(SeatChange.id)
        ).all()
        assert moves == ["sign_in", "ring", "no_answer"]


def test_answer_then_hang_up_starts_wrap_up_which_ends_on_time_or_early(
    team: sessionmaker[Session], clock: FixedClock
) -> None:
    with team.begin() as session:
        entry = caller(session, clock, 1, "ko")
        offer = acd.match(session=session, clock=clock)[0]
        acd.claim_ring(session=session, clock=clock, offer_id=offer.id)
        clock.advance(seconds=4)
        assert (
            acd.answer(
                session=session, clock=clock, offer_id=offer.id, agent_call_sid="CA" + "b" * 32
            )
            is offer
        )
        assert (entry.outcome, entry.answered_by, entry.wait_seconds) == ("answered", "kim", 4)
        assert seat(session, "kim").state == "on_call"
        assert [e.id for e in acd.bridges_due(session=session)] == [entry.id]
        clock.advance(minutes=3)
        acd.agent_leg_ended(
            session=session, clock=clock, offer_id=offer.id, status="completed", wrap_up=WRAP
        )
        kim = seat(session, "kim")
        assert (kim.state, kim.wrap_up_until) == ("wrap_up", clock.now() + WRAP)
        seats.apply(
            session=session, clock=clock, seat=kim, move=SeatMove.EXTEND_WRAP_UP, wrap_up=WRAP
        )
        clock.advance(seconds=59)
        assert seats.end_due_wrap_ups(session=session, clock=clock) == []
        clock.advance(seconds=1)
        assert seats.end_due_wrap_ups(session=session, clock=clock) == ["kim"]
        assert offer.wrap_up_ended_at == clock.now()
        assert offer.ended_at is not None and offer.answered_at is not None
        assert offer.ended_at - offer.answered_at == timedelta(minutes=3)


def test_an_agent_who_signs_out_or_pauses_mid_ring_passes_the_caller_on(
    team: sessionmaker[Session], clock: FixedClock
) -> None:
    with team.begin() as session:
        caller(session, clock, 1, "zh-CN")
        offer = acd.match(session=session, clock=clock)[0]
        acd.claim_ring(session=session, clock=clock, offer_id=offer.id)
        acd.rung(session=session, offer_id=offer.id, agent_call_sid="CA" + "c" * 32)
        seats.choose_state(session=session, clock=clock, username="wang", state="signed_out")
        assert (offer.state, offer.end_reason, offer.cancel_requested) == (
            "withdrawn",
            "agent_sign_out",
            True,
        )
        assert [o.id for o in acd.cancels_due(session=session)] == [offer.id]
        second = acd.match(session=session, clock=clock)[0]
        assert second.user.username == "li"
        seats.choose_state(
            session=session, clock=clock, username="li", state="paused", reason="meeting"
        )
        assert second.state == "withdrawn" and seat(session, "li").pause_reason == "meeting"
        # Too late: the phone was picked up after the agent stepped away.
        assert (
            acd.answer(
                session=session, clock=clock, offer_id=second.id, agent_call_sid="CA" + "d" * 32
            )
            is None
        )


def test_a_caller_who_hangs_up_while_the_agent_rings_frees_the_agent(
    team: sessionmaker[Session], clock: FixedClock
) -> None:
    with team.begin() as session:
        entry = caller(session, clock, 1, "ko")
        offer = acd.match(session=session, clock=clock)[0]
        acd.claim_ring(session=session, clock=clock, offer_id=offer.id)
        acd.rung(session=session, offer_id=offer.id, agent_call_sid="CA" + "e" * 32)
        queue.caller_gone(session=session, clock=clock, call_sid=entry.call_sid)
        acd.caller_left(session=session, clock=clock, call_sid=entry.call_sid)
        assert entry.outcome == "abandoned"
        assert (offer.state, offer.end_reason, offer.cancel_requested) == (
            "withdrawn",
            "caller_gone",
            True,
        )
        assert seat(session, "kim").state == "available"
        assert (
            acd.answer(
                session=session, clock=clock, offer_id=offer.id, agent_call_sid="CA" + "e" * 32
            )
            is None
        )
        assert seat(session, "kim").state == "available"


def test_a_ring_nobody_reports_on_times_out(team: sessionmaker[Session], clock: FixedClock) -> None:
    with team.begin() as session:
        caller(session, clock, 1, "ko")
        caller(session, clock, 2, "en")
        rung, lost = acd.match(session=session, clock=clock)
        for offer in (rung, lost):
            acd.claim_ring(session=session, clock=clock, offer_id=offer.id)
        acd.rung(session=session, offer_id=rung.id, agent_call_sid="CA" + "f" * 32)
        clock.advance(seconds=24)
        assert acd.expire_rings(session=session, clock=clock, ring_seconds=20) == []
        clock.advance(seconds=1)
        assert {o.id for o in acd.expire_rings(session=session, clock=clock, ring_seconds=20)} == {
            rung.id,
            lost.id,
        }
        # A ring that reached the phone is the agent's miss; one that never left is not.
        assert (rung.state, seat(session, "kim").state) == ("missed", "paused")
        assert (lost.state, seat(session, "li").state) == ("withdrawn", "available")
        assert rung.cancel_requested and not lost.cancel_requested


def test_answer_next_pulls_the_longest_waiting_caller_of_the_agents_languages(
    team: sessionmaker[Session], clock: FixedClock
) -> None:
    with team.begin() as session:
        seats.choose_state(
            session=session, clock=clock, username="li", state="paused", reason="break"
        )
        caller(session, clock, 1, "ko")
        clock.advance(seconds=5)
        caller(session, clock, 2, "en")
        li = seats.get_user_or_raise(session=session, username="li")
        offer = acd.pull(session=session, clock=clock, user=li)
        assert (offer.entry.from_number, offer.manual) == ("+8613700000002", True)
        assert seat(session, "li").state == "ringing"
        with pytest.raises(Conflict, match="already have a call"):
            acd.pull(session=session, clock=clock, user=li)
        wang = seats.get_user_or_raise(session=session, username="wang")
        with pytest.raises(Conflict, match="no one is waiting"):
            acd.pull(session=session, clock=clock, user=wang)
