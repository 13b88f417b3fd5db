"""Decode telephony audio (WAV or MP3) into 16-bit mono PCM, rejecting bad files clearly."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

MAX_SECONDS = 15 * 60
SILENCE_RMS = 30.0  # int16 units; telephone line noise sits well above this when anyone speaks


class AudioError(ValueError):
    """The file cannot be decoded as audio; the message says why."""


@dataclass(frozen=True)
class Pcm:
    """Decoded audio ready for a recognizer."""

    samples: np.ndarray  # int16, mono
    sample_rate: int

    @property
    def seconds(self) -> float:
        """Duration in seconds."""
        return len(self.samples) / self.sample_rate

    @property
    def rms(self) -> float:
        """Root-mean-square level in int16 units."""
        if len(self.samples) == 0:
            return 0.0
        return float(np.sqrt(np.mean(self.samples.astype(np.float64) ** 2)))

    def is_silent(self) -> bool:
        """No half-second window rises above the silence floor."""
        window = max(self.sample_rate // 2, 1)
        count = len(self.samples) // window
        if count == 0:
            return self.rms < SILENCE_RMS
        frames = self.samples[: count * window].astype(np.float64).reshape(count, window)
        loudest = float(np.sqrt(np.mean(frames**2, axis=1)).max())
        return loudest < SILENCE_RMS


def check_wav_complete(path: Path) -> None:
    """Raise AudioError if a RIFF file's data chunk is shorter than its header says."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        header = handle.read(12)
        if len(header) < 12 or header[:4] != b"RIFF" or header[8:12] != b"WAVE":
            return
        position = 12
        while position + 8 <= size:
            handle.seek(position)
            chunk_id, chunk_size = struct.unpack("<4sI", handle.read(8))
            if chunk_id == b"data":
                available = size - position - 8
                streaming = chunk_size in (0, 0xFFFFFFFF)
                if not streaming and chunk_size > available:
                    raise AudioError(
                        f"truncated WAV: header declares {chunk_size} audio bytes, "
                        f"file holds {available}"
                    )
                return
            position += 8 + chunk_size + (chunk_size & 1)
        raise AudioError("truncated WAV: no audio data chunk")


def load_pcm(path: Path) -> Pcm:
    """Read a WAV or MP3 file as mono int16 PCM at its own sample rate."""
    if not path.exists():
        raise AudioError(f"audio file missing: {path}")
    if path.stat().st_size == 0:
        raise AudioError("empty audio file")
    check_wav_complete(path)
    try:
        info = soundfile.info(str(path))
        if info.duration > MAX_SECONDS:
            raise AudioError(f"audio is {info.duration:.0f} s long; the limit is {MAX_SECONDS} s")
        data, rate = soundfile.read(str(path), dtype="int16", always_2d=True)
    except soundfile.LibsndfileError as error:
        raise AudioError(f"not a readable audio file: {error}") from error
    except RuntimeError as error:
        raise AudioError(f"not a readable audio file: {error}") from error
    if data.shape[0] == 0:
        raise AudioError("audio file holds no samples")
    mono = data[:, 0] if data.shape[1] == 1 else data.mean(axis=1).astype(np.int16)
    return Pcm(samples=np.ascontiguousarray(mono), sample_rate=int(rate))
