"""An agent's seat: current state, and every change with its time and reason."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.core.columns import timestamp
from hotline.core.database import Base
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
    call_sid: Mapped[str | None] = mapped_column(String(64))  # the call ringing or bridged
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
