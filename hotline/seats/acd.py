"""Automatic call distribution: offer waiting callers to agents and follow each ring to its end.

The distributor (`hotline acd`) calls `match`, then rings, bridges and hangs up through the
telephony port; the webhooks call `answer`, `agent_leg_ended`, `connect` and `caller_left`.
Every step re-reads and locks the rows it changes, so any number of distributors may run.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session, selectinload

from hotline.core.clock import Clock
from hotline.core.errors import Conflict
from hotline.queue import service as queue
from hotline.queue.models import QueueEntry, QueueOutcome
from hotline.seats import service as seats
from hotline.seats.distribution import choose, ring_overdue
from hotline.seats.models import CallOffer, OfferState, Seat
from hotline.seats.states import SeatMove, SeatState
from hotline.users.models import User

LIVE_OFFERS = (OfferState.PENDING, OfferState.RINGING)
DISTRIBUTION_LOCK = 12345  # PostgreSQL advisory lock key: one matcher at a time
FAILED_LEG = ("no-answer", "busy", "failed", "canceled")
BRIDGE_STALL = timedelta(seconds=10)  # a redirect not honoured by then is taken as lost


def _take_lock(session: Session) -> bool:
    """One matcher at a time on PostgreSQL; SQLite's write lock already serialises them."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(
        session.execute(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": DISTRIBUTION_LOCK}
        ).scalar()
    )


def live_offer(*, session: Session, entry_id: int) -> CallOffer | None:
    """The offer of this caller that is still ringing (or about to), if any."""
    return session.scalar(
        select(CallOffer).where(CallOffer.entry_id == entry_id, CallOffer.state.in_(LIVE_OFFERS))
    )


def _unoffered(session: Session) -> list[QueueEntry]:
    ringing = select(CallOffer.entry_id).where(CallOffer.state.in_(LIVE_OFFERS))
    return list(
        session.scalars(
            select(QueueEntry)
            .where(QueueEntry.outcome == QueueOutcome.WAITING, QueueEntry.id.not_in(ringing))
            .order_by(QueueEntry.enqueued_at, QueueEntry.id)
            .with_for_update()
        )
    )


def _available(session: Session) -> list[Seat]:
    return list(
        session.scalars(
            select(Seat)
            .join(User, User.id == Seat.user_id)
            .where(
                Seat.state == SeatState.AVAILABLE, User.active.is_(True), User.phone.is_not(None)
            )
            .options(selectinload(Seat.user))
            .with_for_update(of=Seat)
        )
    )


def _offer(
    *, session: Session, clock: Clock, entry: QueueEntry, seat: Seat, manual: bool = False
) -> CallOffer:
    seats.apply(
        session=session, clock=clock, seat=seat, move=SeatMove.RING, call_sid=entry.call_sid
    )
    offer = CallOffer(
        entry_id=entry.id,
        user_id=seat.user_id,
        state=OfferState.PENDING,
        manual=manual,
        agent_phone=seat.user.phone or "",
        cancel_requested=False,
        created_at=clock.now(),
    )
    session.add(offer)
    session.flush()
    return offer


def match(*, session: Session, clock: Clock) -> list[CallOffer]:
    """Offer each waiting caller, longest wait first, to the longest-idle agent who speaks it."""
    if not _take_lock(session):
        return []
    waiting = _unoffered(session)
    if not waiting:
        return []
    free = {seat.user.username: seat for seat in _available(session)}
    offers = []
    for entry in waiting:
        chosen = choose(seats.views(list(free.values())), language=entry.language or "zh-CN")
        if chosen is None:
            continue
        offers.append(
            _offer(session=session, clock=clock, entry=entry, seat=free.pop(chosen.username))
        )
    return offers


def pull(*, session: Session, clock: Clock, user: User) -> CallOffer:
    """ "Answer next": ring this agent now for the longest-waiting caller of their languages."""
    if not user.phone:
        raise Conflict("your account has no phone number to ring")
    seat = seats.seat_for(session=session, clock=clock, user=user, lock=True)
    state = SeatState(seat.state)
    if state in (SeatState.RINGING, SeatState.ON_CALL):
        raise Conflict("you already have a call")
    speaks = set(seats.languages_of(user))
    entry = next((e for e in _unoffered(session) if (e.language or "zh-CN") in speaks), None)
    if entry is None:
        raise Conflict("no one is waiting in your languages")
    if state is not SeatState.AVAILABLE:
        move = SeatMove.END_WRAP_UP if state is SeatState.WRAP_UP else SeatMove.SIGN_IN
        seats.apply(session=session, clock=clock, seat=seat, move=move)
    return _offer(session=session, clock=clock, entry=entry, seat=seat, manual=True)


