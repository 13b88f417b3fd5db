"""Streaming recognition of a live call: one Vosk recognizer per track, fed 8 kHz μ-law frames.

No database here: frames go in, partial and final segments come out. Models come from the
process's VoskEngine, so they are loaded once per process and never per call.
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from transcription import mulaw
from transcription.engine import VoskEngine

SAMPLE_RATE = 8000
FRAME_SAMPLES = 160  # Twilio sends 20 ms frames
MAX_GAP_FRAMES = 50  # a gap up to 1 s is filled with silence; longer ones are not invented
MAX_PAYLOAD_BYTES = 8000  # one second of μ-law: anything larger is not a Twilio frame
BATCH_SAMPLES = 1600  # feed Vosk 200 ms at a time: per-call overhead stays small, lag low
TRACKS = ("inbound", "outbound")  # the caller's voice; what the caller hears (the agent)
# Between utterances a track whose batch stays under this level (int16 RMS) is not decoded:
# in a conversation each side is mostly listening, and Vosk spends as much on silence as on
# speech. Quiet telephone speech sits in the hundreds to thousands; line noise well below.
GATE_RMS = 80.0


class BadFrame(ValueError):
    """A media message that cannot be audio; the stream goes on without it."""


@dataclass(frozen=True)
class Segment:
    """Words heard on one track: a partial guess that may change, or a final utterance."""

    track: str
    text: str
    start: float
    end: float
    final: bool
    confidence: float | None = None


def payload_samples(payload: str) -> np.ndarray:
    """A frame's base64 μ-law payload as int16 samples, or BadFrame."""
    if not isinstance(payload, str) or not payload:
        raise BadFrame("empty payload")
    if len(payload) > MAX_PAYLOAD_BYTES * 4 // 3 + 4:
        raise BadFrame("payload larger than a second of audio")
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as error:
        raise BadFrame(f"payload is not base64: {error}") from None
    return mulaw.decode(raw)


@dataclass
class FrameOrder:
    """Puts one track's frames in order by chunk number: late or repeated frames are dropped,
    short gaps are filled with silence so that times stay true."""

    last_chunk: int = 0
    dropped: int = 0  # late or repeated frames
    filled: int = 0  # missing frames replaced by silence
    lost: int = 0  # missing frames in gaps too long to fill

    def place(self, chunk: int, samples: np.ndarray) -> np.ndarray | None:
        """The samples to feed now (with any silence owed before them), or None to drop."""
        if chunk <= self.last_chunk:
            self.dropped += 1
            return None
        first = self.last_chunk == 0
        gap = chunk - self.last_chunk - 1
        self.last_chunk = chunk
        if first or gap == 0:
            return samples
        if gap > MAX_GAP_FRAMES:
            self.lost += gap
            return samples
        self.filled += gap
        return np.concatenate([np.zeros(gap * FRAME_SAMPLES, dtype=np.int16), samples])


@dataclass
class TrackRecognizer:
    """One track's recognizer and the audio it has heard so far."""

    track: str
    recognizer: Any
    samples_fed: int = 0  # stream time, in samples
    skipped: int = 0  # silence between utterances never given to Vosk
    idle: bool = True  # no utterance under way: silence may be skipped
    last_partial: str = ""
    pending: list[np.ndarray] = field(default_factory=list)
    pending_samples: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, samples: np.ndarray) -> bool:
        """Queue samples (while a decode may run in another thread); True once a batch is full."""
        with self.lock:
            self.pending.append(samples)
            self.pending_samples += len(samples)
            return self.pending_samples >= BATCH_SAMPLES

    def flush(self) -> list[Segment]:
        """Decode whatever is queued (one flush at a time per track)."""
        with self.lock:
            queued, self.pending, self.pending_samples = self.pending, [], 0
        if not queued:
            return []
        batch = np.concatenate(queued)
        start = self.samples_fed / SAMPLE_RATE
        self.samples_fed += len(batch)
        if self.idle and float(np.sqrt(np.mean(batch.astype(np.float64) ** 2))) < GATE_RMS:
            self.skipped += len(batch)
            return []
        self.idle = False
        if self.recognizer.AcceptWaveform(batch.tobytes()):
            return self._final(json.loads(self.recognizer.Result()), start)
        partial = str(json.loads(self.recognizer.PartialResult()).get("partial", ""))
        if not partial or partial == self.last_partial:
            return []
        self.last_partial = partial
        now = self.samples_fed / SAMPLE_RATE
        return [Segment(self.track, partial, start, now, final=False)]

    def finish(self) -> list[Segment]:
        """Decode the rest and close the last utterance."""
        segments = self.flush()
        if self.idle:
            return segments
        start = self.samples_fed / SAMPLE_RATE
        return segments + self._final(json.loads(self.recognizer.FinalResult()), start)

    def _final(self, result: dict[str, Any], fallback_start: float) -> list[Segment]:
        self.last_partial = ""
        self.idle = True
        text = str(result.get("text", "")).strip()
        if not text:
            return []
        words = result.get("result") or []
        offset = self.skipped / SAMPLE_RATE  # Vosk's clock lacks the silence it never heard
        start = float(words[0]["start"]) + offset if words else fallback_start
        end = float(words[-1]["end"]) + offset if words else self.samples_fed / SAMPLE_RATE
        confidence = round(sum(float(w["conf"]) for w in words) / len(words), 4) if words else None
        return [Segment(self.track, text, round(start, 3), round(end, 3), True, confidence)]


class LiveTranscriber:
    """Both tracks of one call in one language."""

    def __init__(self, engine: VoskEngine, language: str) -> None:
        self.engine = engine
        self.language = language
        self.tracks: dict[str, TrackRecognizer] = {}
        self.order: dict[str, FrameOrder] = {track: FrameOrder() for track in TRACKS}

    def _track(self, track: str) -> TrackRecognizer:
        if track not in self.tracks:
            import vosk

            recognizer = vosk.KaldiRecognizer(self.engine.model(self.language), SAMPLE_RATE)
            recognizer.SetWords(True)
            self.tracks[track] = TrackRecognizer(track, recognizer)
        return self.tracks[track]

    def queue(self, track: str, chunk: int, samples: np.ndarray) -> bool:
        """One frame in, cheaply (ModelUnavailable when the language has no model); True when
        the track has a batch ready for `decode` (the slow part, for a worker thread)."""
        if track not in TRACKS:
            raise BadFrame(f"unknown track {track!r}")
        placed = self.order[track].place(chunk, samples)
        return placed is not None and self._track(track).add(placed)

    def decode(self, track: str) -> list[Segment]:
        """Run Vosk over the track's queued batch."""
        return self._track(track).flush()

    def feed(self, track: str, chunk: int, samples: np.ndarray) -> list[Segment]:
        """Queue and, when a batch is ready, decode: both steps in the caller's thread."""
        return self.decode(track) if self.queue(track, chunk, samples) else []

    def finish(self) -> list[Segment]:
        """The stream stopped: close every track."""
        segments: list[Segment] = []
        for track in TRACKS:
            if track in self.tracks:
                segments.extend(self.tracks[track].finish())
        return segments
