"""Calling windows, call outcomes and verdicts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from hotline.surveys.rules import call_result, next_call_time, retry_at, verdict

SH = "Asia/Shanghai"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment given in Shanghai time, as UTC."""
    return (
        datetime(2026, 11, day, hour - 8, minute, tzinfo=UTC)
        if hour >= 8
        else datetime(2026, 11, day - 1, hour + 16, minute, tzinfo=UTC)
    )


@pytest.mark.parametrize(
    ("earliest", "expected"),
    [
        (at(20, 10), at(20, 10)),  # inside: at once
        (at(20, 7, 59), at(20, 8)),  # before opening: at opening
        (at(20, 21), at(21, 8)),  # at closing: next morning
        (at(20, 23, 30), at(21, 8)),
    ],
)
def test_calls_fall_inside_calling_hours(earliest: datetime, expected: datetime) -> None:
    assert next_call_time(earliest, hours="08:00-21:00", timezone=SH) == expected


def test_holidays_are_skipped() -> None:
    holidays = {date(2026, 11, 21), date(2026, 11, 22)}
    got = next_call_time(at(20, 22), hours="08:00-21:00", timezone=SH, holidays=holidays)
    assert got == at(23, 8)


@pytest.mark.parametrize(
    ("status", "answered_by", "answers", "result"),
    [
        ("completed", "human", 2, "answered"),
        ("completed", None, 0, "no-input"),
        ("completed", "machine_end_beep", 0, "machine"),
        ("completed", "fax", 0, "machine"),
        ("busy", None, 0, "busy"),
        ("no-answer", None, 0, "no-answer"),
        ("failed", None, 0, "failed"),
        ("in-progress", None, 0, "failed"),
    ],
)
def test_call_results(status: str, answered_by: str | None, answers: int, result: str) -> None:
    assert call_result(status, answered_by, answers) == result


@pytest.mark.parametrize(
    ("solved", "score", "outcome"),
    [
        ("yes", 5, "complete"),
        ("yes", None, "complete"),
        ("no", 5, "reopen"),
        ("no", None, "reopen"),
        ("yes", 2, "reopen"),
        ("partly", 3, "reopen"),
        ("partly", 4, "complete"),
        ("partly", None, "complete"),
        (None, 1, "reopen"),
        (None, None, None),
    ],
)
def test_verdicts(solved: str | None, score: int | None, outcome: str | None) -> None:
    assert verdict(solved, score) == outcome


def test_retries_are_spaced_and_limited() -> None:
    now = at(20, 10)
    spacing = timedelta(minutes=60)
    assert retry_at(now, attempts=1, max_attempts=3, spacing=spacing) == now + spacing
    assert retry_at(now, attempts=2, max_attempts=3, spacing=spacing) == now + 2 * spacing
    assert retry_at(now, attempts=3, max_attempts=3, spacing=spacing) is None
