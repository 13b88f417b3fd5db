"""Pure seat rules: the state table and who rings next."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hotline.seats.distribution import SeatView, anyone_speaks, choose
from hotline.seats.states import (
    MOVES,
    PauseReason,
    SeatMove,
    SeatMoveRefused,
    SeatState,
    move_to,
    next_state,
    pause_reason,
)

S, M = SeatState, SeatMove
T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("path", "end"),
    [
        ([M.SIGN_IN, M.RING, M.ANSWER, M.HANG_UP, M.END_WRAP_UP], S.AVAILABLE),
        ([M.SIGN_IN, M.RING, M.NO_ANSWER], S.PAUSED),
        ([M.SIGN_IN, M.RING, M.CALLER_GONE], S.AVAILABLE),
        ([M.SIGN_IN, M.RING, M.SIGN_OUT], S.SIGNED_OUT),
        ([M.SIGN_IN, M.RING, M.ANSWER, M.HANG_UP, M.EXTEND_WRAP_UP, M.PAUSE], S.PAUSED),
        ([M.PAUSE, M.SIGN_IN, M.SIGN_OUT], S.SIGNED_OUT),
    ],
)
def test_a_working_day_moves_through_the_table(path: list[SeatMove], end: SeatState) -> None:
    state = S.SIGNED_OUT
    for move in path:
        state = next_state(state, move)
    assert state is end


@pytest.mark.parametrize(
    ("state", "move"),
    [
        (S.ON_CALL, M.SIGN_OUT),  # never cut a live caller off with a click
        (S.ON_CALL, M.PAUSE),
        (S.SIGNED_OUT, M.RING),  # nobody rings a signed-out agent
        (S.PAUSED, M.RING),
        (S.WRAP_UP, M.RING),
        (S.AVAILABLE, M.ANSWER),
    ],
)
def test_moves_not_in_the_table_are_refused(state: SeatState, move: SeatMove) -> None:
    with pytest.raises(SeatMoveRefused, match="cannot"):
        next_state(state, move)


def test_every_state_can_be_reached_and_left() -> None:
    targets = {to for to in MOVES.values()}
    sources = {state for state, _ in MOVES}
    assert targets == sources == set(SeatState)


def test_agents_choose_only_three_states() -> None:
    assert move_to(S.PAUSED, S.AVAILABLE) is M.SIGN_IN
    assert move_to(S.AVAILABLE, S.SIGNED_OUT) is M.SIGN_OUT
    with pytest.raises(SeatMoveRefused):
        move_to(S.AVAILABLE, S.ON_CALL)


def test_pause_reasons_are_chosen_except_missed() -> None:
    assert pause_reason(M.PAUSE, "meal") is PauseReason.MEAL
    assert pause_reason(M.PAUSE, None) is PauseReason.OTHER
    assert pause_reason(M.NO_ANSWER, None) is PauseReason.MISSED
    assert pause_reason(M.SIGN_IN, "meal") is None
    with pytest.raises(ValueError):
        pause_reason(M.PAUSE, "nap")
    with pytest.raises(ValueError, match="set by the hotline"):
        pause_reason(M.PAUSE, "missed")


def seat(name: str, state: SeatState, idle_minutes: int | None, *langs: str) -> SeatView:
    idle = T0 - timedelta(minutes=idle_minutes) if idle_minutes is not None else None
    return SeatView(name, state, langs or ("zh-CN",), idle)


def test_the_longest_idle_agent_who_speaks_the_language_rings_first() -> None:
    seats = [
        seat("wang", S.AVAILABLE, 5),
        seat("li", S.AVAILABLE, 12),
        seat("kim", S.AVAILABLE, 30, "ko", "zh-CN"),
        seat("smith", S.AVAILABLE, 60, "en"),
        seat("zhao", S.PAUSED, 90),
        seat("sun", S.ON_CALL, 120),
    ]
    assert (picked := choose(seats, language="zh-CN")) and picked.username == "kim"
    assert (picked := choose(seats, language="en")) and picked.username == "smith"
    assert (picked := choose(seats, language="zh-CN", skip=frozenset({"kim"}))) is not None
    assert picked.username == "li"
    assert choose(seats, language="ko", skip=frozenset({"kim"})) is None
    assert choose([seat("a", S.AVAILABLE, 1), seat("b", S.AVAILABLE, 1)], language="zh-CN") == (
        seat("a", S.AVAILABLE, 1)
    )


def test_a_language_is_covered_while_someone_who_speaks_it_is_signed_in() -> None:
    assert anyone_speaks([seat("kim", S.ON_CALL, None, "ko")], language="ko")
    assert not anyone_speaks([seat("kim", S.SIGNED_OUT, 5, "ko")], language="ko")
    assert not anyone_speaks([seat("li", S.AVAILABLE, 5)], language="ko")
