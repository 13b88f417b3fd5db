"""Call and recording verbs used by the IVR webhooks."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.calls.models import Call, CallStatus, DownloadStatus, Recording
from hotline.core.clock import Clock
from hotline.core.errors import NotFound
from hotline.core.persistence import get_or_insert
from hotline.outbox import service as outbox

TRANSCRIBE_FUNCTION = "worker.jobs.transcribe_recording"
TRANSCRIPTION_QUEUE = "transcription"
FINAL_STATUSES = {
    CallStatus.COMPLETED,
    CallStatus.BUSY,
    CallStatus.NO_ANSWER,
    CallStatus.FAILED,
    CallStatus.CANCELED,
}


def get_or_raise(*, session: Session, call_id: int) -> Call:
    """A call by id, or NotFound."""
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound(f"no call {call_id}")
    return call


def get_by_sid(*, session: Session, call_sid: str) -> Call | None:
    """The call with this CallSid, if any."""
    return session.scalar(select(Call).where(Call.call_sid == call_sid))


def get_or_create(
    *, session: Session, clock: Clock, call_sid: str, from_number: str, to_number: str
) -> Call:
    """One Call row per CallSid, however often Twilio delivers."""

    def build() -> Call:
        now = clock.now()
        return Call(
            call_sid=call_sid,
            from_number=from_number,
            to_number=to_number,
            status=CallStatus.IN_PROGRESS,
            started_at=now,
            updated_at=now,
        )

    call, _ = get_or_insert(
        session=session,
        find=lambda: get_by_sid(session=session, call_sid=call_sid),
        build=build,
    )
    return call


def update_choices(*, call: Call, clock: Clock, **choices: str | bool | None) -> None:
    """Remember what the caller chose (language, intent, category, location)."""
    for name, value in choices.items():
        setattr(call, name, value)
    call.updated_at = clock.now()


def update_status(*, call: Call, clock: Clock, status: str, duration_seconds: int | None) -> None:
    """Apply a call status callback; a final status is never replaced by an earlier one."""
    if CallStatus(call.status) in FINAL_STATUSES and status not in FINAL_STATUSES:
        return
    call.status = status
    if duration_seconds is not None:
        call.duration_seconds = duration_seconds
    if status in FINAL_STATUSES and call.ended_at is None:
        call.ended_at = clock.now()
    call.updated_at = clock.now()


def get_recording(*, session: Session, recording_id: int) -> Recording | None:
    """A recording by id."""
    return session.get(Recording, recording_id)


def get_recording_by_sid(*, session: Session, recording_sid: str) -> Recording | None:
    """A recording by its RecordingSid."""
    return session.scalar(select(Recording).where(Recording.recording_sid == recording_sid))


def add_recording(
    *,
    session: Session,
    clock: Clock,
    call: Call,
    recording_sid: str,
    source_url: str,
    duration_seconds: float | None,
    available: bool,
    unavailable_reason: str | None = None,
) -> tuple[Recording, bool]:
    """Store a recording once and, in the same transaction, queue its transcription."""

    def build() -> Recording:
        return Recording(
            recording_sid=recording_sid,
            call_id=call.id,
            source_url=source_url,
            duration_seconds=duration_seconds,
            download_status=DownloadStatus.PENDING if available else DownloadStatus.FAILED,
            download_error=None if available else unavailable_reason,
            created_at=clock.now(),
        )

    recording, created = get_or_insert(
        session=session,
        find=lambda: get_recording_by_sid(session=session, recording_sid=recording_sid),
        build=build,
    )
    if created:
        outbox.add(
            session=session,
            clock=clock,
            job_id=f"transcribe-{recording_sid}",
            queue=TRANSCRIPTION_QUEUE,
            function=TRANSCRIBE_FUNCTION,
            args=[recording.id],
        )
    return recording, created
