"""Time-limit classes: which class a case gets, and the deadlines each class sets."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hotline.sla.calendar import WorkCalendar
from hotline.sla.limits import Limit, parse_limit
from hotline.sla.policy import deadlines, urgency_for
from hotline.tickets.kinds import Urgency
from hotline.triage.config import ConfigError, TriageLevel, default_config, load_config

SH = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar(holidays=frozenset({date(2026, 11, 18)}))
FRIDAY_5PM = datetime(2026, 11, 20, 17, 0, tzinfo=SH)
MONDAY_10AM = datetime(2026, 11, 16, 10, 0, tzinfo=SH)


def local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("30m", Limit(30, "m")),
        ("2h", Limit(2, "h")),
        ("24h", Limit(24, "h")),
        ("7d", Limit(7, "d")),
        (" 1.5 wh ", Limit(1.5, "wh")),
        ("15wd", Limit(15, "wd")),
    ],
)
def test_limits_are_read_from_short_text(text: str, limit: Limit) -> None:
    assert parse_limit(text) == limit
    assert parse_limit(str(limit)) == limit


@pytest.mark.parametrize("text", ["", "2", "h", "0h", "-1d", "2 weeks", "7dd"])
def test_unreadable_limits_say_what_is_accepted(text: str) -> None:
    with pytest.raises(ValueError, match="such as 2h, 7d or 15wd"):
        parse_limit(text)


@pytest.mark.parametrize(
    ("urgency", "start", "response", "completion"),
    [
        # Risk to life or property: clock time, even on a Friday evening.
        (Urgency.EMERGENCY, FRIDAY_5PM, local(11, 20, 17, 30), local(11, 20, 19)),
        # Water, power, gas, heating: 2 clock hours to respond, feedback within 24 hours.
        (Urgency.UTILITIES, FRIDAY_5PM, local(11, 20, 19), local(11, 21, 17)),
        # General: 4 working hours (Friday's last hour, then Monday), 7 calendar days.
        (Urgency.GENERAL, FRIDAY_5PM, local(11, 23, 12), local(11, 27, 17)),
        # Complex: one working day to respond, the holiday on Wednesday skipped; 15 days.
        (Urgency.COMPLEX, local(11, 17, 10), local(11, 19, 10), local(12, 2, 10)),
    ],
)
def test_each_class_sets_its_response_and_completion_deadlines(
    urgency: Urgency, start: datetime, response: datetime, completion: datetime
) -> None:
    due = deadlines(config=default_config(), calendar=CAL, urgency=urgency, start=start)
    assert (due.response_due_at, due.resolution_due_at) == (response, completion)


def test_no_class_no_deadlines() -> None:
    due = deadlines(config=default_config(), calendar=CAL, urgency=None, start=MONDAY_10AM)
    assert (due.response_due_at, due.resolution_due_at) == (None, None)


@pytest.mark.parametrize(
    ("category", "level", "urgency"),
    [
        ("roads_facilities", TriageLevel.GENERAL, Urgency.GENERAL),
        ("utilities", TriageLevel.GENERAL, Urgency.UTILITIES),
        ("utilities", TriageLevel.URGENT, Urgency.EMERGENCY),
        ("noise_disputes", TriageLevel.URGENT, Urgency.EMERGENCY),
        ("sanitation_environment", TriageLevel.COMPLEX, Urgency.COMPLEX),
        ("utilities", TriageLevel.COMPLEX, Urgency.COMPLEX),
        ("other", TriageLevel.SIMPLE, None),
    ],
)
def test_category_and_level_give_the_class(
    category: str, level: TriageLevel, urgency: Urgency | None
) -> None:
    assert urgency_for(default_config(), category, level) == urgency


def test_an_operator_can_count_working_time_instead(tmp_path: Path) -> None:
    text = Path("hotline/triage/categories.yaml").read_text(encoding="utf-8")
    path = tmp_path / "categories.yaml"
    path.write_text(text.replace("completion: 7d}", "completion: 5wd}"), encoding="utf-8")
    due = deadlines(
        config=load_config(path), calendar=CAL, urgency=Urgency.GENERAL, start=MONDAY_10AM
    )
    # Five working days from Monday 10:00, with Wednesday a holiday: next Tuesday 10:00.
    assert due.resolution_due_at == MONDAY_10AM + timedelta(days=8)


def test_a_bad_limit_in_the_file_names_the_file(tmp_path: Path) -> None:
    text = Path("hotline/triage/categories.yaml").read_text(encoding="utf-8")
    path = tmp_path / "categories.yaml"
    path.write_text(text.replace("response: 30m", "response: soon"), encoding="utf-8")
    with pytest.raises(ConfigError, match=f"(?s){path}.*not a time limit"):
        load_config(path)
