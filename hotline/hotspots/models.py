"""A proactive case's links to the tickets of the hotspot it was opened from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hotline.core.columns import timestamp
from hotline.core.database import Base


class TicketLink(Base):
    """One resident's ticket behind a proactive case (未诉先办)."""

    __tablename__ = "ticket_links"
    __table_args__ = (UniqueConstraint("case_id", "ticket_id", name="uq_ticket_links_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    created_at: Mapped[datetime] = timestamp()
