"""The ticket state machine table."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from hotline.calls import service as calls
from hotline.core.clock import FixedClock
from hotline.core.database import make_engine, make_sessionmaker
from hotline.core.migrate import upgrade
from hotline.tickets import service as tickets
from hotline.tickets.transitions import (
    TRANSITIONS,
    InvalidTransition,
    TicketAction,
    TicketStatus,
    allowed_actions,
    next_status,
)

S, A = TicketStatus, TicketAction


@pytest.mark.parametrize(
    ("current", "action", "expected"),
    [
        (S.RECEIVED, A.TRIAGE, S.TRIAGED),
        (S.TRIAGED, A.DISPATCH, S.DISPATCHED),
        (S.DISPATCHED, A.ACCEPT, S.ACCEPTED),
        (S.ACCEPTED, A.RESOLVE, S.RESOLVED),
        (S.RESOLVED, A.CLOSE, S.CLOSED),
        (S.CLOSED, A.REOPEN, S.REOPENED),
        (S.REOPENED, A.DISPATCH, S.DISPATCHED),
        (S.DISPATCHED, A.RETURN, S.RETURNED),
        (S.TRIAGED, A.ANSWER, S.ANSWERED),
        (S.TRIAGED, A.MERGE, S.MERGED),
    ],
)
def test_allowed_moves(current: TicketStatus, action: TicketAction, expected: TicketStatus) -> None:
    assert next_status(current, action) == expected


@pytest.mark.parametrize(
    ("current", "action"),
    [(S.RECEIVED, A.CLOSE), (S.CLOSED, A.RESOLVE), (S.MERGED, A.REOPEN), (S.ANSWERED, A.DISPATCH)],
)
def test_forbidden_moves_raise(current: TicketStatus, action: TicketAction) -> None:
    with pytest.raises(InvalidTransition, match=f"cannot {action.value}"):
        next_status(current, action)


@given(st.lists(st.sampled_from(list(TicketAction)), max_size=40))
def test_no_sequence_leaves_the_table(actions: list[TicketAction]) -> None:
    status = S.RECEIVED
    for action in actions:
        if action in allowed_actions(status):
            status = next_status(status, action)
            assert status in {target for target in TRANSITIONS.values()}
        else:
            with pytest.raises(InvalidTransition):
                next_status(status, action)


def test_merged_is_terminal() -> None:
    assert allowed_actions(S.MERGED) == []


@pytest.fixture(scope="module")
def ticket_sessions(tmp_path_factory: pytest.TempPathFactory) -> sessionmaker[Session]:
    url = f"sqlite:///{tmp_path_factory.mktemp('fsm') / 'fsm.db'}"
    upgrade(url)
    return make_sessionmaker(make_engine(url))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(list(TicketAction)), max_size=25))
def test_service_writes_exactly_one_event_per_move(
    ticket_sessions: sessionmaker[Session], actions: list[TicketAction]
) -> None:
    clock = FixedClock(datetime(2026, 11, 20, tzinfo=UTC))
    with ticket_sessions() as session:
        call = calls.get_or_create(
            session=session, clock=clock, call_sid="CA-fsm", from_number="", to_number=""
        )
        ticket, _ = tickets.get_or_create_for_call(
            session=session,
            clock=clock,
            call_id=call.id,
            caller="",
            language=None,
            category=None,
            location_code=None,
        )
        moves = 0
        for action in actions:
            before = ticket.status
            try:
                tickets.transition(
                    session=session, clock=clock, ticket=ticket, action=action, actor="test"
                )
                moves += 1
            except InvalidTransition:
                assert ticket.status == before  # a refused move changes nothing
            assert ticket.status in set(TicketStatus)
        session.flush()
        assert len(ticket.events) == moves + 1  # plus the creation event
        assert [e.to_status for e in ticket.events][-1] == ticket.status
        session.rollback()
