"""Report periods: this (or the previous) day, week or month in the hotline's time zone."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


def period_bounds(
    period: str, now: datetime, timezone: str, previous: bool = False
) -> tuple[datetime, datetime]:
    """[start, end) of the day, week (from Monday) or month containing `now`, or the one before;
    the current period ends at `now`."""
    local = now.astimezone(ZoneInfo(timezone))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "day":
        start = midnight
        end = (midnight + timedelta(days=1, hours=2)).replace(hour=0)
        if previous:
            start, end = (midnight - timedelta(days=1)).replace(hour=0), start
    elif period == "week":
        start = midnight - timedelta(days=midnight.weekday())
        end = start + timedelta(days=7)
        if previous:
            start, end = start - timedelta(days=7), start
    elif period == "month":
        start = midnight.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1)
        if previous:
            end = start
            start = (start - timedelta(days=1)).replace(day=1)
    else:
        raise ValueError("period must be day, week or month")
    zone = ZoneInfo(timezone)
    # Re-attach the zone so DST changes inside the period give the right wall-clock bounds.
    return start.replace(tzinfo=zone), min(end.replace(tzinfo=zone), now if not previous else end)


def local_span(since: datetime, until: datetime, timezone: str) -> str:
    """`2026-12-02 00:00 – 2026-12-02 13:45 (Asia/Shanghai)`: both ends in the hotline's zone."""
    zone = ZoneInfo(timezone)
    start, end = since.astimezone(zone), until.astimezone(zone)
    return f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M} ({timezone})"
