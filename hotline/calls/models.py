"""Call and Recording tables."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.core.columns import timestamp
from hotline.core.database import Base

SURVEY_INTENT = "survey"  # an outbound callback, not an intake call


class CallStatus(StrEnum):
    """Twilio's call statuses, as reported by the status callback."""

    IN_PROGRESS = "in-progress"
    RINGING = "ringing"
    QUEUED = "queued"
    COMPLETED = "completed"
    BUSY = "busy"
    NO_ANSWER = "no-answer"
    FAILED = "failed"
    CANCELED = "canceled"


class LocationSource(StrEnum):
    """How the caller's community was established."""

    KEYED = "keyed"
    HOUSEHOLD = "household"
    UNKNOWN = "unknown"


class DownloadStatus(StrEnum):
    """Where a recording's audio stands."""

    PENDING = "pending"
    DOWNLOADED = "downloaded"
    FAILED = "failed"


class Call(Base):
    """One inbound call and what the caller chose in the IVR."""

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    from_number: Mapped[str] = mapped_column(String(32), default="")
    to_number: Mapped[str] = mapped_column(String(32), default="")
    language: Mapped[str | None] = mapped_column(String(8))
    intent: Mapped[str | None] = mapped_column(String(16))
    category: Mapped[str | None] = mapped_column(String(32))
    location_code: Mapped[str | None] = mapped_column(String(4))
    location_source: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=CallStatus.IN_PROGRESS)
    fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime] = timestamp()
    ended_at: Mapped[datetime | None] = timestamp(nullable=True)
    updated_at: Mapped[datetime] = timestamp()

    recordings: Mapped[list[Recording]] = relationship(back_populates="call")


class Recording(Base):
    """A caller's recorded description and the local copy of its audio."""

    __tablename__ = "recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_sid: Mapped[str] = mapped_column(String(64), unique=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), index=True)
    source_url: Mapped[str] = mapped_column(Text)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    local_path: Mapped[str | None] = mapped_column(Text)
    store_uri: Mapped[str | None] = mapped_column(Text)  # the shared copy (s3://bucket/key)
    sha256: Mapped[str | None] = mapped_column(String(64))
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    download_status: Mapped[str] = mapped_column(String(16), default=DownloadStatus.PENDING)
    download_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = timestamp()
    downloaded_at: Mapped[datetime | None] = timestamp(nullable=True)
    # Retention: the audio is deleted after HOTLINE_RECORDING_RETENTION_DAYS; sha256 stays.
    deleted_at: Mapped[datetime | None] = timestamp(nullable=True)
    remote_deleted_at: Mapped[datetime | None] = timestamp(nullable=True)  # Twilio's copy
    deletion_error: Mapped[str | None] = mapped_column(Text)

    call: Mapped[Call] = relationship(back_populates="recordings")
