"""The outbox relay hands each job to RQ exactly once."""

from __future__ import annotations

from redis import Redis
from rq import Queue
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.core.database import unit_of_work
from hotline.outbox import service as outbox
from hotline.outbox.models import OutboxMessage
from worker.context import WorkerContext
from worker.relay import relay_once


def add(ctx: WorkerContext, job_id: str) -> None:
    with unit_of_work(ctx.sessions) as session:
        outbox.add(
            session=session,
            clock=ctx.clock,
            job_id=job_id,
            queue="default",
            function="worker.jobs.transcribe_recording",
            args=[1],
        )


def relay(ctx: WorkerContext, redis: Redis) -> int:
    return relay_once(sessions=ctx.sessions, redis=redis, clock=ctx.clock, settings=ctx.settings)


def test_each_row_becomes_one_job_with_its_id(
    worker_context: WorkerContext, redis: Redis, session: Session
) -> None:
    add(worker_context, "job-a")
    add(worker_context, "job-a")  # a second write of the same job is a no-op
    add(worker_context, "job-b")
    assert relay(worker_context, redis) == 2
    assert relay(worker_context, redis) == 0
    assert sorted(Queue("default", connection=redis).job_ids) == ["job-a", "job-b"]
    rows = session.scalars(select(OutboxMessage)).all()
    assert all(row.enqueued_at is not None and row.attempts == 1 for row in rows)


def test_a_row_already_queued_is_not_queued_twice(
    worker_context: WorkerContext, redis: Redis, session: Session
) -> None:
    add(worker_context, "job-c")
    relay(worker_context, redis)
    with unit_of_work(worker_context.sessions) as s:
        for row in s.scalars(select(OutboxMessage)):
            row.enqueued_at = None  # as if the relay died before marking it
    assert relay(worker_context, redis) == 1
    assert Queue("default", connection=redis).job_ids == ["job-c"]


def test_relay_runs_rqs_scheduler_for_delayed_jobs(
    worker_context: WorkerContext, redis: Redis
) -> None:
    from datetime import timedelta

    from worker.relay import scheduler_pass, start_scheduler

    queue = Queue("default", connection=redis)
    queue.enqueue_in(timedelta(seconds=0), "worker.jobs.escalation_sweep", job_id="later")
    assert queue.job_ids == []
    scheduler = start_scheduler(redis)
    scheduler_pass(scheduler)
    assert queue.job_ids == ["later"]
    scheduler.stop()
