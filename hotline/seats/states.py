"""Pure: an agent's seat states and the moves between them, as one table."""

from __future__ import annotations

from enum import StrEnum


class SeatState(StrEnum):
    """Where an agent is in the working day."""

    SIGNED_OUT = "signed_out"
    AVAILABLE = "available"
    RINGING = "ringing"
    ON_CALL = "on_call"
    WRAP_UP = "wrap_up"  # after-call work: notes and the ticket, no new calls yet
    PAUSED = "paused"


class PauseReason(StrEnum):
    """Why an agent takes no calls for a while; `missed` is set by the hotline, not chosen."""

    BREAK = "break"
    MEAL = "meal"
    TRAINING = "training"
    MEETING = "meeting"
    OTHER = "other"
    MISSED = "missed"  # rang and did not answer


class SeatMove(StrEnum):
    """Something that changes a seat's state."""

    SIGN_IN = "sign_in"  # the agent chooses to take calls
    PAUSE = "pause"
    SIGN_OUT = "sign_out"
    RING = "ring"  # the distributor offers a waiting caller
    ANSWER = "answer"
    NO_ANSWER = "no_answer"  # the ring timed out or was declined
    CALLER_GONE = "caller_gone"  # the caller hung up while the agent's phone rang
    WITHDRAWN = "withdrawn"  # the hotline took the offer back (the ring was lost on the way)
    HANG_UP = "hang_up"
    END_WRAP_UP = "end_wrap_up"  # early by the agent, or when the wrap-up time is over
    EXTEND_WRAP_UP = "extend_wrap_up"


S, M = SeatState, SeatMove
# (from, move) → to. Anything not listed is refused; signing out mid-call is refused so a
# live caller is never cut off by a click.
MOVES: dict[tuple[SeatState, SeatMove], SeatState] = {
    (S.SIGNED_OUT, M.SIGN_IN): S.AVAILABLE,
    (S.SIGNED_OUT, M.PAUSE): S.PAUSED,
    (S.AVAILABLE, M.PAUSE): S.PAUSED,
    (S.AVAILABLE, M.SIGN_OUT): S.SIGNED_OUT,
    (S.AVAILABLE, M.RING): S.RINGING,
    (S.AVAILABLE, M.SIGN_IN): S.AVAILABLE,
    (S.PAUSED, M.SIGN_IN): S.AVAILABLE,
    (S.PAUSED, M.PAUSE): S.PAUSED,
    (S.PAUSED, M.SIGN_OUT): S.SIGNED_OUT,
    (S.RINGING, M.ANSWER): S.ON_CALL,
    (S.RINGING, M.NO_ANSWER): S.PAUSED,
    (S.RINGING, M.CALLER_GONE): S.AVAILABLE,
    (S.RINGING, M.WITHDRAWN): S.AVAILABLE,
    (S.RINGING, M.PAUSE): S.PAUSED,  # declined by pausing: the caller goes to the next agent
    (S.RINGING, M.SIGN_OUT): S.SIGNED_OUT,  # likewise
    (S.ON_CALL, M.HANG_UP): S.WRAP_UP,
    (S.WRAP_UP, M.END_WRAP_UP): S.AVAILABLE,
    (S.WRAP_UP, M.EXTEND_WRAP_UP): S.WRAP_UP,
    (S.WRAP_UP, M.PAUSE): S.PAUSED,
    (S.WRAP_UP, M.SIGN_OUT): S.SIGNED_OUT,
}
CHOSEN_BY_AGENT = frozenset({M.SIGN_IN, M.PAUSE, M.SIGN_OUT, M.END_WRAP_UP, M.EXTEND_WRAP_UP})
WANTED = {S.AVAILABLE: M.SIGN_IN, S.PAUSED: M.PAUSE, S.SIGNED_OUT: M.SIGN_OUT}


class SeatMoveRefused(ValueError):
    """The move is not allowed from the seat's state."""

    def __init__(self, current: SeatState, move: SeatMove) -> None:
        doing = current.value.replace("_", " ")
        super().__init__(f"cannot {move.value.replace('_', ' ')} while {doing}")
        self.current = current
        self.move = move


def next_state(current: SeatState, move: SeatMove) -> SeatState:
    """Look up the move or raise SeatMoveRefused."""
    try:
        return MOVES[(current, move)]
    except KeyError:
        raise SeatMoveRefused(current, move) from None


def move_to(current: SeatState, wanted: SeatState) -> SeatMove:
    """The agent's own move that reaches a wanted state (available, paused, signed out)."""
    if wanted not in WANTED:
        raise SeatMoveRefused(current, SeatMove.SIGN_IN)
    return WANTED[wanted]


def pause_reason(move: SeatMove, given: str | None) -> PauseReason | None:
    """The reason kept with a pause: chosen by the agent, or `missed` after an unanswered ring."""
    if move is SeatMove.NO_ANSWER:
        return PauseReason.MISSED
    if move is not SeatMove.PAUSE:
        return None
    if given is None or given == "":
        return PauseReason.OTHER
    reason = PauseReason(given)  # ValueError for a reason nobody may choose
    if reason is PauseReason.MISSED:
        raise ValueError("`missed` is set by the hotline after an unanswered ring")
    return reason
