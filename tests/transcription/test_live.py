"""Streaming recognition parts: μ-law, frame order, payload checks, and true times with Vosk."""

from __future__ import annotations

import base64

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ivr.simulator.media import load_8k
from tests.conftest import FIXTURES
from transcription import mulaw
from transcription.engine import ModelUnavailable, VoskEngine
from transcription.live import (
    FRAME_SAMPLES,
    BadFrame,
    FrameOrder,
    LiveTranscriber,
    payload_samples,
)


def test_mulaw_decodes_the_g711_table() -> None:
    # 0xFF and 0x7F are the two zeros; 0x00 and 0x80 the loudest codes.
    codes = bytes([0xFF, 0x7F, 0x00, 0x80, 0xFE, 0xEF])
    assert mulaw.decode(codes).tolist() == [0, 0, -32124, 32124, 8, 132]


@given(st.lists(st.integers(-32768, 32767), min_size=1, max_size=400))
def test_mulaw_round_trip_stays_within_one_quantisation_step(values: list[int]) -> None:
    samples = np.array(values, dtype=np.int16)
    back = mulaw.decode(mulaw.encode(samples)).astype(np.int32)
    error = np.abs(back - samples.astype(np.int32))
    # The step grows with loudness: 1/16 of the segment, and clipping above 32124.
    allowed = np.maximum(np.abs(samples.astype(np.int32)) // 16 + 8, 0) + np.where(
        np.abs(samples.astype(np.int32)) > 32124, 700, 0
    )
    assert (error <= allowed).all()


def test_payload_checks() -> None:
    frame = base64.b64encode(bytes([0xFF] * FRAME_SAMPLES)).decode()
    assert payload_samples(frame).tolist() == [0] * FRAME_SAMPLES
    for bad in ("", "***", base64.b64encode(b"x" * 9000).decode()):
        with pytest.raises(BadFrame):
            payload_samples(bad)


def test_frames_are_put_in_order_and_short_gaps_filled_with_silence() -> None:
    order = FrameOrder()
    frame = np.ones(FRAME_SAMPLES, dtype=np.int16)

    def placed(chunk: int) -> tuple[int, int] | None:
        """(samples fed, of which sound) for a frame, or None when dropped."""
        samples = order.place(chunk, frame)
        return None if samples is None else (len(samples), int(samples.sum()))

    assert placed(1) == (FRAME_SAMPLES, FRAME_SAMPLES)
    assert placed(4) == (3 * FRAME_SAMPLES, FRAME_SAMPLES)  # 2 and 3 became silence first
    assert placed(5) == (FRAME_SAMPLES, FRAME_SAMPLES)
    assert placed(3) is None  # too late: dropped, not replayed out of order
    assert placed(5) is None  # repeated
    assert placed(200) == (FRAME_SAMPLES, FRAME_SAMPLES)  # a long hole is not invented
    assert (order.filled, order.dropped, order.lost) == (2, 2, 194)


@pytest.mark.vosk
def test_times_stay_true_across_skipped_silence(speech: VoskEngine) -> None:
    """Silence between utterances is not decoded, yet each line keeps its place in the call."""
    said = load_8k(FIXTURES / "ko_water.wav")
    track = np.concatenate([np.zeros(8000 * 3, dtype=np.int16), said])
    live = LiveTranscriber(speech, "ko")
    segments = []
    for n, at in enumerate(range(0, len(track), FRAME_SAMPLES), start=1):
        segments += live.feed("inbound", n, track[at : at + FRAME_SAMPLES])
    segments += live.finish()
    finals = [s for s in segments if s.final]
    assert finals and all(s.track == "inbound" for s in finals)
    assert 3.0 <= finals[0].start < 3.0 + 1.0
    assert finals[-1].end <= len(track) / 8000 + 0.05
    partials = [s for s in segments if not s.final]
    assert partials and partials[0].start >= 3.0  # nothing was heard during the silence
    assert live.tracks["inbound"].skipped >= 8000 * 3 - 1600


def test_a_language_without_a_model_says_so(speech: VoskEngine) -> None:
    live = LiveTranscriber(VoskEngine({}), "zh-CN")
    with pytest.raises(ModelUnavailable, match="zh-CN"):
        live.feed("inbound", 1, np.zeros(FRAME_SAMPLES, dtype=np.int16))
    with pytest.raises(BadFrame):
        LiveTranscriber(speech, "ko").feed("sideways", 1, np.zeros(FRAME_SAMPLES, dtype=np.int16))
