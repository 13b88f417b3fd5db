"""Intake: turning a finished IVR call (and its recording) into a ticket."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hotline.calls import service as calls
from hotline.calls.models import Call
from hotline.core.clock import Clock
from hotline.notifications import service as notifications
from hotline.tickets import service as tickets
from hotline.tickets.models import Ticket
from hotline.tickets.transitions import TicketStatus
from hotline.triage import service as triage
from hotline.triage.policy import TriagePolicy


def ensure_ticket(*, session: Session, clock: Clock, policy: TriagePolicy, call: Call) -> Ticket:
    """The call's ticket, created from its IVR choices on first need; the caller gets an SMS."""
    ticket, created = tickets.get_or_create_for_call(
        session=session,
        clock=clock,
        call_id=call.id,
        caller=call.from_number,
        language=call.language,
        category=call.category,
        location_code=call.location_code,
        channel="voicemail" if call.intent == "agent" else "ivr",
        fallback=call.fallback,
    )
    if call.fallback and not ticket.fallback:
        ticket.fallback = True
    if created:
        notifications.notify_resident(
            session=session,
            clock=clock,
            ticket=ticket,
            kind="intake",
            timezone=policy.calendar.timezone,
        )
    return ticket


def add_recording(
    *,
    session: Session,
    clock: Clock,
    policy: TriagePolicy,
    call: Call,
    recording_sid: str,
    recording_url: str,
    duration: str | None,
    status: str = "completed",
) -> Ticket:
    """Store a recording (queueing its transcription) and make sure the call has a ticket."""
    available = status == "completed" and bool(recording_url)
    calls.add_recording(
        session=session,
        clock=clock,
        call=call,
        recording_sid=recording_sid,
        source_url=recording_url,
        duration_seconds=_seconds(duration),
        available=available,
        unavailable_reason=None if available else f"Twilio reported recording {status}",
    )
    return ensure_ticket(session=session, clock=clock, policy=policy, call=call)


def finish_without_recording(
    *, session: Session, clock: Clock, policy: TriagePolicy, call: Call
) -> Ticket:
    """The caller recorded nothing: triage straight away on the keypad choices."""
    ticket = ensure_ticket(session=session, clock=clock, policy=policy, call=call)
    if ticket.status == TicketStatus.RECEIVED and not call.recordings:
        tickets.flag_for_listening(ticket=ticket, reason="no description recorded")
        triage.triage_ticket(
            session=session, clock=clock, policy=policy, ticket=ticket, transcript=None
        )
    return ticket


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None
