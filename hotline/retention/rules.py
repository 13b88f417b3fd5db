"""Pure retention rules: which recordings have outlived the retention period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Held:
    """What a recording is judged on."""

    recorded_at: datetime
    on_hold: bool = False  # the ticket's legal hold
    deleted: bool = False  # the local copy is gone already


def cutoff(now: datetime, days: int) -> datetime | None:
    """Recordings made before this moment are due; None when retention is off (0 days)."""
    return now - timedelta(days=days) if days > 0 else None


def due(recording: Held, *, now: datetime, days: int) -> bool:
    """Whether the recording's audio should be deleted now."""
    limit = cutoff(now, days)
    if limit is None or recording.on_hold or recording.deleted:
        return False
    return recording.recorded_at < limit
