"""Pure deadline rules: a case's time-limit class and the response and completion due times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hotline.sla.calendar import WorkCalendar
from hotline.tickets.categories import Category
from hotline.tickets.kinds import Urgency
from hotline.triage.config import CategoryConfig, TriageLevel


@dataclass(frozen=True)
class Deadlines:
    """When the team must accept (respond) and when the case must be resolved."""

    response_due_at: datetime | None
    resolution_due_at: datetime | None


def urgency_for(config: CategoryConfig, category: str, level: TriageLevel) -> Urgency | None:
    """The time-limit class a category and level give; None when the level sets no limit."""
    level_rule = config.levels[level]
    if not level_rule.deadlines:
        return None
    if level_rule.urgency is not None:
        return level_rule.urgency
    return config.categories[Category(category)].urgency


def deadlines(
    *, config: CategoryConfig, calendar: WorkCalendar, urgency: Urgency | None, start: datetime
) -> Deadlines:
    """First-response and completion deadlines of a class, counted from `start`."""
    if urgency is None:
        return Deadlines(None, None)
    rule = config.urgency[urgency]
    return Deadlines(rule.response.due(start, calendar), rule.completion.due(start, calendar))


def extend_for_pause(
    *, calendar: WorkCalendar, due_at: datetime, paused_at: datetime, resumed_at: datetime
) -> datetime:
    """A paused ticket (waiting on the resident) gets back the working time it spent paused."""
    return calendar.add_working_time(due_at, calendar.working_time_between(paused_at, resumed_at))
