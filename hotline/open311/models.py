"""API clients (keys stored hashed) and the Open311 requests they posted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.core.columns import timestamp
from hotline.core.database import Base
from hotline.tickets.models import Ticket


class ApiClient(Base):
    """An outside system allowed to post requests: a citizen app, a mini-program, a city app."""

    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    key_prefix: Mapped[str] = mapped_column(String(16))  # shown, so admins can tell keys apart
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the whole key
    rate_limit_per_minute: Mapped[int] = mapped_column(Integer, default=60)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = timestamp()
    revoked_at: Mapped[datetime | None] = timestamp(nullable=True)
    last_used_at: Mapped[datetime | None] = timestamp(nullable=True)


class Open311Request(Base):
    """What a client posted, kept beside the ticket it became."""

    __tablename__ = "open311_requests"
    __table_args__ = (UniqueConstraint("client_id", "client_request_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id"), index=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)
    client_request_id: Mapped[str | None] = mapped_column(String(64))  # the client's own id
    fingerprint: Mapped[str] = mapped_column(String(64))  # sha256 of the submitted fields
    service_code: Mapped[str] = mapped_column(String(32))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    address_string: Mapped[str | None] = mapped_column(Text)
    address_id: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(255))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(32))
    device_id: Mapped[str | None] = mapped_column(String(100))
    account_id: Mapped[str | None] = mapped_column(String(100))
    media_url: Mapped[str | None] = mapped_column(Text)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = timestamp()

    ticket: Mapped[Ticket] = relationship()
    client: Mapped[ApiClient] = relationship()
