"""With HOTLINE_RECORDING_STORE=s3://…, every host reads the audio the worker fetched."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from redis import Redis
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.app import create_app
from hotline.audit.models import AuditEntry
from hotline.calls.models import Recording
from hotline.core.clock import FixedClock
from hotline.core.database import unit_of_work
from hotline.core.settings import Settings
from hotline.retention import service as retention
from hotline.telephony.download import FetchedRecording
from hotline.tickets.models import Ticket
from hotline.transcripts import service as transcripts
from ivr.simulator.recordings import RecordingServer
from tests.agent_console.arrange import add_people, sign_in
from tests.conftest import FIXTURES, free_port, run_jobs
from tests.object_store import Bucket
from tests.worker.helpers import finished_call, outcome
from transcription.engine import VoskEngine
from worker import context

AUDIO = FIXTURES / "ko_water.wav"
pytestmark = pytest.mark.vosk


@pytest.fixture
def worker_host(
    settings: Settings,
    bucket: Bucket,
    clock: FixedClock,
    speech: VoskEngine,
    tmp_path: Path,
    seeded: None,
) -> Iterator[context.WorkerContext]:
    """Jobs in this process as a worker host with its own disk and the shared bucket."""
    here = settings.model_copy(
        update=bucket.settings() | {"recordings_dir": tmp_path / "worker-host"}
    )
    ctx = context.build(here, clock=clock)
    ctx.speech = speech
    context.install(ctx)
    yield ctx
    ctx.engine.dispose()


def web_host(settings: Settings, bucket: Bucket, clock: FixedClock, tmp_path: Path) -> TestClient:
    """The console on another machine: its own (empty) recordings folder, the same bucket."""
    there = settings.model_copy(update=bucket.settings() | {"recordings_dir": tmp_path / "web"})
    return TestClient(create_app(there, clock=clock), base_url="https://testserver")


def transcribed(
    ctx: context.WorkerContext, redis: Redis, recordings: RecordingServer
) -> tuple[str, Recording]:
    sid, url = recordings.add(AUDIO)
    with unit_of_work(ctx.sessions) as session:
        add_people(session, ctx.clock)
    finished_call(ctx.sessions, ctx.clock, recording_url=url)
    run_jobs(ctx, redis)
    with ctx.sessions() as session:
        recording = session.scalars(select(Recording)).one()
        session.expunge(recording)
    return sid, recording


def out_of_sight(ctx: context.WorkerContext) -> None:
    """The web host below runs on this machine: hide the worker host's disk from it."""
    assert ctx.settings.recordings_dir is not None
    shutil.rmtree(ctx.settings.recordings_dir)


def test_the_worker_shares_the_audio_and_another_web_host_plays_it(
    worker_host: context.WorkerContext,
    redis: Redis,
    recordings: RecordingServer,
    bucket: Bucket,
    settings: Settings,
    clock: FixedClock,
    session: Session,
    tmp_path: Path,
) -> None:
    sid, recording = transcribed(worker_host, redis, recordings)
    key = f"hotline/{Path(recording.local_path or '').parent.name}/{recording.recording_sid}.wav"
    assert bucket.keys() == [key]
    assert recording.store_uri == f"s3://{bucket.name}/{key}"
    ticket, transcript = outcome(session)
    assert transcript.status == "ok"
    out_of_sight(worker_host)
    with web_host(settings, bucket, clock, tmp_path) as console:
        sign_in(console, "agent")
        src = f"/console/tickets/{ticket.reference}/recordings/{recording.id}"
        whole = console.get(src)
        assert whole.status_code == 200, whole.text
        assert whole.content == AUDIO.read_bytes()
        part = console.get(src, headers={"Range": "bytes=100-199"})
        assert part.status_code == 206 and part.content == AUDIO.read_bytes()[100:200]
    assert recordings.downloads[sid] == 1  # the worker's fetch only: the carrier is not asked
    assert not (tmp_path / "web").exists()  # nothing is kept on the web host
    session.rollback()
    assert session.scalar(select(func.count()).where(AuditEntry.action == "listen")) == 1


