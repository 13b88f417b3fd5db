"""Pure working-time arithmetic: weekends, public holidays, make-up working days, time zones."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_DAYS = 3660  # no deadline is ten years of working time away


@dataclass(frozen=True)
class WorkCalendar:
    """When the hotline's back offices work, in their local time zone."""

    timezone: str = "Asia/Shanghai"
    periods: tuple[tuple[time, time], ...] = ((time(9), time(12)), (time(13, 30), time(18)))
    holidays: frozenset[date] = field(default_factory=frozenset)
    makeup_days: frozenset[date] = field(default_factory=frozenset)

    @property
    def zone(self) -> ZoneInfo:
        """The calendar's time zone."""
        return ZoneInfo(self.timezone)

    @property
    def day_length(self) -> timedelta:
        """Working time in one full working day."""
        return sum(
            (
                datetime.combine(date.min, end) - datetime.combine(date.min, start)
                for start, end in self.periods
            ),
            timedelta(),
        )

    def is_working_day(self, day: date) -> bool:
        """Weekdays that are not holidays, plus weekend days declared make-up working days."""
        if day in self.makeup_days:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def _periods_utc(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_working_day(day):
            return []
        zone = self.zone
        return [
            (
                datetime.combine(day, start, tzinfo=zone).astimezone(UTC),
                datetime.combine(day, end, tzinfo=zone).astimezone(UTC),
            )
            for start, end in self.periods
        ]

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """The instant when `amount` of working time has passed after `start` (UTC result)."""
        if amount < timedelta():
            raise ValueError("working time to add must not be negative")
        current = start.astimezone(UTC)
        if amount == timedelta():
            return current
        remaining = amount
        day = current.astimezone(self.zone).date()
        for _ in range(MAX_DAYS):
            for period_start, period_end in self._periods_utc(day):
                if current >= period_end:
                    continue
                begin = max(current, period_start)
                available = period_end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
                current = period_end
            day += timedelta(days=1)
        raise ValueError(f"no deadline within {MAX_DAYS} days: is every day a holiday?")

    def add_working_days(self, start: datetime, days: float) -> datetime:
        """`days` full working days of working time after `start`."""
        return self.add_working_time(start, self.day_length * days)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time elapsed from `start` to `end` (zero if end is not after start)."""
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        if end <= start:
            return timedelta()
        total = timedelta()
        day = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        while day <= last:
            for period_start, period_end in self._periods_utc(day):
                overlap = min(end, period_end) - max(start, period_start)
                if overlap > timedelta():
                    total += overlap
            day += timedelta(days=1)
        return total
