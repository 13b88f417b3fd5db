"""Transcript table."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.core.columns import timestamp
from hotline.core.database import Base


class TranscriptStatus(StrEnum):
    """Outcome of decoding one recording."""

    OK = "ok"
    EMPTY = "empty"
    FAILED = "failed"


class Transcript(Base):
    """What Vosk heard in one recording, word by word."""

    __tablename__ = "transcripts"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, default="")
    words: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    mean_confidence: Mapped[float | None] = mapped_column(Float)
    model: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(8))
    audio_seconds: Mapped[float | None] = mapped_column(Float)
    decode_seconds: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = timestamp()
    corrected_text: Mapped[str | None] = mapped_column(Text)
    corrected_by: Mapped[str | None] = mapped_column(String(64))
    corrected_at: Mapped[datetime | None] = timestamp(nullable=True)


class StreamStatus(StrEnum):
    """Where one live Media Stream stands."""

    LIVE = "live"
    FINAL = "final"


class LiveStream(Base):
    """One Twilio Media Stream of a call with an agent, transcribed as it is spoken."""

    __tablename__ = "live_streams"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), index=True)
    stream_sid: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default=StreamStatus.LIVE)
    problem: Mapped[str | None] = mapped_column(Text)  # no model, bad frames: why text is missing
    frames: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = timestamp()
    ended_at: Mapped[datetime | None] = timestamp(nullable=True)


class LiveSegment(Base):
    """One finished utterance on one track of a live stream."""

    __tablename__ = "live_segments"
    __table_args__ = (Index("ix_live_segments_stream_id_start", "stream_id", "start_seconds"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stream_id: Mapped[int] = mapped_column(ForeignKey("live_streams.id"))
    track: Mapped[str] = mapped_column(String(8))  # inbound: the caller; outbound: the agent
    text: Mapped[str] = mapped_column(Text)
    start_seconds: Mapped[float] = mapped_column(Float)
    end_seconds: Mapped[float] = mapped_column(Float)
    confidence: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = timestamp()
