"""Survey settings gathered once: delay, calling hours, holidays, retries, machines, pacing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hotline.core.settings import Settings
from hotline.triage.policy import TriagePolicy


@dataclass(frozen=True)
class SurveyPolicy:
    """How and when residents are called back."""

    delay: timedelta
    calling_hours: str
    timezone: str
    holidays: frozenset[date]
    max_attempts: int
    retry_spacing: timedelta
    machine_message: bool
    sms_fallback: bool
    base_url: str


def survey_policy(settings: Settings, policy: TriagePolicy) -> SurveyPolicy:
    """The survey policy for these settings (holidays come from the working calendar)."""
    return SurveyPolicy(
        delay=timedelta(seconds=settings.survey_delay_seconds),
        calling_hours=settings.calling_hours,
        timezone=settings.timezone,
        holidays=frozenset(policy.calendar.holidays),
        max_attempts=settings.survey_max_attempts,
        retry_spacing=timedelta(minutes=settings.survey_retry_minutes),
        machine_message=settings.survey_machine_action == "message",
        sms_fallback=settings.survey_sms_fallback,
        base_url=settings.public_base_url,
    )
