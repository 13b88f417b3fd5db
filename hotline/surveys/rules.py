"""Pure survey rules: calling windows, what each call outcome means, when a case is reopened."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hotline.queue.rules import parse_hours

SOLVED_DIGITS = {"1": "yes", "2": "no", "3": "partly"}
SCORE_DIGITS = {str(n): n for n in range(1, 6)}
LOW_SCORE = 2  # a score of 1 or 2 reopens whatever the first answer was
LOW_PARTLY_SCORE = 3  # "partly" with 3 or less reopens
SATISFIED_SCORES = (4, 5)
MACHINE = "machine"
RETRYABLE = ("busy", "no-answer", "failed", "canceled", MACHINE, "no-input")
SEARCH_DAYS = 400


def check_calling_hours(spec: str) -> None:
    """Validate calling hours (start before end on the same day); raises ValueError."""
    start, end = parse_hours(spec)
    if start >= end:
        raise ValueError(f"calling hours {spec!r} must start and end on the same day")


def next_call_time(
    earliest: datetime, *, hours: str, timezone: str, holidays: Collection[date] = ()
) -> datetime:
    """The first moment at or after `earliest` inside calling hours on a day that is no holiday."""
    start, end = parse_hours(hours)
    zone = ZoneInfo(timezone)
    local = earliest.astimezone(zone)
    for _ in range(SEARCH_DAYS):
        day = local.date()
        if day not in holidays:
            opens = datetime.combine(day, start, tzinfo=zone)
            closes = datetime.combine(day, end, tzinfo=zone)
            if local < opens:
                return opens
            if local < closes:
                return local
        local = datetime.combine(day + timedelta(days=1), start, tzinfo=zone)
    raise ValueError("no calling time in the next 400 days: check the calling hours and holidays")


def call_result(call_status: str, answered_by: str | None, answers: int) -> str:
    """How one survey call ended: answered, machine, no-input, busy, no-answer, failed, canceled."""
    if answered_by and (answered_by.startswith("machine") or answered_by == "fax"):
        return MACHINE
    if call_status == "completed":
        return "answered" if answers else "no-input"
    if call_status in ("busy", "no-answer", "failed", "canceled"):
        return call_status
    return "failed"


def verdict(solved: str | None, score: int | None) -> str | None:
    """'reopen', 'complete', or None when the resident gave no answer at all."""
    if solved is None and score is None:
        return None
    if solved == "no":
        return "reopen"
    if score is not None and score <= LOW_SCORE:
        return "reopen"
    if solved == "partly" and score is not None and score <= LOW_PARTLY_SCORE:
        return "reopen"
    return "complete"


def retry_at(
    now: datetime, *, attempts: int, max_attempts: int, spacing: timedelta
) -> datetime | None:
    """When to try again after an unanswered call, or None after the last attempt."""
    if attempts >= max_attempts:
        return None
    return now + spacing * attempts