def _claim(session: Session, offer_id: int, source: OfferState, **values: object) -> bool:
    moved = session.execute(
        update(CallOffer)
        .where(CallOffer.id == offer_id, CallOffer.state == source)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return bool(moved.rowcount)  # type: ignore[attr-defined]


def pending_offers(*, session: Session) -> Sequence[int]:
    """Offers chosen but not rung yet."""
    return session.scalars(
        select(CallOffer.id).where(CallOffer.state == OfferState.PENDING).order_by(CallOffer.id)
    ).all()


def claim_ring(*, session: Session, clock: Clock, offer_id: int) -> CallOffer | None:
    """Take a pending offer for ringing (once, whichever distributor gets there first)."""
    if not _claim(
        session, offer_id, OfferState.PENDING, state=OfferState.RINGING, rung_at=clock.now()
    ):
        return None
    return session.get(CallOffer, offer_id)


def rung(*, session: Session, offer_id: int, agent_call_sid: str) -> None:
    """Remember the agent leg's CallSid (a webhook may have recorded it already)."""
    offer = session.get(CallOffer, offer_id)
    if offer is not None and offer.agent_call_sid is None:
        offer.agent_call_sid = agent_call_sid


def _seat_of(session: Session, clock: Clock, offer: CallOffer) -> Seat:
    return seats.seat_for(session=session, clock=clock, user=offer.user, lock=True)


def _end_ring(
    session: Session, clock: Clock, offer: CallOffer, state: OfferState, reason: str, move: SeatMove
) -> None:
    """Close a ringing offer; the seat moves only if it is still ringing for this caller."""
    offer.state = state
    offer.end_reason = reason
    offer.ended_at = clock.now()
    seat = _seat_of(session, clock, offer)
    if seat.state == SeatState.RINGING and seat.call_sid == offer.entry.call_sid:
        seats.apply(
            session=session, clock=clock, seat=seat, move=move, call_sid=offer.entry.call_sid
        )


def ring_failed(*, session: Session, clock: Clock, offer_id: int, error: str) -> None:
    """The network refused to ring the agent: they pause as missed, the caller waits on."""
    offer = session.get(CallOffer, offer_id)
    if offer is not None and offer.state in LIVE_OFFERS:
        _end_ring(
            session, clock, offer, OfferState.MISSED, f"failed: {error}"[:32], SeatMove.NO_ANSWER
        )


def answer(
    *, session: Session, clock: Clock, offer_id: int, agent_call_sid: str
) -> CallOffer | None:
    """The agent picked up: the call is theirs if the caller is still waiting; None otherwise."""
    offer = session.scalar(select(CallOffer).where(CallOffer.id == offer_id).with_for_update())
    if offer is None:
        return None
    if offer.agent_call_sid is None:
        offer.agent_call_sid = agent_call_sid
    entry = session.scalar(
        select(QueueEntry).where(QueueEntry.id == offer.entry_id).with_for_update()
    )
    seat = _seat_of(session, clock, offer)
    still_ringing = seat.state == SeatState.RINGING and seat.call_sid == offer.entry.call_sid
    if (
        offer.state not in LIVE_OFFERS
        or entry is None
        or entry.outcome != QueueOutcome.WAITING
        or not still_ringing
    ):
        if offer.state in LIVE_OFFERS:
            _end_ring(
                session, clock, offer, OfferState.WITHDRAWN, "caller_gone", SeatMove.CALLER_GONE
            )
        return None
    now = clock.now()
    offer.state = OfferState.ANSWERED
    offer.answered_at = now
    seats.apply(
        session=session, clock=clock, seat=seat, move=SeatMove.ANSWER, call_sid=entry.call_sid
    )
    queue.answered(entry=entry, clock=clock, agent=offer.user.username)
    return offer


def agent_leg_ended(
    *, session: Session, clock: Clock, offer_id: int, status: str, wrap_up: timedelta
) -> None:
    """The agent's leg reported a final status: a missed ring, or the end of a conversation."""
    offer = session.scalar(select(CallOffer).where(CallOffer.id == offer_id).with_for_update())
    if offer is None:
        return
    if offer.state in LIVE_OFFERS:
        if status in FAILED_LEG or status == "completed":
            reason = "no-answer" if status == "completed" else status
            _end_ring(session, clock, offer, OfferState.MISSED, reason, SeatMove.NO_ANSWER)
        return
    if offer.state == OfferState.ANSWERED and offer.ended_at is None:
        now = clock.now()
        offer.ended_at = now
        offer.end_reason = "completed"
        if offer.entry.talk_ended_at is None:
            offer.entry.talk_ended_at = now
        seat = _seat_of(session, clock, offer)
        if seat.state == SeatState.ON_CALL:
            seats.apply(
                session=session, clock=clock, seat=seat, move=SeatMove.HANG_UP, wrap_up=wrap_up
            )


def caller_left(*, session: Session, clock: Clock, call_sid: str) -> None:
    """The caller hung up: a ringing agent is freed, an answered agent's leg is hung up."""
    entry = queue.get_entry(session=session, call_sid=call_sid)
    if entry is None:
        return
    for offer in session.scalars(
        select(CallOffer).where(CallOffer.entry_id == entry.id).with_for_update()
    ):
        if offer.state in LIVE_OFFERS:
            offer.cancel_requested = offer.rung_at is not None
            _end_ring(
                session, clock, offer, OfferState.WITHDRAWN, "caller_gone", SeatMove.CALLER_GONE
            )
        elif offer.state == OfferState.ANSWERED and offer.ended_at is None:
            offer.cancel_requested = entry.bridged_at is None  # bridged: the conference ends it
    if entry.outcome == QueueOutcome.ANSWERED and entry.talk_ended_at is None:
        entry.talk_ended_at = clock.now()


def bridges_due(*, session: Session) -> Sequence[QueueEntry]:
    """Callers whose agent has answered and who still hear hold music."""
    return session.scalars(
        select(QueueEntry).where(
            QueueEntry.outcome == QueueOutcome.ANSWERED,
            QueueEntry.bridge_requested_at.is_(None),
            QueueEntry.talk_ended_at.is_(None),
        )
    ).all()


def claim_bridge(*, session: Session, clock: Clock, entry_id: int) -> bool:
    """Take a bridge for this distributor (once)."""
    moved = session.execute(
        update(QueueEntry)
        .where(QueueEntry.id == entry_id, QueueEntry.bridge_requested_at.is_(None))
        .values(bridge_requested_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    return bool(moved.rowcount)  # type: ignore[attr-defined]


def take_bridge(*, session: Session, clock: Clock, entry: QueueEntry) -> bool:
    """The caller's own hold loop may bridge them: if the distributor has not claimed the
    bridge, or claimed it over BRIDGE_STALL ago and the caller has still not arrived."""
    if claim_bridge(session=session, clock=clock, entry_id=entry.id):
        return True
    session.refresh(entry)
    requested = entry.bridge_requested_at
    stalled = requested is not None and clock.now() - requested >= BRIDGE_STALL
    return stalled and entry.bridged_at is None


def bridge_failed(*, session: Session, clock: Clock, entry_id: int) -> None:
    """The caller could not be taken off hold (gone already): hang the agent's leg up."""
    entry = session.get(QueueEntry, entry_id)
    if entry is None:
        return
    if entry.talk_ended_at is None:
        entry.talk_ended_at = clock.now()
    for offer in session.scalars(
        select(CallOffer).where(
            CallOffer.entry_id == entry_id, CallOffer.state == OfferState.ANSWERED
        )
    ):
        offer.cancel_requested = True


def connect(*, session: Session, clock: Clock, entry_id: int, call_sid: str) -> QueueEntry | None:
    """The caller arrives at the agent's conference; None if this entry is not theirs to join."""
    entry = session.get(QueueEntry, entry_id)
    if entry is None or entry.call_sid != call_sid or entry.outcome != QueueOutcome.ANSWERED:
        return None
    if entry.bridged_at is None:
        entry.bridged_at = clock.now()
    return entry


def cancels_due(*, session: Session) -> Sequence[CallOffer]:
    """Agent legs the hotline must hang up (the caller left, or the agent stepped away)."""
    return session.scalars(
        select(CallOffer).where(
            CallOffer.cancel_requested.is_(True), CallOffer.agent_call_sid.is_not(None)
        )
    ).all()


def cancelled(*, session: Session, offer_id: int) -> None:
    """The hang-up was sent."""
    offer = session.get(CallOffer, offer_id)
    if offer is not None:
        offer.cancel_requested = False


def expire_rings(*, session: Session, clock: Clock, ring_seconds: int) -> list[CallOffer]:
    """Rings that outlived HOTLINE_AGENT_RING_SECONDS without a final status: missed."""
    now = clock.now()
    expired = []
    for offer in session.scalars(
        select(CallOffer).where(CallOffer.state == OfferState.RINGING).with_for_update()
    ):
        if offer.rung_at is None or not ring_overdue(offer.rung_at, now, ring_seconds):
            continue
        if offer.agent_call_sid is None:  # the ring never left this distributor
            _end_ring(session, clock, offer, OfferState.WITHDRAWN, "ring_lost", SeatMove.WITHDRAWN)
        else:
            offer.cancel_requested = True
            _end_ring(session, clock, offer, OfferState.MISSED, "timeout", SeatMove.NO_ANSWER)
        expired.append(offer)
    return expired


def offer_for_seat(*, session: Session, user_id: int, call_sid: str) -> CallOffer | None:
    """The agent's answered offer of this caller."""
    return session.scalar(
        select(CallOffer)
        .join(QueueEntry, QueueEntry.id == CallOffer.entry_id)
        .where(
            CallOffer.user_id == user_id,
            CallOffer.state == OfferState.ANSWERED,
            QueueEntry.call_sid == call_sid,
        )
        .order_by(CallOffer.id.desc())
        .limit(1)
    )
