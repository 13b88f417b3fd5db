"""A caller's conference: supervisors listen, whisper or barge; agents add a third party."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.core.clock import Clock
from hotline.core.errors import Conflict, NotFound
from hotline.core.phones import is_agent_phone
from hotline.queue.models import QueueEntry, QueueOutcome
from hotline.seats.models import CallOffer, ConferenceParticipant, OfferState, ParticipantRole
from hotline.telephony.port import Join, Telephony
from hotline.users.models import User

MONITOR_ROLES = (ParticipantRole.LISTEN, ParticipantRole.WHISPER, ParticipantRole.BARGE)


def conference_name(caller_call_sid: str) -> str:
    """One conference per caller: supervisors and third parties join it by this name."""
    return f"hotline-{caller_call_sid}"


def live_entry(*, session: Session, call_sid: str) -> QueueEntry:
    """The caller's conversation with an agent, while it lasts."""
    entry = session.scalar(select(QueueEntry).where(QueueEntry.call_sid == call_sid))
    if entry is None or entry.outcome != QueueOutcome.ANSWERED:
        raise NotFound(f"no call {call_sid} with an agent")
    if entry.talk_ended_at is not None:
        raise Conflict("the call has ended")
    return entry


def agent_leg(*, session: Session, entry: QueueEntry) -> CallOffer:
    """The answered offer: who took the call and on which leg."""
    offer = session.scalar(
        select(CallOffer)
        .where(CallOffer.entry_id == entry.id, CallOffer.state == OfferState.ANSWERED)
        .order_by(CallOffer.id.desc())
        .limit(1)
    )
    if offer is None or offer.agent_call_sid is None:
        raise Conflict("the agent's leg is not connected yet")
    return offer


def participants(*, session: Session, entry_id: int) -> Sequence[ConferenceParticipant]:
    """Everyone added to the conference, first first."""
    return session.scalars(
        select(ConferenceParticipant)
        .where(ConferenceParticipant.entry_id == entry_id)
        .order_by(ConferenceParticipant.id)
    ).all()


def _current(session: Session, entry_id: int, added_by: str) -> ConferenceParticipant | None:
    return next(
        (
            p
            for p in participants(session=session, entry_id=entry_id)
            if p.added_by == added_by and p.role in MONITOR_ROLES and p.ended_at is None
        ),
        None,
    )


def _join(role: ParticipantRole, label: str, coach: str, status_callback: str | None) -> Join:
    return Join(
        label=label,
        muted=role is ParticipantRole.LISTEN,
        coach_call_sid=coach if role is ParticipantRole.WHISPER else None,
        status_callback=status_callback,
    )


def monitor(
    *,
    session: Session,
    clock: Clock,
    telephony: Telephony,
    base_url: str,
    call_sid: str,
    supervisor: User,
    role: ParticipantRole,
) -> ConferenceParticipant:
    """Listen (muted), whisper to the agent only, or barge in; a second click changes the mode."""
    if role not in MONITOR_ROLES:
        raise Conflict(f"role: one of {', '.join(r.value for r in MONITOR_ROLES)}")
    if not supervisor.phone:
        raise Conflict("your account has no phone number to ring")
    entry = live_entry(session=session, call_sid=call_sid)
    coach = agent_leg(session=session, entry=entry).agent_call_sid or ""
    current = _current(session, entry.id, supervisor.username)
    label = f"supervisor-{supervisor.username}"
    if current is not None and current.call_sid:
        if entry.conference_sid is None:
            raise Conflict("the conference has not started yet")
        telephony.update_participant(
            entry.conference_sid, current.call_sid, _join(role, label, coach, None)
        )
        current.role = role
        return current
    participant = ConferenceParticipant(
        entry_id=entry.id,
        role=role,
        phone=supervisor.phone,
        added_by=supervisor.username,
        label=label,
        created_at=clock.now(),
    )
    session.add(participant)
    session.flush()
    callback = f"{base_url}/ivr/participant/status?participant={participant.id}"
    participant.call_sid = telephony.add_participant(
        conference_name(call_sid), supervisor.phone, _join(role, label, coach, callback)
    )
    return participant


def add_third_party(
    *,
    session: Session,
    clock: Clock,
    telephony: Telephony,
    base_url: str,
    call_sid: str,
    phone: str,
    added_by: str,
    label: str | None = None,
) -> ConferenceParticipant:
    """三方通话: dial the grid worker or department on duty into the caller's conference."""
    if not is_agent_phone(phone):
        raise Conflict("phone: an E.164 number such as +8613900000001 or a SIP URI")
    entry = live_entry(session=session, call_sid=call_sid)
    participant = ConferenceParticipant(
        entry_id=entry.id,
        role=ParticipantRole.THIRD_PARTY,
        phone=phone,
        added_by=added_by,
        label=(label or "third-party")[:64],
        created_at=clock.now(),
    )
    session.add(participant)
    session.flush()
    callback = f"{base_url}/ivr/participant/status?participant={participant.id}"
    participant.call_sid = telephony.add_participant(
        conference_name(call_sid),
        phone,
        Join(label=f"third-party-{participant.id}", status_callback=callback),
    )
    return participant


def event(
    *,
    session: Session,
    clock: Clock,
    entry_id: int,
    event: str,
    conference_sid: str,
    call_sid: str | None,
) -> None:
    """A conference status callback: remember its SID; note participants who left."""
    entry = session.get(QueueEntry, entry_id)
    if entry is None:
        return
    if entry.conference_sid is None:
        entry.conference_sid = conference_sid
    if event == "participant-leave" and call_sid:
        leg_ended(session=session, clock=clock, participant_id=None, call_sid=call_sid)


def leg_ended(*, session: Session, clock: Clock, participant_id: int | None, call_sid: str) -> None:
    """A supervisor's or third party's leg is over."""
    participant = session.scalar(
        select(ConferenceParticipant).where(ConferenceParticipant.call_sid == call_sid)
    )
    if participant is None and participant_id is not None:
        participant = session.get(ConferenceParticipant, participant_id)
    if participant is not None and participant.ended_at is None:
        participant.ended_at = clock.now()
