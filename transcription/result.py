"""What one decode produced; plain data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Transcription:
    """A transcript of one recording, or why there is none."""

    status: str  # "ok" | "empty" | "failed"
    language: str
    text: str = ""
    words: list[dict[str, Any]] = field(default_factory=list)
    mean_confidence: float | None = None
    model: str | None = None
    audio_seconds: float | None = None
    decode_seconds: float | None = None
    reason: str | None = None

    @classmethod
    def failed(cls, language: str, reason: str, **extra: Any) -> Transcription:
        """A decode that could not run."""
        return cls(status="failed", language=language, reason=reason, **extra)
