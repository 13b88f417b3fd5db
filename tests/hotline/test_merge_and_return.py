"""Merging duplicates and returning tickets to triage, through the service layer."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from hotline.calls import service as calls
from hotline.core.clock import FixedClock
from hotline.core.database import unit_of_work
from hotline.tickets import service as tickets
from hotline.tickets.models import Ticket
from hotline.tickets.transitions import InvalidTransition


def new_ticket(session: Session, clock: FixedClock, n: int, status: str) -> Ticket:
    call = calls.get_or_create(
        session=session,
        clock=clock,
        call_sid=f"CA{n:032d}",
        from_number="+8613800000000",
        to_number="",
    )
    ticket, _ = tickets.get_or_create_for_call(
        session=session,
        clock=clock,
        call_id=call.id,
        caller="+8613800000000",
        language="zh-CN",
        category="utilities",
        location_code="1101",
    )
    ticket.status = status
    return ticket


def test_merge_keeps_both_histories_and_points_to_the_survivor(
    sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    with unit_of_work(sessions) as session:
        survivor = new_ticket(session, clock, 1, "dispatched")
        duplicate = new_ticket(session, clock, 2, "triaged")
        tickets.merge(
            session=session,
            clock=clock,
            ticket=duplicate,
            into=survivor,
            actor="agent-1",
            reason="same broken pipe",
        )
        assert duplicate.status == "merged" and duplicate.merged_into_id == survivor.id
        assert [e.action for e in duplicate.events] == ["create", "merge"]
        assert survivor.events[-1].action == "absorb"
        assert duplicate.reference in (survivor.events[-1].reason or "")
        assert tickets.follow_merges(session=session, ticket=duplicate).id == survivor.id
        with pytest.raises(InvalidTransition):
            tickets.merge(
                session=session,
                clock=clock,
                ticket=survivor,
                into=duplicate,
                actor="agent-1",
                reason="loop",
            )


def test_return_needs_a_reason_and_sends_the_ticket_to_review(
    sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    with unit_of_work(sessions) as session:
        ticket = new_ticket(session, clock, 3, "dispatched")
        with pytest.raises(ValueError, match="needs a reason"):
            tickets.return_to_triage(
                session=session, clock=clock, ticket=ticket, actor="1101-01-02", reason=" "
            )
        tickets.return_to_triage(
            session=session,
            clock=clock,
            ticket=ticket,
            actor="1101-01-02",
            reason="not in our grid",
        )
        assert ticket.status == "returned" and ticket.needs_review
        assert ticket.events[-1].rule == "returned-by-team"
        assert "not in our grid" in (ticket.review_reason or "")
