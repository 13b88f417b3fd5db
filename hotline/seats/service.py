"""Seat verbs: an agent's own state changes, the distributor's moves, and the seat list."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from hotline.core.clock import Clock
from hotline.core.errors import Conflict, Forbidden, NotFound
from hotline.seats.distribution import SeatView
from hotline.seats.models import CallOffer, OfferState, Seat, SeatChange
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


def seat_for(*, session: Session, clock: Clock, user: User, lock: bool = False) -> Seat:
    """The agent's seat, signed out until they choose otherwise; `lock` holds its row."""
    query = select(Seat).where(Seat.user_id == user.id)
    seat = session.scalar(query.with_for_update() if lock else query)
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
    if current is SeatState.WRAP_UP and target is not SeatState.WRAP_UP:
        _note_wrap_up_end(session=session, user_id=seat.user_id, at=now)
    if current is SeatState.RINGING and move in (SeatMove.PAUSE, SeatMove.SIGN_OUT):
        _withdraw_ring(session=session, clock=clock, user_id=seat.user_id, why=move.value)
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


def _note_wrap_up_end(*, session: Session, user_id: int, at: datetime) -> None:
    offer = session.scalar(
        select(CallOffer)
        .where(CallOffer.user_id == user_id, CallOffer.state == OfferState.ANSWERED)
        .order_by(CallOffer.id.desc())
        .limit(1)
    )
    if offer is not None and offer.wrap_up_ended_at is None:
        offer.wrap_up_ended_at = at


def _withdraw_ring(*, session: Session, clock: Clock, user_id: int, why: str) -> None:
    """The agent paused or signed out while ringing: the caller goes to the next agent."""
    for offer in session.scalars(
        select(CallOffer).where(
            CallOffer.user_id == user_id,
            CallOffer.state.in_((OfferState.PENDING, OfferState.RINGING)),
        )
    ):
        offer.state = OfferState.WITHDRAWN
        offer.end_reason = f"agent_{why}"
        offer.ended_at = clock.now()
        offer.cancel_requested = offer.agent_call_sid is not None or offer.rung_at is not None


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
    seat = seat_for(session=session, clock=clock, user=user, lock=True)
    try:
        wanted = SeatState(state)
        move = move_to(SeatState(seat.state), wanted)
    except (ValueError, SeatMoveRefused):
        raise Conflict(f"state: choose available, paused or signed_out, not {state!r}") from None
    if wanted is SeatState.AVAILABLE and not user.phone:
        raise Conflict("no phone to ring: give the agent a number or SIP address first")
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
