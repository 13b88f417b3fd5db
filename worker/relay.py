"""Outbox relay: hands committed outbox rows to RQ under their deterministic job ids."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from redis import Redis
from redis.exceptions import RedisError
from rq.exceptions import DuplicateJobError
from rq.scheduler import RQScheduler
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import Clock
from hotline.core.database import unit_of_work
from hotline.core.settings import Settings
from hotline.outbox import service as outbox
from hotline.outbox.models import OutboxMessage
from worker import lost_jobs
from worker.failure_points import reach
from worker.queues import JOB_TIMEOUT_SECONDS, QUEUES, queue, retry_policy
from worker.recovery import recover_abandoned

log = logging.getLogger(__name__)
BATCH = 200


def _enqueue(message: OutboxMessage, redis: Redis, settings: Settings) -> None:
    try:
        queue(message.queue, redis).enqueue_call(
            message.function,
            args=tuple(message.args),
            job_id=message.job_id,
            unique=True,
            retry=retry_policy(settings),
            timeout=JOB_TIMEOUT_SECONDS,
            result_ttl=24 * 3600,
            failure_ttl=30 * 24 * 3600,
        )
    except DuplicateJobError:
        pass  # an earlier pass (or another relay) already queued it


def relay_once(
    *, sessions: sessionmaker[Session], redis: Redis, clock: Clock, settings: Settings
) -> int:
    """Enqueue pending outbox rows; returns how many were handed over. Stops at a Redis error."""
    with unit_of_work(sessions) as session:
        pending = outbox.list_pending(session=session, limit=BATCH)
        session.expunge_all()
    done: list[int] = []
    failure: tuple[int, str] | None = None
    for message in pending:
        try:
            _enqueue(message, redis, settings)
        except (RedisError, OSError) as error:
            failure = (message.id, str(error))
            break
        done.append(message.id)
    reach("relay:enqueued")
    if done or failure:
        with unit_of_work(sessions) as session:
            for message_id in done:
                row = session.get(OutboxMessage, message_id)
                if row is not None:
                    outbox.mark_enqueued(session=session, message=row, at=clock.now())
            if failure:
                row = session.get(OutboxMessage, failure[0])
                if row is not None:
                    outbox.mark_failed(session=session, message=row, error=failure[1])
    if failure:
        log.warning(
            "Redis unavailable, %d outbox rows wait: %s", len(pending) - len(done), failure[1]
        )
    return len(done)


SWEEP_FUNCTION = "worker.jobs.escalation_sweep"
SURVEY_SWEEP_FUNCTION = "worker.jobs.survey_sweep"
SURVEY_SWEEP_SECONDS = 15.0
WEBHOOK_SWEEP_FUNCTION = "worker.jobs.webhook_sweep"
WEBHOOK_SWEEP_SECONDS = 5.0
RETENTION_SWEEP_FUNCTION = "worker.jobs.retention_sweep"
RETENTION_SWEEP_SECONDS = 86_400.0  # daily


def _enqueue_periodic(redis: Redis, function: str, name: str, interval: float, now: float) -> bool:
    """Queue one run of a periodic job per interval, however many relays ask."""
    interval = max(interval, 1.0)
    slot = int(now // interval)
    try:
        queue("default", redis).enqueue_call(
            function,
            job_id=f"{name}-{slot}",
            unique=True,
            timeout=JOB_TIMEOUT_SECONDS,
            result_ttl=int(interval) * 10,
        )
    except DuplicateJobError:
        return False
    except (RedisError, OSError):
        log.warning("Redis unavailable; the %s waits", name, exc_info=True)
        return False
    return True


def enqueue_sweep(*, redis: Redis, clock: Clock, settings: Settings) -> bool:
    """Queue this interval's escalation sweep; every relay may call it, it is queued once."""
    return _enqueue_periodic(
        redis,
        SWEEP_FUNCTION,
        "escalation-sweep",
        settings.escalation_interval_seconds,
        clock.now().timestamp(),
    )


