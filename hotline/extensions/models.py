"""One request for more time on a ticket, and its decision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.core.columns import timestamp
from hotline.core.database import Base


class TicketExtension(Base):
    """A handling unit's request to move a ticket's deadline (延期申请)."""

    __tablename__ = "ticket_extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    days: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)  # rules.ExtensionStatus
    requested_by: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime] = timestamp()
    proposed_due_at: Mapped[datetime] = timestamp()
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = timestamp(nullable=True)
    decision_note: Mapped[str | None] = mapped_column(Text)
    due_before: Mapped[datetime | None] = timestamp(nullable=True)
    due_after: Mapped[datetime | None] = timestamp(nullable=True)
