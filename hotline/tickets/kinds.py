"""The kinds of case a hotline takes (受理类型) and their time-limit classes."""

from __future__ import annotations

from enum import StrEnum


class IntakeType(StrEnum):
    """Consultation, request for help, complaint, suggestion, report of wrongdoing, praise."""

    CONSULTATION = "consultation"  # 咨询
    REQUEST = "request"  # 求助
    COMPLAINT = "complaint"  # 投诉
    SUGGESTION = "suggestion"  # 建议
    REPORT = "report"  # 举报
    PRAISE = "praise"  # 表扬


class Urgency(StrEnum):
    """Time-limit classes (办理时限): each has a first-response and a completion limit."""

    EMERGENCY = "emergency"  # risk to life or property: feedback within 2 hours
    UTILITIES = "utilities"  # water, power, gas, heating: within 24 hours
    GENERAL = "general"  # within 7 days
    COMPLEX = "complex"  # within 15 days
