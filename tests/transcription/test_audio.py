"""Decoding telephony audio and rejecting what is not audio."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from tests.conftest import FIXTURES
from transcription.audio import AudioError, load_pcm


def test_wav_fixture_decodes_as_8khz_mono() -> None:
    pcm = load_pcm(FIXTURES / "ko_pothole.wav")
    assert pcm.sample_rate == 8000
    assert pcm.samples.dtype == np.int16
    assert pcm.seconds == pytest.approx(8.534, abs=0.01)
    assert not pcm.is_silent()


def test_stereo_is_mixed_to_mono(tmp_path: Path) -> None:
    left = (np.sin(np.linspace(0, 400 * np.pi, 8000)) * 8000).astype(np.int16)
    path = tmp_path / "stereo.wav"
    soundfile.write(path, np.stack([left, left], axis=1), 8000, subtype="PCM_16")
    pcm = load_pcm(path)
    assert pcm.samples.ndim == 1 and len(pcm.samples) == 8000


def test_mulaw_wav_decodes(tmp_path: Path) -> None:
    samples, rate = soundfile.read(FIXTURES / "ko_water.wav", dtype="int16")
    path = tmp_path / "ulaw.wav"
    soundfile.write(path, samples, rate, subtype="ULAW")
    assert load_pcm(path).seconds == pytest.approx(len(samples) / rate)


def test_silence_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "quiet.wav"
    soundfile.write(path, np.full(8000 * 5, 3, dtype=np.int16), 8000, subtype="PCM_16")
    assert load_pcm(path).is_silent()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty audio file"),
        (b"ID3\x03\x00garbage" * 10, "not a readable audio file"),
        (b"RIFF\x24\x00\x00\x00WAVE", "no audio data chunk"),
    ],
)
def test_bad_files_raise_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(AudioError, match=message):
        load_pcm(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="missing"):
        load_pcm(tmp_path / "nope.wav")
