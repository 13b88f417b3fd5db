"""Everything triage and routing are configured with, built once per process."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from hotline.core.settings import Settings
from hotline.sla.calendar import WorkCalendar
from hotline.sla.service import load_calendar
from hotline.triage.config import CategoryConfig, default_config, load_config


@dataclass(frozen=True)
class TriagePolicy:
    """Category configuration, working calendar, duplicate window and the returns limit."""

    config: CategoryConfig
    calendar: WorkCalendar
    duplicate_window: timedelta = timedelta(hours=72)
    max_returns: int = 2  # "not ours" returns before the district takes the case (兜底)


def policy_from_settings(settings: Settings) -> TriagePolicy:
    """Read the configured (or packaged) files."""
    config = load_config(settings.categories_file) if settings.categories_file else default_config()
    return TriagePolicy(
        config=config,
        calendar=load_calendar(settings.timezone, settings.calendar_file),
        duplicate_window=timedelta(hours=settings.duplicate_window_hours),
        max_returns=settings.max_returns,
    )
