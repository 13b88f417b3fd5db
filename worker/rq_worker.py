"""The RQ worker `hotline worker` runs: short execution heartbeats and crash-safe requeueing."""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Worker
from rq.exceptions import StopRequested
from rq.executions import Execution
from rq.job import Job

from worker.recovery import (
    HEARTBEAT_GRACE_SECONDS,
    HORSE_DIED,
    crashes,
    may_requeue,
    recover_abandoned,
    requeue,
)

log = logging.getLogger(__name__)
REDIS_WAIT_SECONDS = 2.0  # between pings while Redis is away


class HotlineWorker(Worker):
    """RQ's forking worker; a dead work horse or host costs its job no retry, only a requeue."""

    stop_before_start = False

    def _install_signal_handlers(self) -> None:
        # Honour a SIGTERM that arrived before RQ installed its handlers.
        super()._install_signal_handlers()
        if self.stop_before_start:
            self._stop_requested = True

    def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
        """Until the next heartbeat plus a short grace (RQ adds a fixed minute)."""
        interval = float(self.job_monitoring_interval)
        if job.timeout and job.timeout > 0:
            interval = min(job.timeout - working_time, interval)
        return max(int(interval), 1) + HEARTBEAT_GRACE_SECONDS

    def handle_job_failure(
        self,
        job: Job,
        queue: Queue,
        started_job_registry: Any = None,
        exc_string: str = "",
        execution: Execution | None = None,
    ) -> None:
        """A killed work horse requeues its job (up to the crash limit); other failures retry."""
        crashed = exc_string.startswith(HORSE_DIED) and self._stopped_job_id != job.id
        if crashed and may_requeue(job):
            with self.connection.pipeline() as pipeline:
                self.cleanup_execution(job, pipeline=pipeline, execution=execution)
                pipeline.execute()
            requeue(job, queue)
            log.warning("job %s: work horse died; requeued (crash %d)", job.id, crashes(job))
            return
        super().handle_job_failure(job, queue, started_job_registry, exc_string, execution)

    def clean_registries(self) -> None:
        """Requeue abandoned executions first, so RQ's own clean-up finds none to retry."""
        recover_abandoned(self.connection)
        super().clean_registries()

    @property
    def asked_to_stop(self) -> bool:
        """Whether a signal asked this worker to stop (RQ notes the time, busy or idle)."""
        return self._stop_requested or self._shutdown_requested_date is not None

    def outlast_horse(self) -> None:
        """Wait for a work horse still running when RQ's loop gave up: one job at a time."""
        if self._horse_pid:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._horse_pid, 0)
            self._horse_pid = 0


def work_forever(build: Callable[[], HotlineWorker], redis: Redis) -> None:
    """RQ's loop, started again whenever it gives up because Redis went away (a restart, a
    failover, a cut network) until a stop is requested; the running job finishes first."""
    while True:
        worker = build()
        try:
            worker.work()
        except RedisError as error:  # RQ's own clean-up on the way out needed Redis too
            log.warning("worker %s lost Redis: %s", worker.name, error)
        if worker.asked_to_stop:
            return
        log.warning("worker %s stopped without a request; waiting for Redis", worker.name)
        try:
            worker.outlast_horse()
            while not worker.asked_to_stop and not _answers(redis):
                time.sleep(REDIS_WAIT_SECONDS)
        except StopRequested:  # RQ's signal handlers stay installed while we wait
            return
        except RedisError:  # a stop request noting itself in Redis, which is away
            pass
        if worker.asked_to_stop:
            return


def _answers(redis: Redis) -> bool:
    try:
        return bool(redis.ping())
    except RedisError:
        return False
