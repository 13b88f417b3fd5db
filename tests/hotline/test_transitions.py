"""The ticket state machine table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
