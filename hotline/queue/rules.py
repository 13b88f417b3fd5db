"""Pure queue rules: opening hours and when a waiting caller is offered voicemail."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo


def parse_hours(spec: str) -> tuple[time, time]:
    """'08:00-20:00' → (08:00, 20:00); raises ValueError with the expected shape."""
    try:
        start, end = (time.fromisoformat(part.strip()) for part in spec.split("-"))
    except ValueError:
        raise ValueError(f"hours {spec!r}: expected HH:MM-HH:MM, such as 08:00-20:00") from None
    if start == end:
        raise ValueError(f"hours {spec!r}: start and end are the same")
    return start, end


def within_hours(moment: datetime, spec: str, timezone: str) -> bool:
    """Whether a moment falls inside daily hours (an end before the start spans midnight)."""
    start, end = parse_hours(spec)
    local = moment.astimezone(ZoneInfo(timezone)).time()
    if start < end:
        return start <= local < end
    return local >= start or local < end


def offer_voicemail(queue_seconds: int, max_wait_seconds: int) -> bool:
    """Whether the caller has waited long enough to be offered a voicemail instead."""
    return queue_seconds >= max_wait_seconds
