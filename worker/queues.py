"""Queue names and the retry policy every relayed job gets."""

from __future__ import annotations

from redis import Redis
from rq import Queue, Retry

from hotline.core.settings import Settings

# Taken in this order: text messages (a fraction of a second each) never wait behind a backlog
# of recordings; survey calls and sweeps, which may wait for their turn, come last.
QUEUES = ("messages", "transcription", "default")
JOB_TIMEOUT_SECONDS = 600


def queue(name: str, connection: Redis) -> Queue:
    """An RQ queue on an explicit connection."""
    return Queue(name, connection=connection)


def retry_policy(settings: Settings) -> Retry | None:
    """Retry transient failures with the configured backoff."""
    intervals = settings.job_retry_seconds
    if not intervals:
        return None
    return Retry(max=len(intervals), interval=list(intervals))
