"""Job functions: take ids, open their own sessions, call services."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from rq import get_current_job

from hotline.calls import audio
from hotline.calls.store import StoreError
from hotline.core.database import unit_of_work
from hotline.core.errors import NotFound
from hotline.notifications import service as notifications
from hotline.retention import service as retention
from hotline.routing import escalation
from hotline.surveys import service as surveys
from hotline.surveys.models import SurveyAttempt
from hotline.telephony import pacing
from hotline.telephony.download import RecordingRejected, RecordingUnavailable
from hotline.telephony.port import TelephonyError
from hotline.transcripts import service as transcripts
from hotline.webhooks import delivery as webhook_delivery
from hotline.webhooks import service as webhooks
from transcription.result import Transcription
from worker import context
from worker.failure_points import reach

log = logging.getLogger(__name__)


def _retries_left() -> int:
    job = get_current_job()
    return int(job.retries_left or 0) if job is not None else 0


def transcribe_recording(recording_id: int) -> dict[str, Any]:
    """Download a recording, transcribe it with Vosk, store the transcript, triage the ticket."""
    ctx = context.current()
    loads_before = ctx.speech.load_count
    with unit_of_work(ctx.sessions) as session:
        work = transcripts.get_work(session=session, recording_id=recording_id)
    if work is None:
        return {"recording_id": recording_id, "skipped": "already transcribed"}

    path = work.local_path
    error = work.download_error
    sha256 = work.sources.sha256
    if work.download_status == "pending":
        assert ctx.settings.recordings_dir is not None
        destination = ctx.settings.recordings_dir / work.call_sid / work.recording_sid
        fetched = None
        try:
            fetched = ctx.telephony.fetch_recording(work.source_url, destination)
            path, sha256 = fetched.path, fetched.sha256
        except RecordingUnavailable as failure:
            if _retries_left() > 0:
                log.warning("recording %s not fetched yet, will retry: %s", recording_id, failure)
                raise
            error = f"download failed after retries: {failure}"
        except RecordingRejected as failure:
            error = f"download refused: {failure}"
        reach("transcribe:fetched")
        with unit_of_work(ctx.sessions) as session:
            transcripts.save_download(
                session=session,
                clock=ctx.clock,
                recording_id=recording_id,
                fetched=fetched,
                error=error,
            )
        reach("transcribe:downloaded")
    elif path is not None and not path.is_file():
        path, error = _fetch_here(ctx, work)
    if path is not None and sha256 and work.sources.store_uri is None:
        _share(ctx, work, path, sha256)

    if path is None:
        result = Transcription.failed(work.language, error or "recording unavailable")
    else:
        result = ctx.speech.transcribe(path, work.language)
    reach("transcribe:decoded")
    with unit_of_work(ctx.sessions) as session:
        transcripts.save_transcript(
            session=session,
            clock=ctx.clock,
            policy=ctx.policy,
            recording_id=recording_id,
            result=result,
        )
    reach("transcribe:saved")
    return {
        "recording_id": recording_id,
        "status": result.status,
        "audio_seconds": result.audio_seconds,
        "decode_seconds": result.decode_seconds,
        "model_loads_during_job": ctx.speech.load_count - loads_before,
    }


def _fetch_here(
    ctx: context.WorkerContext, work: transcripts.RecordingWork
) -> tuple[Path | None, str | None]:
    """The host that fetched the audio is gone: get it again from the store or the carrier."""
    assert ctx.settings.recordings_dir is not None
    folder = ctx.settings.recordings_dir / work.call_sid
    try:
        path = audio.obtain(work.sources, folder, store=ctx.store, telephony=ctx.telephony)
    except audio.AudioUnavailable as failure:
        if _retries_left() > 0:
            log.warning(
                "recording %s not fetched again yet, will retry: %s", work.recording_id, failure
            )
            raise
        return None, f"download failed after retries: {failure}"
    except NotFound as missing:
        return None, str(missing)
    with unit_of_work(ctx.sessions) as session:
        transcripts.save_local_copy(session=session, recording_id=work.recording_id, path=path)
    return path, None


def _share(
    ctx: context.WorkerContext, work: transcripts.RecordingWork, path: Path, sha256: str
) -> None:
    """Copy the audio to the shared store; with no retry left the web falls back to the carrier."""
    try:
        address = audio.share(ctx.store, work.call_sid, path, sha256)
    except StoreError as failure:
        if _retries_left() > 0:
            log.warning("recording %s not stored yet, will retry: %s", work.recording_id, failure)
            raise
        log.error("recording %s kept on this host only: %s", work.recording_id, failure)
        return
    if address is not None:
        with unit_of_work(ctx.sessions) as session:
            transcripts.save_shared(
                session=session, recording_id=work.recording_id, address=address
            )
    reach("transcribe:shared")


def send_message(message_id: int) -> dict[str, Any]:
    """Send one queued SMS through the telephony port; a second run sends nothing."""
    ctx = context.current()
    with unit_of_work(ctx.sessions) as session:
        message = notifications.get_queued(session=session, message_id=message_id)
        if message is None:
            return {"message_id": message_id, "skipped": "not queued"}
        to, body = message.recipient, message.body
        previous = notifications.begin_send(clock=ctx.clock, message=message)
    reach("sms:noted")
    try:
        # A run that died after handing the text over but before noting its SID: ask first.
        sid = ctx.telephony.find_sms(to, body, previous) if previous else None
        if sid is None:
            sid = ctx.telephony.send_sms(to, body)
            reach("sms:sent")
    except TelephonyError as error:
        final = _retries_left() == 0
        with unit_of_work(ctx.sessions) as session:
            notifications.mark_failed(
                session=session, message_id=message_id, error=str(error), final=final
            )
        if not final:
            raise
        return {"message_id": message_id, "status": "failed"}
    with unit_of_work(ctx.sessions) as session:
        notifications.mark_sent(session=session, clock=ctx.clock, message_id=message_id, sid=sid)
    return {"message_id": message_id, "status": "sent", "sid": sid}


def escalation_sweep() -> dict[str, Any]:
    """Escalate overdue tickets one level; safe to run any number of times."""
    ctx = context.current()
    with unit_of_work(ctx.sessions) as session:
        moved = escalation.sweep(session=session, clock=ctx.clock, policy=ctx.policy)
    return {"escalated": moved}


def retention_sweep() -> dict[str, Any]:
    """Delete audio past HOTLINE_RECORDING_RETENTION_DAYS here and at the carrier; repeatable."""
    ctx = context.current()
    with unit_of_work(ctx.sessions) as session:
        report = retention.sweep(
            session=session,
            clock=ctx.clock,
            days=ctx.settings.recording_retention_days,
            recordings_dir=ctx.settings.recordings_dir,
            store=ctx.store,
            delete_remote=ctx.telephony.delete_recording,
        )
    return {
        "deleted": len(report.deleted),
        "remote_deleted": len(report.remote_deleted),
        "held": report.held,
        "failed": len(report.failed),
    }


def deliver_webhook(delivery_id: int) -> dict[str, Any]:
    """POST a subscriber's waiting events for this delivery's ticket, in order; one try each."""
    ctx = context.current()
    return webhook_delivery.deliver(
        sessions=ctx.sessions, clock=ctx.clock, settings=ctx.settings, delivery_id=delivery_id
    )


def webhook_sweep() -> dict[str, Any]:
    """Queue the retries that are due and the deliveries a dead worker was holding."""
    ctx = context.current()
    with unit_of_work(ctx.sessions) as session:
        return {"queued": webhooks.queue_due(session=session, clock=ctx.clock)}


def survey_sweep() -> dict[str, Any]:
    """Claim the callback surveys that are due and queue one call job for each."""
    ctx = context.current()
    with unit_of_work(ctx.sessions) as session:
        claimed = surveys.claim_due(session=session, clock=ctx.clock, policy=ctx.surveys)
        return {"calls": [attempt.id for attempt in claimed]}


def place_survey_call(attempt_id: int) -> dict[str, Any]:
    """Dial one survey attempt, keeping to the calls-per-second limit shared by all workers."""
    ctx = context.current()
    with unit_of_work(ctx.sessions) as session:
        attempt = session.get(SurveyAttempt, attempt_id)
        if attempt is None or attempt.call_sid is not None or attempt.ended_at is not None:
            return {"attempt": attempt_id, "skipped": "already placed"}
        phone, survey_id = attempt.survey.phone, attempt.survey_id
        previous = surveys.begin_dial(clock=ctx.clock, attempt=attempt)
    base = ctx.settings.public_base_url + "/ivr/survey"
    job = get_current_job()
    waited = 0.0
    try:
        # A run that died after handing the call over but before noting its SID: ask first.
        sid = ctx.telephony.find_call(phone, previous) if previous else None
        if sid is None:
            if job is not None:
                waited = pacing.wait_turn(job.connection, ctx.settings.calls_per_second)
            sid = ctx.telephony.place_call(
                phone,
                f"{base}/start?attempt={attempt_id}",
                f"{base}/status?attempt={attempt_id}",
                detect_machine=True,
            )
            reach("survey:dialed")
    except TelephonyError as error:
        with unit_of_work(ctx.sessions) as session:
            attempt = session.get(SurveyAttempt, attempt_id)
            assert attempt is not None
            surveys.call_failed(
                session=session,
                clock=ctx.clock,
                policy=ctx.surveys,
                attempt=attempt,
                error=str(error),
            )
        return {"attempt": attempt_id, "survey": survey_id, "error": str(error)}
    with unit_of_work(ctx.sessions) as session:
        attempt = session.get(SurveyAttempt, attempt_id)
        assert attempt is not None
        if attempt.call_sid is None:
            surveys.call_placed(attempt=attempt, call_sid=sid)
    return {"attempt": attempt_id, "survey": survey_id, "sid": sid, "waited": round(waited, 3)}
