"""Queue entry table."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline.core.columns import timestamp
from hotline.core.database import Base


class QueueOutcome(StrEnum):
    """How a wait in the agent queue ended."""

    WAITING = "waiting"
    ANSWERED = "answered"  # a person took the call
    ABANDONED = "abandoned"  # the caller hung up first
    VOICEMAIL = "voicemail"  # `ivr` mode: left a message after the wait
    OVERFLOW = "overflow"  # `agent-first` mode: went on to the IVR intake


class OverflowReason(StrEnum):
    """Why a caller who wanted a person went to the IVR intake instead."""

    CLOSED = "closed"  # outside HOTLINE_AGENT_HOURS
    NO_AGENT = "no_agent"  # nobody who speaks the language is signed in
    TIMEOUT = "timeout"  # waited HOTLINE_QUEUE_MAX_WAIT_SECONDS
    CALLER_KEY = "caller_key"  # chose to leave a description instead of waiting


class QueueEntry(Base):
    """One caller's wait for an agent (one per call), and the conversation that followed."""

    __tablename__ = "queue_entries"
    __table_args__ = (Index("ix_queue_entries_enqueued_at", "enqueued_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), unique=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    from_number: Mapped[str] = mapped_column(String(32), default="")
    language: Mapped[str | None] = mapped_column(String(8))
    outcome: Mapped[str] = mapped_column(String(16), default=QueueOutcome.WAITING, index=True)
    answered_by: Mapped[str | None] = mapped_column(String(64))
    wait_seconds: Mapped[int | None] = mapped_column(Integer)
    overflow_reason: Mapped[str | None] = mapped_column(String(16))
    enqueued_at: Mapped[datetime] = timestamp()
    left_at: Mapped[datetime | None] = timestamp(nullable=True)
    answered_at: Mapped[datetime | None] = timestamp(nullable=True)  # the agent picked up
    bridge_requested_at: Mapped[datetime | None] = timestamp(nullable=True)
    bridged_at: Mapped[datetime | None] = timestamp(nullable=True)  # the caller joined
    talk_ended_at: Mapped[datetime | None] = timestamp(nullable=True)
    conference_sid: Mapped[str | None] = mapped_column(String(64))
