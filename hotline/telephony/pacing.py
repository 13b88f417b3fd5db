"""Outbound calls per second, shared by every worker through one Redis key."""

from __future__ import annotations

import time
from collections.abc import Callable

from redis import Redis

KEY = "hotline:outbound-calls:next-slot"
# Hand out the next free start time (microseconds, by the Redis server's clock, so workers on
# different machines agree) and move the slot on by one interval; returns how long to wait.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if slot < now then slot = now end
redis.call('SET', KEYS[1], string.format('%.0f', slot + interval), 'PX', 600000)
return string.format('%.0f', slot - now)
"""


def reserve(redis: Redis, calls_per_second: float) -> float:
    """Claim the next start slot; returns the seconds to wait before placing the call."""
    interval = int(round(1_000_000 / calls_per_second))
    waited = redis.eval(_RESERVE, 1, KEY, interval)
    return int(waited) / 1_000_000


def wait_turn(
    redis: Redis, calls_per_second: float, sleep: Callable[[float], None] = time.sleep
) -> float:
    """Block until this worker may place its next call; returns the seconds waited."""
    delay = reserve(redis, calls_per_second)
    if delay > 0:
        sleep(delay)
    return delay
