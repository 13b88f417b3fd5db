"""The kinds of case a hotline takes (受理类型), as 12345 centres count them."""

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
