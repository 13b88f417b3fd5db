"""Photos of the place, before and after the work, attached when a team resolves a ticket."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline.core.columns import timestamp
from hotline.core.database import Base


class PhotoKind(StrEnum):
    """When the photo was taken."""

    BEFORE = "before"
    AFTER = "after"


class TicketPhoto(Base):
    """One checked image file, stored by content hash beside the recordings."""

    __tablename__ = "ticket_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("ticket_events.id"))
    kind: Mapped[str] = mapped_column(String(8))
    content_type: Mapped[str] = mapped_column(String(32))
    size_bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(200))  # relative to the photo store
    uploaded_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = timestamp()