def test_a_changed_object_is_refused_and_the_carrier_copy_is_used(
    worker_host: context.WorkerContext,
    redis: Redis,
    recordings: RecordingServer,
    bucket: Bucket,
    settings: Settings,
    clock: FixedClock,
    session: Session,
    tmp_path: Path,
) -> None:
    sid, recording = transcribed(worker_host, redis, recordings)
    [key] = bucket.keys()
    bucket.client.put_object(Bucket=bucket.name, Key=key, Body=b"RIFF not the same audio")
    ticket = session.scalars(select(Ticket)).one()
    out_of_sight(worker_host)
    with web_host(settings, bucket, clock, tmp_path) as console:
        sign_in(console, "agent")
        answer = console.get(f"/console/tickets/{ticket.reference}/recordings/{recording.id}")
    assert answer.status_code == 200 and answer.content == AUDIO.read_bytes()
    assert recordings.downloads[sid] == 2


def test_a_retry_on_another_worker_host_reads_the_shared_copy(
    worker_host: context.WorkerContext,
    redis: Redis,
    recordings: RecordingServer,
    bucket: Bucket,
    session: Session,
    tmp_path: Path,
) -> None:
    """Host A fetched, shared and died before decoding; its disk is gone with it."""
    sid, url = recordings.add(AUDIO)
    recording_id = finished_call(worker_host.sessions, worker_host.clock, recording_url=url)
    gone = tmp_path / "host-a" / "RE.wav"
    digest = hashlib.sha256(AUDIO.read_bytes()).hexdigest()
    address = worker_host.store.put("CA/RE.wav", AUDIO, content_type="audio/wav", sha256=digest)
    assert address is not None
    with unit_of_work(worker_host.sessions) as s:
        fetched = FetchedRecording(gone, digest, AUDIO.stat().st_size)
        transcripts.save_download(
            session=s, clock=worker_host.clock, recording_id=recording_id, fetched=fetched
        )
        transcripts.save_shared(session=s, recording_id=recording_id, address=address)
    run_jobs(worker_host, redis)
    _, transcript = outcome(session)
    assert transcript.status == "ok" and transcript.text
    assert recordings.downloads[sid] == 0
    row = session.get(Recording, recording_id)
    assert row is not None and row.local_path is not None
    assert Path(row.local_path).is_relative_to(tmp_path / "worker-host")


def test_a_store_that_is_down_costs_the_transcript_nothing(
    worker_host: context.WorkerContext,
    redis: Redis,
    recordings: RecordingServer,
    session: Session,
) -> None:
    down = worker_host.settings.model_copy(
        update={"s3_endpoint_url": f"http://127.0.0.1:{free_port()}"}
    )
    worker_host.store = context.build(down).store
    sid, url = recordings.add(AUDIO)
    finished_call(worker_host.sessions, worker_host.clock, recording_url=url)
    run_jobs(worker_host, redis)  # the retries fail too; the last run goes on without the store
    _, transcript = outcome(session)
    assert transcript.status == "ok"
    assert recordings.downloads[sid] == 1  # the download was kept across the retries
    assert session.scalars(select(Recording)).one().store_uri is None


def test_retention_deletes_the_shared_copy_and_waits_for_a_store_that_is_down(
    worker_host: context.WorkerContext,
    redis: Redis,
    recordings: RecordingServer,
    bucket: Bucket,
    clock: FixedClock,
) -> None:
    _, recording = transcribed(worker_host, redis, recordings)
    clock.advance(minutes=181 * 24 * 60)
    down = worker_host.settings.model_copy(
        update={"s3_endpoint_url": f"http://127.0.0.1:{free_port()}"}
    )

    def sweep(ctx: context.WorkerContext) -> retention.SweepReport:
        with unit_of_work(ctx.sessions) as s:
            return retention.sweep(
                session=s,
                clock=clock,
                days=180,
                recordings_dir=ctx.settings.recordings_dir,
                store=ctx.store,
                delete_remote=None,
            )

    failed = sweep(context.build(down, clock=clock))
    assert list(failed.failed) == [recording.recording_sid] and failed.deleted == []
    assert len(bucket.keys()) == 1 and Path(recording.local_path or "").is_file()
    done = sweep(worker_host)
    assert done.deleted == [recording.recording_sid] and not done.failed
    assert bucket.keys() == [] and not Path(recording.local_path or "").exists()
    with worker_host.sessions() as s:
        row = s.get(Recording, recording.id)
        assert row is not None and row.store_uri is None and row.deleted_at is not None
