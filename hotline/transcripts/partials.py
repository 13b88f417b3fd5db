"""The latest partial guess on each track of a live call, kept in Redis for an hour.

Partial results change several times a second; they are not worth a database write each. If
Redis is away, the seat shows final lines only (they are in the database) until it is back.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from redis import Redis
from redis.exceptions import RedisError

from hotline.core.redis import best_effort_client
from hotline.core.settings import Settings

log = logging.getLogger(__name__)
KEEP_SECONDS = 3600
TIMEOUT_SECONDS = 0.25


def _key(call_sid: str) -> str:
    return f"hotline:live:{call_sid}"


class PartialStore:
    """Best-effort partials per call and track."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: Redis | None = None

    def _redis(self) -> Redis | None:
        if self._client is None:
            self._client = best_effort_client(self.settings, TIMEOUT_SECONDS)
        return self._client

    def put(self, call_sid: str, track: str, segment: dict[str, Any]) -> None:
        """The newest partial of a track replaces the one before."""
        self._do(
            lambda r: (
                r.pipeline()
                .hset(_key(call_sid), track, json.dumps(segment))
                .expire(_key(call_sid), KEEP_SECONDS)
                .execute()
            )
        )

    def clear(self, call_sid: str, track: str) -> None:
        """The track's utterance became final."""
        self._do(lambda r: r.hdel(_key(call_sid), track))

    def get(self, call_sid: str) -> dict[str, dict[str, Any]]:
        """Track → partial segment, for the tracks that have one now."""
        found = self._do(lambda r: r.hgetall(_key(call_sid))) or {}
        return {k.decode(): json.loads(v) for k, v in found.items()}

    def _do(self, action: Any) -> Any:
        client = self._redis()
        if client is None:
            return None
        try:
            return action(client)
        except (RedisError, OSError) as error:
            log.debug("partials unavailable: %s", error)
            return None
