"""Jobs whose work horse, worker or host died: back on their queue without spending a retry."""

from __future__ import annotations

import logging
import time

from redis import Redis
from redis.client import Pipeline
from rq import Queue
from rq.job import Job, JobStatus
from rq.job_lifecycle import record_job_failure
from rq.utils import as_text, parse_composite_key

from worker.queues import QUEUES, queue

log = logging.getLogger(__name__)
CRASH_LIMIT = 3  # a job that kills its process this often is failed the ordinary way
HEARTBEAT_GRACE_SECONDS = 20  # an execution is abandoned this long after its last heartbeat
HORSE_DIED = "Work-horse terminated unexpectedly"


def crashes(job: Job) -> int:
    """How often this job's execution died with its process."""
    return int(job.meta.get("crashes", 0))


def may_requeue(job: Job) -> bool:
    """Whether the job's crashes are still within CRASH_LIMIT."""
    return crashes(job) < CRASH_LIMIT


def requeue(job: Job, target: Queue) -> bool:
    """Put a job whose execution died at the front of its queue, up to CRASH_LIMIT times."""
    if not may_requeue(job):
        return False
    job.meta["crashes"] = crashes(job) + 1
    target.enqueue_job(job, at_front=True)
    return True


def give_up(job: Job, target: Queue, pipeline: Pipeline) -> None:
    """After CRASH_LIMIT crashes: an ordinary retry if any is left, else the failed registry."""
    if job.retries_left:
        job.retry(target, pipeline)
    else:
        record_job_failure(job, f"its process died {crashes(job) + 1} times", pipeline)


def recover_abandoned(redis: Redis, *, now: float | None = None) -> list[str]:
    """Requeue jobs whose execution stopped sending heartbeats; any number of callers may race."""
    cutoff = time.time() if now is None else now
    recovered: list[str] = []
    for name in QUEUES:
        target = queue(name, redis)
        key = target.started_job_registry.key
        entries: list[bytes] = list(redis.zrangebyscore(key, 0, cutoff))  # type: ignore[arg-type]
        for entry in entries:
            if not redis.zrem(key, entry):
                continue  # another relay or worker took this one
            job_id, _ = parse_composite_key(as_text(entry))
            job = target.fetch_job(job_id)
            if job is None or job.get_status() != JobStatus.STARTED:
                continue  # it finished or failed: the entry was only left over
            if requeue(job, target):
                log.warning("job %s lost its worker; requeued (crash %d)", job_id, crashes(job))
            else:
                with redis.pipeline() as pipeline:
                    give_up(job, target, pipeline)
                    pipeline.execute()
                log.error("job %s lost its worker %d times; not requeued", job_id, CRASH_LIMIT)
            recovered.append(job_id)
    return recovered
