"""Pure deadline rules: response and resolution due times for a category and triage level."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hotline.sla.calendar import WorkCalendar
from hotline.triage.config import CategoryConfig, TriageLevel


@dataclass(frozen=True)
class Deadlines:
    """When the team must accept (respond) and when the case must be resolved."""

    response_due_at: datetime | None
    resolution_due_at: datetime | None


def deadlines(
    *,
    config: CategoryConfig,
    calendar: WorkCalendar,
    category: str,
    level: TriageLevel,
    start: datetime,
) -> Deadlines:
    """Deadlines counted from `start`: urgent response in clock hours, the rest in working time."""
    if level is TriageLevel.SIMPLE:
        return Deadlines(None, None)
    level_rule = config.levels[level]
    category_rule = config.categories[category]  # type: ignore[index]
    days = level_rule.resolution_working_days
    if days is None:
        days = config.kinds[category_rule.kind].resolution_working_days
    response = None
    if level_rule.response_hours is not None:
        response = start + timedelta(hours=level_rule.response_hours)
    elif level_rule.response_working_hours is not None:
        response = calendar.add_working_time(
            start, timedelta(hours=level_rule.response_working_hours)
        )
    return Deadlines(response, calendar.add_working_days(start, days))


def extend_for_pause(
    *, calendar: WorkCalendar, due_at: datetime, paused_at: datetime, resumed_at: datetime
) -> datetime:
    """A paused ticket (waiting on the resident) gets back the working time it spent paused."""
    return calendar.add_working_time(due_at, calendar.working_time_between(paused_at, resumed_at))
