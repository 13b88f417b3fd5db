"""Seat verbs: an agent's own state changes, the distributor's moves, and the seat list."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from hotline.core.clock import Clock
from hotline.core.errors import Conflict, Forbidden, NotFound
from hotline.seats.distribution import SeatView
from hotline.seats.models import Seat, SeatChange
from hotline.seats.states import (
    SeatMove,
    SeatMoveRefused,
    SeatState,
    move_to,
    next_state,
    pause_reason,
)
from hotline.users.models import User
from hotline.users.permissions import PERMISSIONS, Verb


def languages_of(user: User) -> tuple[str, ...]:
    """The languages an agent takes calls in."""
    return tuple(code for code in (user.languages or "zh-CN").split(",") if code)


def seat_for(*, session: Session, clock: Clock, user: User) -> Seat:
    """The agent's seat, signed out until they choose otherwise."""
    seat = session.scalar(select(Seat).where(Seat.user_id == user.id))
    if seat is None:
        seat = Seat(user_id=user.id, user=user, state=SeatState.SIGNED_OUT, since=clock.now())
        session.add(seat)
        session.flush()
    return seat


def get_user_or_raise(*, session: Session, username: str) -> User:
    """An active user who takes calls."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        raise NotFound(f"no agent {username}")
    if Verb.TAKE_CALLS not in PERMISSIONS.get(user.role, frozenset()):
        raise Forbidden(f"{username} is a {user.role}, who takes no calls")
    return user


def apply(
    *,
    session: Session,
    clock: Clock,
    seat: Seat,
    move: SeatMove,
    reason: str | None = None,
    call_sid: str | None = None,
    wrap_up: timedelta = timedelta(seconds=30),
) -> Seat:
    """Move the seat by the table and log it; raises Conflict when the table refuses."""
    current = SeatState(seat.state)
    try:
        target = next_state(current, move)
        why = pause_reason(move, reason)
    except SeatMoveRefused as refused:
        raise Conflict(str(refused)) from None
    except ValueError as error:
        raise Conflict(f"reason: {error}") from None
    now = clock.now()
    if move is SeatMove.EXTEND_WRAP_UP:
        seat.wrap_up_until = max(seat.wrap_up_until or now, now) + wrap_up
    if target is not current:
        seat.since = now
    seat.pause_reason = why.value if why else None  # None unless pausing or a missed ring
    seat.state = target
    if target is SeatState.AVAILABLE and current is not SeatState.AVAILABLE:
        seat.idle_since = now
    if target is SeatState.WRAP_UP and current is SeatState.ON_CALL:
        seat.wrap_up_until = now + wrap_up
    if target in (SeatState.RINGING, SeatState.ON_CALL):
        seat.call_sid = call_sid or seat.call_sid
    elif target is not SeatState.WRAP_UP:
        seat.call_sid = None
    if target is not SeatState.WRAP_UP:
        seat.wrap_up_until = None
    session.add(
        SeatChange(
            user_id=seat.user_id,
            move=move.value,
            from_state=current.value,
            to_state=target.value,
            reason=why.value if why else None,
            call_sid=call_sid or seat.call_sid,
            at=now,
        )
    )
    session.flush()
    return seat


def choose_state(
    *,
    session: Session,
    clock: Clock,
    username: str,
    state: str,
    reason: str | None = None,
    wrap_up: timedelta = timedelta(seconds=30),
) -> Seat:
    """The agent (or an integration) sets available, paused or signed out."""
    user = get_user_or_raise(session=session, username=username)
    seat = seat_for(session=session, clock=clock, user=user)
    try:
        wanted = SeatState(state)
        move = move_to(SeatState(seat.state), wanted)
    except (ValueError, SeatMoveRefused):
        raise Conflict(f"state: choose available, paused or signed_out, not {state!r}") from None
    if SeatState(seat.state) is SeatState.WRAP_UP and wanted is SeatState.AVAILABLE:
        move = SeatMove.END_WRAP_UP  # ending after-call work early
    return apply(session=session, clock=clock, seat=seat, move=move, reason=reason, wrap_up=wrap_up)


def end_due_wrap_ups(*, session: Session, clock: Clock) -> list[str]:
    """Make agents whose after-call time is over available again; safe to run at any time."""
    now = clock.now()
    due = session.scalars(
        select(Seat)
        .options(selectinload(Seat.user))
        .where(Seat.state == SeatState.WRAP_UP, Seat.wrap_up_until <= now)
    ).all()
    for seat in due:
        apply(session=session, clock=clock, seat=seat, move=SeatMove.END_WRAP_UP)
    return [seat.user.username for seat in due]


def list_seats(*, session: Session) -> Sequence[Seat]:
    """Every agent's seat, by username."""
    return session.scalars(
        select(Seat)
        .join(User, User.id == Seat.user_id)
        .options(selectinload(Seat.user))
        .order_by(User.username)
    ).all()


def views(seats: Sequence[Seat]) -> list[SeatView]:
    """Seats as the distributor sees them."""
    return [
        SeatView(
            username=s.user.username,
            state=SeatState(s.state),
            languages=languages_of(s.user),
            idle_since=s.idle_since,
        )
        for s in seats
        if s.user.active
    ]
