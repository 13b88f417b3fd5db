"""The expiring cache behind the seat's article suggestions."""

from __future__ import annotations

from hotline.core.ttl_cache import TtlCache


def test_entries_are_reused_until_they_expire_and_the_oldest_leave_first() -> None:
    clock = [0.0]
    calls: list[str] = []
    cache: TtlCache[str] = TtlCache(size=2, seconds=30, now=lambda: clock[0])

    def compute(key: str) -> str:
        calls.append(key)
        return key.upper()

    assert cache.get_or_compute("a", lambda: compute("a")) == "A"
    assert cache.get_or_compute("a", lambda: compute("a")) == "A"
    assert calls == ["a"]
    clock[0] = 30.0
    cache.get_or_compute("a", lambda: compute("a"))  # expired: computed again
    cache.get_or_compute("b", lambda: compute("b"))
    cache.get_or_compute("c", lambda: compute("c"))  # over the size: "a" leaves
    cache.get_or_compute("a", lambda: compute("a"))
    assert calls == ["a", "a", "b", "c", "a"]
