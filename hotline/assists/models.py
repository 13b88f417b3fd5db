"""An assisting unit's task on a ticket (协办任务)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.core.columns import timestamp
from hotline.core.database import Base
from hotline.grids.models import Member, OrgUnit


class TicketTask(Base):
    """What one assisting unit is asked to do on a ticket, and how it answered."""

    __tablename__ = "ticket_tasks"
    __table_args__ = (UniqueConstraint("ticket_id", "unit_id", name="uq_ticket_tasks_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))  # who was told
    status: Mapped[str] = mapped_column(String(16), index=True)  # rules.TaskStatus
    request: Mapped[str] = mapped_column(Text)  # what the unit is asked to do
    asked_by: Mapped[str] = mapped_column(String(64))
    asked_at: Mapped[datetime] = timestamp()
    accepted_by: Mapped[str | None] = mapped_column(String(64))
    accepted_at: Mapped[datetime | None] = timestamp(nullable=True)
    report: Mapped[str | None] = mapped_column(Text)  # what the unit did
    reported_by: Mapped[str | None] = mapped_column(String(64))
    reported_at: Mapped[datetime | None] = timestamp(nullable=True)
    released_by: Mapped[str | None] = mapped_column(String(64))
    released_at: Mapped[datetime | None] = timestamp(nullable=True)
    release_note: Mapped[str | None] = mapped_column(Text)

    unit: Mapped[OrgUnit] = relationship()
    member: Mapped[Member | None] = relationship()
