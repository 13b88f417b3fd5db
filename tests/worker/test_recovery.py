"""A work horse, a worker or a whole host dies mid-job: the job runs again, retries untouched."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest
from redis import Redis
from rq import Queue, Retry
from rq.job import Job
from rq.registry import FailedJobRegistry
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.calls.models import Recording
from hotline.core.database import unit_of_work
from hotline.grids import service as grids
from hotline.notifications import service as notifications
from hotline.notifications.models import Message
from hotline.transcripts.models import Transcript
from ivr.simulator.recordings import RecordingServer
from tests.conftest import FIXTURES, run_jobs
from tests.hotline.notifications.test_sms import sms_log, ticket_for
from tests.worker.helpers import finished_call, outcome
from worker.context import WorkerContext
from worker.failure_points import ENV
from worker.queues import QUEUES
from worker.recovery import CRASH_LIMIT, HEARTBEAT_GRACE_SECONDS, recover_abandoned
from worker.relay import relay_once
from worker.rq_worker import HotlineWorker

COUNT = "tests.worker.crashing.count_run"


def enqueue_count(redis: Redis, tally: Path, retries: int = 2) -> Job:
    return Queue("default", connection=redis).enqueue_call(
        COUNT,
        args=(str(tally),),
        job_id="count-1",
        retry=Retry(max=retries, interval=[0] * retries),
        timeout=60,
    )


def work(redis: Redis) -> None:
    HotlineWorker(list(QUEUES), connection=redis, job_monitoring_interval=2).work(burst=True)


def relay(ctx: WorkerContext, redis: Redis) -> None:
    relay_once(sessions=ctx.sessions, redis=redis, clock=ctx.clock, settings=ctx.settings)


def runs(tally: Path) -> int:
    return len(tally.read_text().splitlines()) if tally.exists() else 0


def test_a_killed_work_horse_costs_its_job_no_retry(
    redis: Redis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, f"count:after=kill:{tmp_path / 'once'}")
    tally = tmp_path / "tally"
    job = enqueue_count(redis, tally)
    work(redis)
    job.refresh()
    assert job.get_status() == "finished"
    assert runs(tally) == 2 and job.return_value() == 2
    assert job.retries_left == 2 and job.meta["crashes"] == 1
    assert FailedJobRegistry("default", connection=redis).count == 0


def test_a_job_that_always_kills_its_horse_ends_failed_after_the_crash_limit(
    redis: Redis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, "count:after=kill")  # no marker: every run dies
    tally = tmp_path / "tally"
    job = enqueue_count(redis, tally, retries=1)
    work(redis)
    job.refresh()
    # The first run, CRASH_LIMIT requeues, then its one ordinary retry.
    assert runs(tally) == 1 + CRASH_LIMIT + 1
    assert job.get_status() == "failed" and job.retries_left == 0
    assert FailedJobRegistry("default", connection=redis).get_job_ids() == [job.id]


def _doomed_worker(redis_url: str) -> None:
    os.setsid()  # its own process group, so the test can kill the worker and its horse at once
    redis = Redis.from_url(redis_url)
    HotlineWorker(list(QUEUES), connection=redis, job_monitoring_interval=1).work(burst=True)


def test_a_job_of_a_dead_host_is_requeued_once_its_heartbeat_lapses(
    redis: Redis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, f"count:after=stall:{tmp_path / 'once'}")
    tally = tmp_path / "tally"
    job = enqueue_count(redis, tally)
    url = redis.connection_pool.connection_kwargs
    host = multiprocessing.get_context("fork").Process(
        target=_doomed_worker, args=(f"redis://{url['host']}:{url['port']}/{url.get('db', 0)}",)
    )
    host.start()
    deadline = time.monotonic() + 30
    while runs(tally) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert runs(tally) == 1, "the job never started"
    assert host.pid is not None
    os.killpg(host.pid, signal.SIGKILL)  # the worker and its work horse die together
    host.join(timeout=10)

    killed_at = time.time()
    assert job.get_status() == "started"
    assert recover_abandoned(redis, now=killed_at) == []  # its heartbeat has not lapsed yet
    lapsed = killed_at + 1 + HEARTBEAT_GRACE_SECONDS + 1
    assert recover_abandoned(redis, now=lapsed) == [job.id]
    assert recover_abandoned(redis, now=lapsed) == []  # however many relays look
    assert Queue("default", connection=redis).job_ids == [job.id]
    job.refresh()
    assert job.get_status() == "queued" and job.retries_left == 2 and job.meta["crashes"] == 1

    work(redis)
    assert job.get_status() == "finished" and runs(tally) == 2


@pytest.mark.vosk
@pytest.mark.parametrize(
    "point",
    [
        "transcribe:fetched",
        "transcribe:downloaded",
        "transcribe:shared",
        "transcribe:decoded",
        "transcribe:saved",
    ],
)
def test_a_transcription_killed_at_any_stage_completes_once(
    point: str,
    worker_context: WorkerContext,
    redis: Redis,
    session: Session,
    recordings: RecordingServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, url = recordings.add(FIXTURES / "ko_water.wav")
    finished_call(worker_context.sessions, worker_context.clock, recording_url=url)
    relay(worker_context, redis)
    monkeypatch.setenv(ENV, f"{point}=kill:{tmp_path / 'once'}")
    work(redis)  # the horse dies at `point`, the job runs again in a new horse
    assert (tmp_path / "once").exists()
    monkeypatch.delenv(ENV)
    run_jobs(worker_context, redis)  # the text messages the transcription queued
    ticket, transcript = outcome(session)
    assert ticket.status in ("triaged", "dispatched") and transcript.status == "ok"
    assert session.scalar(select(func.count()).select_from(Transcript)) == 1
    kinds = [m.kind for m in session.scalars(select(Message))]
    assert "intake" in kinds and len(kinds) == len(set(kinds))  # each text message once
    recording = session.scalars(select(Recording)).one()
    job = Job.fetch(f"transcribe-{recording.recording_sid}", connection=redis)
    assert job.get_status() == "finished" and job.meta["crashes"] == 1
    assert job.retries_left == len(worker_context.settings.job_retry_seconds)
    assert FailedJobRegistry("transcription", connection=redis).count == 0


def queued_text(ctx: WorkerContext, session: Session) -> Message:
    with unit_of_work(ctx.sessions) as s:
        ticket = ticket_for(ctx, s, "+8613811112222")
        unit = grids.get_unit_by_code(session=s, code="1203-01")
        assert unit is not None
        member = grids.list_members(session=s, unit_id=unit.id)[0]
        notifications.notify_member(
            session=s, clock=ctx.clock, ticket=ticket, member=member, kind="dispatch",
            timezone="Asia/Shanghai",
        )  # fmt: skip
    return session.scalars(select(Message)).one()


@pytest.mark.parametrize("point", ["sms:noted", "sms:sent"])
def test_a_text_whose_sender_died_is_sent_once(
    point: str,
    worker_context: WorkerContext,
    redis: Redis,
    session: Session,
    seeded: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    message = queued_text(worker_context, session)
    relay(worker_context, redis)
    monkeypatch.setenv(ENV, f"{point}=kill:{tmp_path / 'once'}")
    work(redis)  # the horse dies at `point` (after the carrier took it, at sms:sent)
    assert (tmp_path / "once").exists()
    sent = [e for e in sms_log(worker_context) if e["body"] == message.body]
    assert len(sent) == 1
    session.rollback()  # end the read transaction that fetched the message
    session.refresh(message)
    assert message.status == "sent" and message.provider_sid == sent[0]["sid"]
    job = Job.fetch(f"sms-{message.id}", connection=redis)
    assert job.get_status() == "finished" and job.meta["crashes"] == 1
