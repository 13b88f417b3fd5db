"""Bad audio never crashes the worker: the ticket is triaged and flagged for a person."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest
import soundfile
from redis import Redis
from rq.registry import FailedJobRegistry
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.calls.models import Recording
from hotline.telephony.port import make_telephony
from ivr.simulator.recordings import RecordingServer
from tests.conftest import ACCOUNT_SID, AUTH_TOKEN, FIXTURES, run_jobs
from tests.worker.helpers import finished_call, outcome
from worker.context import WorkerContext


def truncated(tmp_path: Path) -> Path:
    data = (FIXTURES / "ko_water.wav").read_bytes()
    path = tmp_path / "truncated.wav"
    path.write_bytes(data[: len(data) // 3])
    return path


def silence(tmp_path: Path) -> Path:
    path = tmp_path / "silence.wav"
    soundfile.write(path, np.zeros(8000 * 180, dtype=np.int16), 8000, subtype="PCM_16")
    return path


def garbage(tmp_path: Path) -> Path:
    path = tmp_path / "garbage.wav"
    path.write_bytes(b"<html>this is not audio</html>" * 50)
    return path


def empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    return path


def header_only(tmp_path: Path) -> Path:
    path = tmp_path / "header.wav"
    header = b"RIFF" + struct.pack("<I", 36) + b"WAVE"
    fmt = b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16)
    path.write_bytes(header + fmt)
    return path


@pytest.mark.parametrize(
    ("make", "status", "reason"),
    [
        (empty, "failed", "empty audio file"),
        (truncated, "failed", "truncated WAV"),
        (header_only, "failed", "no audio data chunk"),
        (garbage, "failed", "not a readable audio file"),
        (silence, "empty", "recording is silent"),
    ],
)
def test_bad_audio_is_flagged_not_fatal(
    worker_context: WorkerContext,
    redis: Redis,
    session: Session,
    recordings: RecordingServer,
    tmp_path: Path,
    make: object,
    status: str,
    reason: str,
) -> None:
    assert callable(make)
    _, url = recordings.add(make(tmp_path))
    finished_call(worker_context.sessions, worker_context.clock, recording_url=url)
    run_jobs(worker_context, redis)
    ticket, transcript = outcome(session)
    assert transcript.status == status
    assert transcript.reason is not None and reason in transcript.reason
    assert ticket.status == "triaged"
    assert ticket.needs_listening and reason in (ticket.listening_reason or "")
    assert FailedJobRegistry("transcription", connection=redis).count == 0


def test_host_off_the_allow_list_is_never_contacted(
    worker_context: WorkerContext, redis: Redis, session: Session, recordings: RecordingServer
) -> None:
    sid, url = recordings.add(FIXTURES / "ko_water.wav")
    evil = url.replace("127.0.0.1", "127.0.0.2")
    finished_call(worker_context.sessions, worker_context.clock, recording_url=evil)
    run_jobs(worker_context, redis)
    ticket, transcript = outcome(session)
    assert transcript.status == "failed"
    assert "not in HOTLINE_RECORDING_HOSTS" in (transcript.reason or "")
    assert ticket.status == "triaged" and ticket.needs_listening
    assert recordings.downloads[sid] == 0


def test_recording_twilio_reports_absent(
    worker_context: WorkerContext, redis: Redis, session: Session
) -> None:
    finished_call(worker_context.sessions, worker_context.clock, recording_url="", status="absent")
    run_jobs(worker_context, redis)
    ticket, transcript = outcome(session)
    assert transcript.status == "failed"
    assert "absent" in (transcript.reason or "")
    assert ticket.status == "triaged" and ticket.needs_listening


def transcribe_while_not_ready(ctx: WorkerContext, redis: Redis, *, not_ready_for: int) -> int:
    """Run the jobs against a recording Twilio answers 404 for at first; returns fetches."""
    server = RecordingServer(ACCOUNT_SID, AUTH_TOKEN, not_ready_for=not_ready_for).start()
    try:
        sid, url = server.add(FIXTURES / "ko_water.wav")
        finished_call(ctx.sessions, ctx.clock, recording_url=url)
        run_jobs(ctx, redis)
    finally:
        server.stop()
    return server.downloads[sid]


def test_recording_that_never_becomes_available_fails_after_retries(
    worker_context: WorkerContext, redis: Redis, session: Session
) -> None:
    fetches = transcribe_while_not_ready(worker_context, redis, not_ready_for=100)
    ticket, transcript = outcome(session)
    assert fetches == len(worker_context.settings.job_retry_seconds) + 1
    assert transcript.status == "failed"
    assert "after retries" in (transcript.reason or "")
    assert ticket.status == "triaged" and ticket.needs_listening
    assert FailedJobRegistry("transcription", connection=redis).count == 0


@pytest.mark.vosk
def test_recording_not_ready_at_first_is_fetched_on_retry(
    worker_context: WorkerContext, redis: Redis, session: Session
) -> None:
    fetches = transcribe_while_not_ready(worker_context, redis, not_ready_for=1)
    ticket, transcript = outcome(session)
    assert fetches == 2
    assert transcript.status == "ok" and transcript.text
    assert ticket.status == "triaged" and not ticket.needs_listening
    recording = session.scalars(select(Recording)).one()
    assert recording.download_status == "downloaded"


def test_recording_over_the_size_limit_is_refused(
    worker_context: WorkerContext, redis: Redis, session: Session, recordings: RecordingServer
) -> None:
    small = worker_context.settings.model_copy(update={"recording_max_bytes": 10_000})
    worker_context.telephony = make_telephony(small)
    _, url = recordings.add(FIXTURES / "ko_water.wav")
    finished_call(worker_context.sessions, worker_context.clock, recording_url=url)
    run_jobs(worker_context, redis)
    ticket, transcript = outcome(session)
    assert transcript.status == "failed"
    assert "limit 10000" in (transcript.reason or "")
    assert ticket.needs_listening
    assert not list((worker_context.settings.data_dir / "recordings").rglob("*.part"))
