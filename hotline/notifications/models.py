"""Message and opt-out tables."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.core.columns import timestamp
from hotline.core.database import Base


class MessageStatus(StrEnum):
    """Where an SMS stands."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class Message(Base):
    """One SMS; `key` makes a retried job or a repeated event send it only once."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    recipient: Mapped[str] = mapped_column(String(32), index=True)
    language: Mapped[str] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=MessageStatus.QUEUED)
    provider_sid: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Set before each hand-over to the carrier: a re-run after a crash asks the carrier first.
    attempted_at: Mapped[datetime | None] = timestamp(nullable=True)
    created_at: Mapped[datetime] = timestamp()
    sent_at: Mapped[datetime | None] = timestamp(nullable=True)


class SmsOptOut(Base):
    """A resident who asked for no text messages."""

    __tablename__ = "sms_opt_outs"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = timestamp()
