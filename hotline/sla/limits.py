"""Pure time limits written as `30m`, `2h`, `7d` (clock) or `4wh`, `7wd` (working time)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from hotline.sla.calendar import WorkCalendar

_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|h|d|wh|wd)\s*$")
_NAMES = {
    "m": "minutes",
    "h": "hours",
    "d": "days",
    "wh": "working hours",
    "wd": "working days",
}


@dataclass(frozen=True)
class Limit:
    """An amount of clock or working time."""

    amount: float
    unit: str  # m, h, d, wh or wd

    @property
    def working(self) -> bool:
        """Whether the limit counts only office hours on working days."""
        return self.unit in ("wh", "wd")

    def due(self, start: datetime, calendar: WorkCalendar) -> datetime:
        """When the limit runs out, counted from `start`."""
        if self.unit == "wd":
            return calendar.add_working_days(start, self.amount)
        if self.unit == "wh":
            return calendar.add_working_time(start, timedelta(hours=self.amount))
        minutes = {"m": 1, "h": 60, "d": 24 * 60}[self.unit]
        return start + timedelta(minutes=self.amount * minutes)

    def __str__(self) -> str:
        amount = f"{self.amount:g}"
        return f"{amount}{self.unit}"

    def describe(self) -> str:
        """In words, for reports and errors: `2 hours`, `7 working days`."""
        return f"{self.amount:g} {_NAMES[self.unit]}"


def parse_limit(text: str) -> Limit:
    """Read `2h`, `24h`, `7d`, `4wh` or `15wd`; ValueError names what is accepted."""
    found = _PATTERN.match(str(text))
    if not found or float(found.group(1)) <= 0:
        raise ValueError(
            f"{text!r} is not a time limit: write a positive number and m, h or d (clock time) "
            "or wh, wd (working hours, working days), such as 2h, 7d or 15wd"
        )
    return Limit(float(found.group(1)), found.group(2))
