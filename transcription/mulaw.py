"""G.711 μ-law, the 8 kHz telephone encoding of Twilio Media Streams, to and from 16-bit PCM."""

from __future__ import annotations

import numpy as np

BIAS = 0x84


def _decode_table() -> np.ndarray:
    codes = ~np.arange(256, dtype=np.int32) & 0xFF
    exponent = (codes >> 4) & 0x07
    mantissa = codes & 0x0F
    magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS
    return np.where(codes & 0x80, -magnitude, magnitude).astype(np.int16)


DECODE = _decode_table()


def decode(payload: bytes) -> np.ndarray:
    """μ-law bytes → int16 samples (every byte value is a valid sample)."""
    return DECODE[np.frombuffer(payload, dtype=np.uint8)]


SEGMENT_ENDS = np.array([0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF], dtype=np.int32)


def encode(samples: np.ndarray) -> bytes:
    """int16 samples → μ-law bytes (the 14-bit G.711 reference algorithm)."""
    pcm = samples.astype(np.int32) >> 2
    negative = pcm < 0
    mask = np.where(negative, 0x7F, 0xFF)
    magnitude = np.minimum(np.abs(pcm), 8159) + (BIAS >> 2)
    segment = np.searchsorted(SEGMENT_ENDS, magnitude, side="left").astype(np.int32)
    value = (segment << 4) | ((magnitude >> (segment + 1)) & 0x0F)
    value = np.where(segment >= len(SEGMENT_ENDS), 0x7F, value)  # clipped: loudest code
    return ((value ^ mask) & 0xFF).astype(np.uint8).tobytes()
