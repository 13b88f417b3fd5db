"""Build the working calendar from settings and an optional YAML file of holidays."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from hotline.sla.calendar import WorkCalendar


class CalendarFile(BaseModel):
    """HOTLINE_CALENDAR_FILE: office hours, public holidays and make-up working days."""

    model_config = ConfigDict(extra="forbid")

    periods: list[tuple[time, time]] = Field(
        default_factory=lambda: [(time(9), time(12)), (time(13, 30), time(18))]
    )
    holidays: list[date] = Field(default_factory=list)
    makeup_days: list[date] = Field(default_factory=list)


def load_calendar(timezone: str, path: Path | None) -> WorkCalendar:
    """The calendar for this hotline; without a file, weekdays with default office hours."""
    data = CalendarFile()
    if path is not None:
        try:
            data = CalendarFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError, ValueError) as error:
            raise ValueError(f"{path}: {error}") from error
    return WorkCalendar(
        timezone=timezone,
        periods=tuple(data.periods),
        holidays=frozenset(data.holidays),
        makeup_days=frozenset(data.makeup_days),
    )
