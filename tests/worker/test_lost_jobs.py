"""Jobs Redis lost (a restart without its data) are handed over again and run once."""

from __future__ import annotations

import json
from pathlib import Path

from redis import Redis
from rq import Queue
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.outbox.models import OutboxMessage
from hotline.transcripts.models import Transcript
from ivr.simulator.recordings import RecordingServer
from tests.conftest import FIXTURES, run_jobs
from tests.worker.helpers import finished_call
from worker.context import WorkerContext
from worker.lost_jobs import LOST_AFTER_SECONDS, LostJobReport, sweep
from worker.relay import relay_once


def sms_log(ctx: WorkerContext) -> Path:
    return ctx.settings.data_dir / "simulator" / "sms.jsonl"


def relay(ctx: WorkerContext, redis: Redis) -> int:
    return relay_once(sessions=ctx.sessions, redis=redis, clock=ctx.clock, settings=ctx.settings)


def look(ctx: WorkerContext, redis: Redis) -> LostJobReport:
    return sweep(sessions=ctx.sessions, redis=redis, clock=ctx.clock)


def test_a_queued_job_is_left_alone(
    worker_context: WorkerContext, redis: Redis, recordings: RecordingServer
) -> None:
    _, url = recordings.add(FIXTURES / "ko_water.wav")
    finished_call(worker_context.sessions, worker_context.clock, recording_url=url)
    assert relay(worker_context, redis) == 2  # the transcription and the caller's text
    worker_context.clock.advance(seconds=LOST_AFTER_SECONDS + 1)  # type: ignore[attr-defined]
    assert look(worker_context, redis) == LostJobReport(settled=0, reissued=0, live=2)
    assert relay(worker_context, redis) == 0


def test_jobs_lost_with_redis_are_handed_over_again_and_run_once(
    worker_context: WorkerContext, redis: Redis, session: Session, recordings: RecordingServer
) -> None:
    _, url = recordings.add(FIXTURES / "ko_water.wav")
    finished_call(worker_context.sessions, worker_context.clock, recording_url=url)
    assert relay(worker_context, redis) == 2
    redis.flushdb()  # Redis restarted and kept nothing
    assert look(worker_context, redis) == LostJobReport(settled=0, reissued=0, live=0)  # too soon
    worker_context.clock.advance(seconds=LOST_AFTER_SECONDS + 1)  # type: ignore[attr-defined]
    assert look(worker_context, redis) == LostJobReport(settled=0, reissued=2, live=0)
    assert look(worker_context, redis) == LostJobReport(settled=0, reissued=0, live=0)
    rows = session.scalars(select(OutboxMessage)).all()
    assert all(r.enqueued_at is None and "lost" in (r.last_error or "") for r in rows)

    run_jobs(worker_context, redis)  # hands it over again, transcribes, sends the texts
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Transcript)) == 1
    worker_context.clock.advance(seconds=LOST_AFTER_SECONDS + 1)  # type: ignore[attr-defined]
    report = look(worker_context, redis)
    assert report.reissued == 0 and report.live == 0 and report.settled >= 2
    session.rollback()
    assert all(r.settled_at is not None for r in session.scalars(select(OutboxMessage)))
    assert Queue("transcription", connection=redis).count == 0
    texts = [json.loads(line) for line in sms_log(worker_context).read_text().splitlines()]
    assert len(texts) == len({(t["to"], t["body"]) for t in texts})  # none sent twice
