"""Jobs the queue no longer knows (Redis restarted or failed over) are handed over again."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from redis import Redis
from rq.job import Job
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import Clock
from hotline.core.database import unit_of_work
from hotline.outbox import service as outbox

log = logging.getLogger(__name__)
LOST_AFTER_SECONDS = 15  # a job is looked up only this long after it was handed over
STALE_AFTER = timedelta(hours=20)  # finished jobs' records are kept 24 h (the relay's result_ttl)
BATCH = 500
MAX_BATCHES = 40  # at most 20,000 jobs looked up per sweep
SETTLED = {"finished", "failed", "stopped", "canceled"}


@dataclass(frozen=True)
class LostJobReport:
    """What one sweep found."""

    settled: int
    reissued: int
    live: int


def sweep(*, sessions: sessionmaker[Session], redis: Redis, clock: Clock) -> LostJobReport:
    """Settle finished jobs, hand over again those Redis has lost; safe for any number of relays."""
    now = clock.now()
    before = now - timedelta(seconds=LOST_AFTER_SECONDS)
    with unit_of_work(sessions) as session:
        settled = outbox.settle_stale(session=session, enqueued_before=now - STALE_AFTER, at=now)
    reissued = live = 0
    after_id = 0
    for _ in range(MAX_BATCHES):
        with unit_of_work(sessions) as session:
            rows = outbox.unsettled(session=session, enqueued_before=before, after_id=after_id)
        if not rows:
            break
        with redis.pipeline(transaction=False) as pipeline:
            for _, job_id in rows:
                pipeline.hget(Job.key_for(job_id), "status")
            statuses = pipeline.execute()
        found = list(zip((row_id for row_id, _ in rows), statuses, strict=True))
        done = [row_id for row_id, status in found if _text(status) in SETTLED]
        lost = [row_id for row_id, status in found if status is None]
        with unit_of_work(sessions) as session:
            outbox.settle(session=session, ids=done, at=now)
            outbox.reissue(
                session=session, ids=lost, reason="the queue lost this job; handed over again"
            )
        if lost:
            log.warning("%d jobs were lost from Redis; they are handed over again", len(lost))
        settled, reissued = settled + len(done), reissued + len(lost)
        live += len(rows) - len(done) - len(lost)
        after_id = rows[-1][0]
    return LostJobReport(settled=settled, reissued=reissued, live=live)


def _text(value: bytes | str | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value
