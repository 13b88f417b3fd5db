"""Working-time calendar: weekends, holidays, make-up days, pauses, time-zone edges."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from hotline.sla.calendar import WorkCalendar
from hotline.sla.policy import extend_for_pause

SH = ZoneInfo("Asia/Shanghai")
# October 2026: National Day holiday Thu 1 – Wed 7; Sat 10 made a working day (example dates).
CAL = WorkCalendar(
    holidays=frozenset(date(2026, 10, d) for d in range(1, 8)),
    makeup_days=frozenset({date(2026, 10, 10)}),
)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SH)


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (local(2026, 11, 16, 10, 0), 1, local(2026, 11, 16, 11, 0)),  # inside the morning
        (local(2026, 11, 16, 11, 30), 1, local(2026, 11, 16, 14, 0)),  # over lunch
        (local(2026, 11, 16, 17, 0), 2, local(2026, 11, 17, 10, 0)),  # overnight
        (local(2026, 11, 16, 7, 0), 1, local(2026, 11, 16, 10, 0)),  # before opening
        (local(2026, 11, 20, 17, 0), 2, local(2026, 11, 23, 10, 0)),  # Friday → Monday
        (local(2026, 11, 21, 12, 0), 1, local(2026, 11, 23, 10, 0)),  # received on Saturday
        (local(2026, 9, 30, 17, 0), 2, local(2026, 10, 8, 10, 0)),  # into the holiday week
        (local(2026, 10, 9, 17, 0), 2, local(2026, 10, 10, 10, 0)),  # make-up Saturday works
        (local(2026, 11, 16, 18, 0), 0, local(2026, 11, 16, 18, 0)),  # nothing to add
    ],
)
def test_add_working_hours(start: datetime, hours: int, expected: datetime) -> None:
    assert CAL.add_working_time(start, timedelta(hours=hours)) == expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (local(2026, 11, 16, 10, 0), 2, local(2026, 11, 18, 10, 0)),
        (local(2026, 11, 20, 10, 0), 2, local(2026, 11, 24, 10, 0)),
        (local(2026, 9, 29, 10, 0), 2, local(2026, 10, 8, 10, 0)),
        # Ten full days from an opening bell end at the tenth day's close, not the next morning.
        (local(2026, 11, 16, 9, 0), 10, local(2026, 11, 27, 18, 0)),
    ],
)
def test_add_working_days(start: datetime, days: int, expected: datetime) -> None:
    assert CAL.add_working_days(start, days) == expected


def test_results_are_utc_and_inputs_may_be_any_zone() -> None:
    start = datetime(2026, 11, 16, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    due = CAL.add_working_time(start, timedelta(hours=1))
    assert due.tzinfo == UTC and due == datetime(2026, 11, 16, 2, 0, tzinfo=UTC)


def test_utc_evening_is_already_the_next_local_day() -> None:
    # 2026-11-15 23:30 UTC is Monday 07:30 in Shanghai, not Sunday.
    start = datetime(2026, 11, 15, 23, 30, tzinfo=UTC)
    assert CAL.add_working_time(start, timedelta(hours=1)) == local(2026, 11, 16, 10, 0)


def test_daylight_saving_zone_counts_real_hours() -> None:
    # New York springs forward on 2026-03-08; a 09:00–17:00 day is 8 real hours either side.
    ny = WorkCalendar(timezone="America/New_York", periods=((time(9), time(17)),))
    friday = datetime(2026, 3, 6, 16, 0, tzinfo=ZoneInfo("America/New_York"))
    due = ny.add_working_time(friday, timedelta(hours=2))
    assert due == datetime(2026, 3, 9, 10, 0, tzinfo=ZoneInfo("America/New_York"))
    assert ny.working_time_between(friday, due) == timedelta(hours=2)


def test_working_time_between_skips_nights_weekends_and_holidays() -> None:
    assert CAL.working_time_between(
        local(2026, 11, 20, 17, 0), local(2026, 11, 23, 10, 0)
    ) == timedelta(hours=2)
    assert CAL.working_time_between(
        local(2026, 9, 30, 12, 0), local(2026, 10, 8, 9, 0)
    ) == timedelta(hours=4, minutes=30)
    assert CAL.working_time_between(local(2026, 11, 17), local(2026, 11, 16)) == timedelta()


def test_pause_gives_back_the_working_time_spent_waiting() -> None:
    due = local(2026, 11, 18, 10, 0)
    extended = extend_for_pause(
        calendar=CAL,
        due_at=due,
        paused_at=local(2026, 11, 16, 17, 0),  # one working hour left that day
        resumed_at=local(2026, 11, 17, 11, 0),  # two more the next morning
    )
    assert extended == local(2026, 11, 18, 14, 30)  # 10:00 + 3 h across lunch


def test_calendar_without_working_days_is_refused() -> None:
    never = WorkCalendar(periods=())
    with pytest.raises(ValueError, match="no deadline within"):
        never.add_working_time(local(2026, 11, 16), timedelta(hours=1))
