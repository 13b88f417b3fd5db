"""Ticket, TicketEvent and the per-year reference counter."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.core.columns import timestamp
from hotline.core.database import Base
from hotline.grids.models import Member, OrgUnit


class Ticket(Base):
    """A resident's case, from intake to closure."""

    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_created_at", "created_at"),
        Index("ix_tickets_due_at", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    channel: Mapped[str] = mapped_column(String(16), default="ivr")
    category: Mapped[str | None] = mapped_column(String(32), index=True)
    location_code: Mapped[str | None] = mapped_column(String(4))
    landmark: Mapped[str | None] = mapped_column(String(100))  # a grid landmark the case names
    caller: Mapped[str] = mapped_column(String(32), default="", index=True)
    language: Mapped[str | None] = mapped_column(String(8))
    fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_listening: Mapped[bool] = mapped_column(Boolean, default=False)
    listening_reason: Mapped[str | None] = mapped_column(Text)
    intake_type: Mapped[str | None] = mapped_column(String(16), index=True)  # kinds.IntakeType
    intake_type_by: Mapped[str | None] = mapped_column(String(64))  # "triage", or the person
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)  # 保密: identity hidden
    confidential_by: Mapped[str | None] = mapped_column(String(64))
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False)  # recordings are kept
    legal_hold_by: Mapped[str | None] = mapped_column(String(64))
    # Triage and routing
    level: Mapped[str | None] = mapped_column(String(16))
    category_confidence: Mapped[float | None] = mapped_column(Float)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    review_reason: Mapped[str | None] = mapped_column(Text)  # English, for the API
    review_codes: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)  # hotline/reasons
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    first_team_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    urgency: Mapped[str | None] = mapped_column(String(16))  # kinds.Urgency: the time limits
    urgency_by: Mapped[str | None] = mapped_column(String(64))  # "triage", or the person
    responsible_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))  # 首接负责
    return_count: Mapped[int] = mapped_column(Integer, default=0)  # "not ours" returns
    response_due_at: Mapped[datetime | None] = timestamp(nullable=True)
    due_at: Mapped[datetime | None] = timestamp(nullable=True)
    paused_at: Mapped[datetime | None] = timestamp(nullable=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    dispatched_at: Mapped[datetime | None] = timestamp(nullable=True)
    accepted_at: Mapped[datetime | None] = timestamp(nullable=True)
    resolved_at: Mapped[datetime | None] = timestamp(nullable=True)
    closed_at: Mapped[datetime | None] = timestamp(nullable=True)
    summary: Mapped[str | None] = mapped_column(Text)
    kb_article_id: Mapped[int | None] = mapped_column(
        ForeignKey("kb_articles.id", ondelete="SET NULL")
    )  # the article a consultation was answered from
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = timestamp()
    updated_at: Mapped[datetime] = timestamp()

    grid: Mapped[OrgUnit | None] = relationship(foreign_keys=[grid_id])
    team: Mapped[OrgUnit | None] = relationship(foreign_keys=[team_id])
    responsible_unit: Mapped[OrgUnit | None] = relationship(foreign_keys=[responsible_unit_id])
    assignee: Mapped[Member | None] = relationship()
    duplicate_of: Mapped[Ticket | None] = relationship(
        remote_side=[id], foreign_keys=[duplicate_of_id]
    )

    events: Mapped[list[TicketEvent]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id"
    )


class TicketEvent(Base):
    """One status move: who, when, from, to, why."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)  # English, for the API
    reason_codes: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)  # hotline/reasons
    rule: Mapped[str | None] = mapped_column(String(64))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    created_at: Mapped[datetime] = timestamp()

    ticket: Mapped[Ticket] = relationship(back_populates="events")


class TicketNote(Base):
    """A note on a ticket: internal to staff, or one the resident may be told."""

    __tablename__ = "ticket_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    author: Mapped[str] = mapped_column(String(64))
    visibility: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = timestamp()


class TicketCounter(Base):
    """Last reference number issued in a year."""

    __tablename__ = "ticket_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)
