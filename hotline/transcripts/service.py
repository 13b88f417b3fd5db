"""Store downloads and transcripts, then move the ticket on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.calls import intake
from hotline.calls import service as calls
from hotline.calls.audio import Sources, sources_of
from hotline.calls.models import SURVEY_INTENT, DownloadStatus
from hotline.core.clock import Clock
from hotline.core.errors import NotFound
from hotline.core.persistence import get_or_insert
from hotline.surveys import service as surveys
from hotline.telephony.download import FetchedRecording
from hotline.tickets import service as tickets
from hotline.tickets.transitions import TicketStatus
from hotline.transcripts.models import Transcript, TranscriptStatus
from hotline.triage import service as triage
from hotline.triage.policy import TriagePolicy
from transcription.result import Transcription

DEFAULT_LANGUAGE = "zh-CN"


@dataclass(frozen=True)
class RecordingWork:
    """What a transcription job needs to know, read in one short transaction."""

    recording_id: int
    recording_sid: str
    call_sid: str
    source_url: str
    language: str
    download_status: str
    local_path: Path | None
    download_error: str | None
    sources: Sources  # where another host gets the audio, and its sha256


def get_transcript(*, session: Session, recording_id: int) -> Transcript | None:
    """The transcript of a recording, if made."""
    return session.scalar(select(Transcript).where(Transcript.recording_id == recording_id))


def get_work(*, session: Session, recording_id: int) -> RecordingWork | None:
    """The work left for a recording, or None when it is already transcribed."""
    recording = calls.get_recording(session=session, recording_id=recording_id)
    if recording is None:
        raise NotFound(f"no recording {recording_id}")
    if get_transcript(session=session, recording_id=recording_id) is not None:
        return None
    return RecordingWork(
        recording_id=recording.id,
        recording_sid=recording.recording_sid,
        call_sid=recording.call.call_sid,
        source_url=recording.source_url,
        language=recording.call.language or DEFAULT_LANGUAGE,
        download_status=recording.download_status,
        local_path=Path(recording.local_path) if recording.local_path else None,
        download_error=recording.download_error,
        sources=sources_of(recording),
    )


def save_download(
    *,
    session: Session,
    clock: Clock,
    recording_id: int,
    fetched: FetchedRecording | None,
    error: str | None = None,
) -> None:
    """Record where the audio was saved, or why it could not be fetched."""
    recording = calls.get_recording(session=session, recording_id=recording_id)
    if recording is None:
        raise NotFound(f"no recording {recording_id}")
    if fetched is not None:
        recording.local_path = str(fetched.path)
        recording.sha256 = fetched.sha256
        recording.size_bytes = fetched.size_bytes
        recording.download_status = DownloadStatus.DOWNLOADED
        recording.download_error = None
        recording.downloaded_at = clock.now()
    else:
        recording.download_status = DownloadStatus.FAILED
        recording.download_error = error


def save_local_copy(*, session: Session, recording_id: int, path: Path) -> None:
    """Note the copy this host fetched again (the first one is on a host that went away)."""
    recording = calls.get_recording(session=session, recording_id=recording_id)
    if recording is None:
        raise NotFound(f"no recording {recording_id}")
    recording.local_path = str(path)


def save_shared(*, session: Session, recording_id: int, address: str) -> None:
    """Record the address of the copy every host can read."""
    recording = calls.get_recording(session=session, recording_id=recording_id)
    if recording is None:
        raise NotFound(f"no recording {recording_id}")
    recording.store_uri = address


def save_transcript(
    *,
    session: Session,
    clock: Clock,
    policy: TriagePolicy,
    recording_id: int,
    result: Transcription,
) -> Transcript:
    """Store the transcript once, then triage and route the ticket; a rerun changes nothing."""
    recording = calls.get_recording(session=session, recording_id=recording_id)
    if recording is None:
        raise NotFound(f"no recording {recording_id}")

    def build() -> Transcript:
        return Transcript(
            recording_id=recording_id,
            status=result.status,
            reason=result.reason,
            text=result.text,
            words=result.words,
            mean_confidence=result.mean_confidence,
            model=result.model,
            language=result.language,
            audio_seconds=result.audio_seconds,
            decode_seconds=result.decode_seconds,
            created_at=clock.now(),
        )

    transcript, created = get_or_insert(
        session=session,
        find=lambda: get_transcript(session=session, recording_id=recording_id),
        build=build,
    )
    if created:
        call = calls.get_or_raise(session=session, call_id=recording.call_id)
        if call.intent == SURVEY_INTENT:  # a resident's comment on a callback, not a new report
            surveys.comment_heard(
                session=session,
                clock=clock,
                call_sid=call.call_sid,
                text=result.text if result.status == TranscriptStatus.OK else "",
                problem=result.reason,
            )
            return transcript
        if intake.answered_by_person(session=session, call=call):
            return transcript  # the agent's ticket (if any) shows it through the call
        ticket = intake.ensure_ticket(session=session, clock=clock, policy=policy, call=call)
        if result.status != TranscriptStatus.OK:
            tickets.flag_for_listening(
                ticket=ticket, reason=f"transcript {result.status}: {result.reason}"
            )
        if ticket.status == TicketStatus.RECEIVED:
            triage.triage_ticket(
                session=session, clock=clock, policy=policy, ticket=ticket, transcript=transcript
            )
    return transcript
