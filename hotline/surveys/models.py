"""Survey, attempt and answer tables."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.core.columns import timestamp
from hotline.core.database import Base


class SurveyKind(StrEnum):
    """Why the resident is called back."""

    CLOSURE = "closure"  # 回访 after a ticket is closed
    MISSED_CALL = "missed_call"  # they hung up before reporting; offer to take the report


class SurveyStatus(StrEnum):
    """Where a survey stands."""

    SCHEDULED = "scheduled"
    CALLING = "calling"
    COMPLETED = "completed"
    UNREACHABLE = "unreachable"
    CANCELLED = "cancelled"


class Survey(Base):
    """One callback to one resident, with its outcome."""

    __tablename__ = "surveys"
    __table_args__ = (Index("ix_surveys_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    # For a missed call: the call that ended before a report was taken (one callback per call).
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"), unique=True)
    round: Mapped[int] = mapped_column(Integer, default=1)  # a reopened ticket is surveyed again
    phone: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8), default="zh-CN")
    status: Mapped[str] = mapped_column(String(16), default=SurveyStatus.SCHEDULED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = timestamp(nullable=True)
    solved: Mapped[str | None] = mapped_column(String(8))  # yes | no | partly
    score: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    reopened: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = timestamp()
    completed_at: Mapped[datetime | None] = timestamp(nullable=True)
    sms_asked_at: Mapped[datetime | None] = timestamp(nullable=True)  # unreachable: asked by SMS

    calls: Mapped[list[SurveyAttempt]] = relationship(
        back_populates="survey", order_by="SurveyAttempt.number"
    )


class SurveyAttempt(Base):
    """One outbound call for a survey: when, its SID, how it ended, who answered."""

    __tablename__ = "survey_attempts"
    __table_args__ = (UniqueConstraint("survey_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    call_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    outcome: Mapped[str] = mapped_column(String(16), default="dialing")
    answered_by: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = timestamp()
    # Set before the call is handed to the carrier: a re-run after a crash asks the carrier first.
    dialed_at: Mapped[datetime | None] = timestamp(nullable=True)
    ended_at: Mapped[datetime | None] = timestamp(nullable=True)

    survey: Mapped[Survey] = relationship(back_populates="calls")


class SurveyAnswer(Base):
    """A resident's answer to one question on one call (never overwritten)."""

    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("call_sid", "question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    call_sid: Mapped[str] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = timestamp()
