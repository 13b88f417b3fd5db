"""User table."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.core.columns import timestamp
from hotline.core.database import Base
from hotline.grids.models import Member, OrgUnit


class UserRole(StrEnum):
    """What a console user may do (enforced in services, not only in templates)."""

    AGENT = "agent"
    SUPERVISOR = "supervisor"
    GRID_WORKER = "grid_worker"
    ADMIN = "admin"
    KB_EDITOR = "kb_editor"  # writes the knowledge base; sees no tickets


class User(Base):
    """A person who signs in to the console."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    language: Mapped[str] = mapped_column(String(8), default="zh-CN")  # of the console
    languages: Mapped[str] = mapped_column(String(32), default="zh-CN")  # calls taken, comma list
    phone: Mapped[str | None] = mapped_column(String(255))  # E.164 or a SIP URI
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = timestamp()
    last_login_at: Mapped[datetime | None] = timestamp(nullable=True)

    team: Mapped[OrgUnit | None] = relationship()
    member: Mapped[Member | None] = relationship()


class ConsoleSession(Base):
    """A signed-in browser; the cookie carries only its signed random id."""

    __tablename__ = "console_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = timestamp()
    last_seen_at: Mapped[datetime] = timestamp()

    user: Mapped[User] = relationship()
