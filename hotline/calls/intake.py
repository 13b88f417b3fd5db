"""Intake: turning a finished IVR call (and its recording) into a ticket."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hotline.calls import service as calls
from hotline.calls.models import Call
from hotline.core.clock import Clock
from hotline.notifications import service as notifications
from hotline.queue import service as queue
from hotline.queue.models import QueueOutcome
from hotline.surveys import service as survey_service
from hotline.surveys.policy import SurveyPolicy
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


def answered_by_person(*, session: Session, call: Call) -> bool:
    """Did an agent take this call? Then the agent writes the ticket, not the IVR."""
    entry = queue.get_entry(session=session, call_sid=call.call_sid)
    return entry is not None and entry.outcome == QueueOutcome.ANSWERED


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
) -> Ticket | None:
    """Store a recording (queueing its transcription); an IVR call also gets its ticket."""
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
    if answered_by_person(session=session, call=call):
        return tickets.get_by_call(session=session, call_id=call.id)
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


def after_hang_up(*, session: Session, clock: Clock, surveys: SurveyPolicy, call: Call) -> None:
    """A caller who gave up in the agent queue, or before reporting, is called back."""
    queue.caller_gone(session=session, clock=clock, call_sid=call.call_sid)
    entry = queue.get_entry(session=session, call_sid=call.call_sid)
    gave_up_waiting = entry is not None and entry.outcome == QueueOutcome.ABANDONED
    no_report = (
        call.intent == "report" and tickets.get_by_call(session=session, call_id=call.id) is None
    )
    if gave_up_waiting or no_report:
        survey_service.schedule_missed_call(session=session, clock=clock, policy=surveys, call=call)
