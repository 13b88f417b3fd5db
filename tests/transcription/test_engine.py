"""The Vosk engine on real audio with the packaged Korean model."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from transcription.engine import ModelUnavailable, VoskEngine

pytestmark = pytest.mark.vosk


def test_transcribes_korean_speech(speech: VoskEngine) -> None:
    result = speech.transcribe(FIXTURES / "ko_noise.wav", "ko")
    assert result.status == "ok"
    assert result.text and len(result.words) >= 3
    assert result.words == sorted(result.words, key=lambda w: w["start"])
    assert result.decode_seconds is not None and result.decode_seconds > 0


def test_each_model_loads_once(speech: VoskEngine) -> None:
    before = speech.load_count
    speech.transcribe(FIXTURES / "ko_water.wav", "ko")
    speech.transcribe(FIXTURES / "ko_water.wav", "ko")
    assert speech.load_count == before


def test_language_without_a_model_fails_clearly(speech: VoskEngine) -> None:
    result = speech.transcribe(FIXTURES / "zh_streetlight.wav", "zh-CN")
    assert result.status == "failed"
    assert result.reason == "no Vosk model configured for zh-CN"


def test_model_path_that_is_not_a_model(tmp_path: Path) -> None:
    engine = VoskEngine({"en": tmp_path})
    with pytest.raises(ModelUnavailable, match="does not load"):
        engine.model("en")
    missing = VoskEngine({"en": tmp_path / "absent"})
    assert missing.preload() == {"en": f"Vosk model for en not found at {tmp_path / 'absent'}"}
