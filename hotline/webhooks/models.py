"""Subscriptions, the events they are told about, and every delivery and attempt."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.core.columns import timestamp
from hotline.core.database import Base


class DeliveryStatus(StrEnum):
    """Where one delivery stands."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"  # every attempt failed; a replay sends it again


class WebhookSubscription(Base):
    """A department system's URL, the events it wants, and the secret that signs them."""

    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret: Mapped[str] = mapped_column(String(200))  # kept: every delivery is signed with it
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    paused_at: Mapped[datetime | None] = timestamp(nullable=True)
    pause_reason: Mapped[str | None] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = timestamp()


class WebhookEvent(Base):
    """One thing that happened to a ticket, as subscribers are told it."""

    __tablename__ = "webhook_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(40), unique=True)  # receivers deduplicate on it
    kind: Mapped[str] = mapped_column(String(16))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    occurred_at: Mapped[datetime] = timestamp()


class WebhookDelivery(Base):
    """One event to one subscriber (a replay is a new delivery of the same event)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_chain", "subscription_id", "ticket_id", "status"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("webhook_subscriptions.id"))
    event_id: Mapped[int] = mapped_column(ForeignKey("webhook_events.id"), index=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))  # the ordering chain
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = timestamp()
    claimed_until: Mapped[datetime | None] = timestamp(nullable=True)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    replay_of_id: Mapped[int | None] = mapped_column(ForeignKey("webhook_deliveries.id"))
    replayed_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = timestamp()
    delivered_at: Mapped[datetime | None] = timestamp(nullable=True)

    subscription: Mapped[WebhookSubscription] = relationship()
    event: Mapped[WebhookEvent] = relationship()


class WebhookAttempt(Base):
    """One POST of a delivery: when, what came back, how long it took."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_deliveries.id"), index=True)
    attempted_at: Mapped[datetime] = timestamp()
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