def enqueue_survey_sweep(*, redis: Redis, clock: Clock) -> bool:
    """Queue this interval's survey sweep (due callbacks become call jobs), once."""
    return _enqueue_periodic(
        redis, SURVEY_SWEEP_FUNCTION, "survey-sweep", SURVEY_SWEEP_SECONDS, clock.now().timestamp()
    )


def enqueue_webhook_sweep(*, redis: Redis, clock: Clock) -> bool:
    """Queue this interval's webhook sweep (due retries become send jobs), once."""
    return _enqueue_periodic(
        redis,
        WEBHOOK_SWEEP_FUNCTION,
        "webhook-sweep",
        WEBHOOK_SWEEP_SECONDS,
        clock.now().timestamp(),
    )


def enqueue_retention_sweep(*, redis: Redis, clock: Clock) -> bool:
    """Queue today's recording-retention sweep, once however many relays ask."""
    return _enqueue_periodic(
        redis,
        RETENTION_SWEEP_FUNCTION,
        "retention-sweep",
        RETENTION_SWEEP_SECONDS,
        clock.now().timestamp(),
    )


def start_scheduler(redis: Redis) -> RQScheduler:
    """RQ's scheduler (delayed jobs, retry back-off), run inside the relay's loop, not forked."""
    scheduler = RQScheduler(list(QUEUES), connection=redis)
    scheduler.register_birth()
    return scheduler


def scheduler_pass(scheduler: RQScheduler) -> None:
    """Hold the scheduler locks and move due scheduled jobs onto their queues."""
    try:
        if scheduler.should_reacquire_locks:
            scheduler.acquire_locks()
        scheduler.heartbeat()
        scheduler.enqueue_scheduled_jobs()
    except (RedisError, OSError):
        log.warning("Redis unavailable; scheduled jobs wait", exc_info=True)


LOST_JOB_SWEEP_SECONDS = 15.0


def recovery_pass(
    *, sessions: sessionmaker[Session], redis: Redis, clock: Clock, lost_sweep: bool
) -> None:
    """Requeue jobs whose worker died; with `lost_sweep`, also re-hand jobs Redis has lost."""
    try:
        recover_abandoned(redis)
        if lost_sweep:
            lost_jobs.sweep(sessions=sessions, redis=redis, clock=clock)
    except (RedisError, OSError):
        log.warning("Redis unavailable; recovery waits", exc_info=True)
    except Exception:  # a database hiccup: the next pass looks again
        log.exception("recovery pass failed")


def run_forever(
    *,
    sessions: sessionmaker[Session],
    redis: Redis,
    clock: Clock,
    settings: Settings,
    should_stop: Callable[[], bool] = lambda: False,
) -> None:
    """Relay until told to stop, polling every HOTLINE_RELAY_INTERVAL_SECONDS."""
    scheduler = start_scheduler(redis)
    last_lost_sweep = float("-inf")
    while not should_stop():
        scheduler_pass(scheduler)
        lost_sweep = time.monotonic() - last_lost_sweep >= LOST_JOB_SWEEP_SECONDS
        recovery_pass(sessions=sessions, redis=redis, clock=clock, lost_sweep=lost_sweep)
        if lost_sweep:
            last_lost_sweep = time.monotonic()
        enqueue_sweep(redis=redis, clock=clock, settings=settings)
        enqueue_survey_sweep(redis=redis, clock=clock)
        enqueue_webhook_sweep(redis=redis, clock=clock)
        enqueue_retention_sweep(redis=redis, clock=clock)
        try:
            moved = relay_once(sessions=sessions, redis=redis, clock=clock, settings=settings)
        except Exception:  # keep relaying through database hiccups; the rows are still there
            log.exception("outbox relay pass failed")
            moved = 0
        if moved < BATCH:
            time.sleep(settings.relay_interval_seconds)
    scheduler.stop()
