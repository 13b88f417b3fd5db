"""Requests a minute per API key: counted in Redis so every web host shares the count."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from redis import Redis
from redis.exceptions import RedisError

from hotline.core.redis import best_effort_client
from hotline.core.settings import Settings

log = logging.getLogger(__name__)
WINDOW_SECONDS = 60
TIMEOUT_SECONDS = 0.5


class RateLimiter:
    """A fixed one-minute window per client; this process counts alone while Redis is away."""

    def __init__(self, settings: Settings, now: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.now = now
        self._client: Redis | None = None
        self._local: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()

    def _redis(self) -> Redis | None:
        if self._client is None:
            self._client = best_effort_client(self.settings, TIMEOUT_SECONDS)
        return self._client

    def hit(self, client: str, limit: int) -> int:
        """0 if this request is allowed, else the seconds until the window turns; `client` is a
        stable key of the client (its key hash), not a row id a restored database reuses."""
        moment = self.now()
        window = int(moment // WINDOW_SECONDS)
        count = self._count_in_redis(client, window)
        if count is None:
            with self._lock:
                self._local = {k: v for k, v in self._local.items() if k[1] >= window}
                count = self._local.get((client, window), 0) + 1
                self._local[(client, window)] = count
        if count <= limit:
            return 0
        return max(1, int((window + 1) * WINDOW_SECONDS - moment + 0.999))

    def _count_in_redis(self, client: str, window: int) -> int | None:
        redis = self._redis()
        if redis is None:
            return None
        key = f"hotline:open311:rate:{client}:{window}"
        try:
            pipeline = redis.pipeline()
            pipeline.incr(key)
            pipeline.expire(key, WINDOW_SECONDS * 2)
            count, _ = pipeline.execute()
        except (RedisError, OSError):
            log.warning("Redis unavailable; rate limits counted per process", exc_info=True)
            self._client = None
            return None
        return int(count)
