"""User table."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.core.columns import timestamp
from hotline.core.database import Base
from hotline.grids.models import OrgUnit


class UserRole(StrEnum):
    """What a console user may do (enforced in services, not only in templates)."""

    AGENT = "agent"
    SUPERVISOR = "supervisor"
    GRID_WORKER = "grid_worker"
    ADMIN = "admin"


class User(Base):
    """A person who signs in to the console."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    language: Mapped[str] = mapped_column(String(8), default="zh-CN")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = timestamp()
    last_login_at: Mapped[datetime | None] = timestamp(nullable=True)

    team: Mapped[OrgUnit | None] = relationship()
