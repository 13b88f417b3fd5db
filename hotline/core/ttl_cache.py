"""A small thread-safe cache whose entries expire, for answers that are costly and change slowly."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class TtlCache(Generic[V]):
    """At most `size` entries, each kept `seconds` (least recently used go first)."""

    def __init__(
        self, *, size: int, seconds: float, now: Callable[[], float] = time.monotonic
    ) -> None:
        self._size, self._seconds, self._now = size, seconds, now
        self._entries: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The cached value, or a fresh one (computed outside the lock)."""
        now = self._now()
        with self._lock:
            found = self._entries.get(key)
            if found is not None and found[0] > now:
                self._entries.move_to_end(key)
                return found[1]
        value = compute()
        with self._lock:
            self._entries[key] = (now + self._seconds, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value
