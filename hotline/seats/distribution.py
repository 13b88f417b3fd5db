"""Pure: which available agent rings next for a waiting caller, and when a ring is over."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from hotline.seats.states import SeatState

RING_GRACE = timedelta(seconds=5)  # Twilio's own no-answer status normally arrives first


@dataclass(frozen=True)
class SeatView:
    """A seat as the distributor sees it."""

    username: str
    state: SeatState
    languages: tuple[str, ...]
    idle_since: datetime | None  # when it last became available


def choose(
    seats: Iterable[SeatView], *, language: str, skip: frozenset[str] = frozenset()
) -> SeatView | None:
    """The available agent speaking the language who has waited longest; None if nobody."""
    candidates = [
        s
        for s in seats
        if s.state is SeatState.AVAILABLE and language in s.languages and s.username not in skip
    ]
    if not candidates:
        return None
    return min(
        candidates, key=lambda s: (s.idle_since is None, s.idle_since or datetime.max, s.username)
    )


def anyone_speaks(seats: Iterable[SeatView], *, language: str) -> bool:
    """Is any signed-in agent (in any state) able to take this language later?"""
    return any(s.state is not SeatState.SIGNED_OUT and language in s.languages for s in seats)


def ring_overdue(rung_at: datetime, now: datetime, ring_seconds: int) -> bool:
    """Has a ring outlived its time-out (plus grace for the status callback)?"""
    return now >= rung_at + timedelta(seconds=ring_seconds) + RING_GRACE
