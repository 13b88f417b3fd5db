"""An agent's seat: current state, and every change with its time and reason."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.core.columns import timestamp
from hotline.core.database import Base
from hotline.queue.models import QueueEntry
from hotline.users.models import User


class Seat(Base):
    """One agent's place in the distribution (one row per agent, made on first use)."""

    __tablename__ = "seats"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    pause_reason: Mapped[str | None] = mapped_column(String(16))
    since: Mapped[datetime] = timestamp()
    idle_since: Mapped[datetime | None] = timestamp(nullable=True)  # last became available
    call_sid: Mapped[str | None] = mapped_column(
        String(64)
    )  # the caller's call, ringing or bridged
    wrap_up_until: Mapped[datetime | None] = timestamp(nullable=True)

    user: Mapped[User] = relationship()


class SeatChange(Base):
    """One move of a seat: who, when, from, to, why."""

    __tablename__ = "seat_changes"
    __table_args__ = (Index("ix_seat_changes_user_id_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    move: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(16))
    call_sid: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = timestamp()


class OfferState(StrEnum):
    """Where one offer of a waiting caller to one agent stands."""

    PENDING = "pending"  # chosen, the phone not rung yet
    RINGING = "ringing"
    ANSWERED = "answered"  # the agent picked up; the call is theirs
    MISSED = "missed"  # no answer, busy, failed or timed out
    WITHDRAWN = "withdrawn"  # the caller left, or the agent paused or signed out mid-ring


class CallOffer(Base):
    """One ring of one agent's phone for one waiting caller."""

    __tablename__ = "call_offers"
    __table_args__ = (Index("ix_call_offers_state", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("queue_entries.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), default=OfferState.PENDING)
    manual: Mapped[bool] = mapped_column(Boolean, default=False)  # pulled with "answer next"
    agent_call_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    agent_phone: Mapped[str] = mapped_column(String(255))
    end_reason: Mapped[str | None] = mapped_column(String(32))
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)  # hang the leg up
    created_at: Mapped[datetime] = timestamp()
    rung_at: Mapped[datetime | None] = timestamp(nullable=True)
    answered_at: Mapped[datetime | None] = timestamp(nullable=True)
    ended_at: Mapped[datetime | None] = timestamp(nullable=True)
    wrap_up_ended_at: Mapped[datetime | None] = timestamp(nullable=True)

    entry: Mapped[QueueEntry] = relationship()
    user: Mapped[User] = relationship()


class ParticipantRole(StrEnum):
    """Who else joins a caller's conference."""

    LISTEN = "listen"  # a supervisor, muted
    WHISPER = "whisper"  # a supervisor coaching the agent, unheard by the caller
    BARGE = "barge"  # a supervisor speaking to both
    THIRD_PARTY = "third_party"  # the grid worker or department on duty (三方通话)


class ConferenceParticipant(Base):
    """A supervisor or third party added to a caller's conference."""

    __tablename__ = "conference_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("queue_entries.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    phone: Mapped[str] = mapped_column(String(255))
    call_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    added_by: Mapped[str] = mapped_column(String(64))
    label: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = timestamp()
    ended_at: Mapped[datetime | None] = timestamp(nullable=True)
