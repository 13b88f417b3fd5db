"""Opening hours and the voicemail offer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hotline.queue.rules import offer_voicemail, parse_hours, within_hours

SHANGHAI = "Asia/Shanghai"


@pytest.mark.parametrize(
    ("utc_hour", "minute", "inside"),
    [(23, 59, False), (0, 0, True), (11, 59, True), (12, 0, False)],  # 07:59, 08:00, 19:59, 20:00
)
def test_hours_are_local_and_half_open(utc_hour: int, minute: int, inside: bool) -> None:
    moment = datetime(2026, 11, 20, utc_hour, minute, tzinfo=UTC)
    assert within_hours(moment, "08:00-20:00", SHANGHAI) is inside


def test_hours_may_span_midnight() -> None:
    assert within_hours(datetime(2026, 11, 20, 15, 0, tzinfo=UTC), "22:00-06:00", SHANGHAI)
    assert not within_hours(datetime(2026, 11, 20, 4, 0, tzinfo=UTC), "22:00-06:00", SHANGHAI)


@pytest.mark.parametrize("spec", ["8-20", "08:00", "20:00-20:00", "25:00-26:00"])
def test_bad_hours_are_refused_with_the_expected_shape(spec: str) -> None:
    with pytest.raises(ValueError, match="HH:MM|same"):
        parse_hours(spec)


def test_voicemail_is_offered_at_the_longest_wait() -> None:
    assert not offer_voicemail(119, 120)
    assert offer_voicemail(120, 120)
