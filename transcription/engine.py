"""Vosk engine: each model is loaded once per process and reused by every decode."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

from transcription.audio import AudioError, Pcm, load_pcm
from transcription.result import Transcription

CHUNK_SECONDS = 0.5  # Vosk runs measurably slower when fed multi-second chunks


class ModelUnavailable(RuntimeError):
    """No usable model is configured for a language."""


class VoskEngine:
    """Holds loaded Vosk models by language and decodes audio with them."""

    def __init__(self, models: dict[str, Path]) -> None:
        self.paths = dict(models)
        self._loaded: dict[str, Any] = {}
        self._lock = threading.Lock()
        self.load_count = 0

    def languages(self) -> list[str]:
        """Languages that have a model path configured."""
        return sorted(self.paths)

    def model(self, language: str) -> Any:
        """The loaded model for a language, loading it on first use."""
        import vosk

        with self._lock:
            if language in self._loaded:
                return self._loaded[language]
            path = self.paths.get(language)
            if path is None:
                raise ModelUnavailable(f"no Vosk model configured for {language}")
            if not path.is_dir():
                raise ModelUnavailable(f"Vosk model for {language} not found at {path}")
            vosk.SetLogLevel(-1)
            try:
                model = vosk.Model(str(path))
            except Exception as error:  # vosk raises a bare Exception on a bad model
                raise ModelUnavailable(f"Vosk model at {path} does not load: {error}") from error
            self._loaded[language] = model
            self.load_count += 1
            return model

    def preload(self) -> dict[str, str | None]:
        """Load every configured model now; returns language → error (None when loaded)."""
        outcome: dict[str, str | None] = {}
        for language in self.languages():
            try:
                self.model(language)
                outcome[language] = None
            except ModelUnavailable as error:
                outcome[language] = str(error)
        return outcome

    def decode(self, pcm: Pcm, language: str) -> Transcription:
        """Run Vosk over decoded audio."""
        import vosk

        model = self.model(language)
        started = time.perf_counter()
        recognizer = vosk.KaldiRecognizer(model, float(pcm.sample_rate))
        recognizer.SetWords(True)
        words: list[dict[str, Any]] = []
        texts: list[str] = []
        step = int(pcm.sample_rate * CHUNK_SECONDS)
        raw = pcm.samples.tobytes()
        for offset in range(0, len(raw), step * 2):
            if recognizer.AcceptWaveform(raw[offset : offset + step * 2]):
                _collect(json.loads(recognizer.Result()), words, texts)
        _collect(json.loads(recognizer.FinalResult()), words, texts)
        elapsed = time.perf_counter() - started
        text = " ".join(texts)
        confidence = sum(w["conf"] for w in words) / len(words) if words else None
        return Transcription(
            status="ok" if text else "empty",
            language=language,
            text=text,
            words=words,
            mean_confidence=confidence,
            model=str(self.paths[language]),
            audio_seconds=round(pcm.seconds, 3),
            decode_seconds=round(elapsed, 3),
            reason=None if text else "no speech recognised",
        )

    def transcribe(self, audio_path: Path, language: str) -> Transcription:
        """Decode a file; bad audio and missing models become a failed or empty result."""
        try:
            pcm = load_pcm(audio_path)
        except AudioError as error:
            return Transcription.failed(language, str(error))
        if pcm.is_silent():
            return Transcription(
                status="empty",
                language=language,
                audio_seconds=round(pcm.seconds, 3),
                decode_seconds=0.0,
                reason="recording is silent",
            )
        try:
            return self.decode(pcm, language)
        except ModelUnavailable as error:
            return Transcription.failed(language, str(error), audio_seconds=round(pcm.seconds, 3))


def _collect(result: dict[str, Any], words: list[dict[str, Any]], texts: list[str]) -> None:
    if result.get("text"):
        texts.append(result["text"])
    for word in result.get("result", []):
        words.append(
            {
                "word": word["word"],
                "start": round(float(word["start"]), 3),
                "end": round(float(word["end"]), 3),
                "conf": round(float(word["conf"]), 4),
            }
        )


_default_engine: VoskEngine | None = None


def use_engine(engine: VoskEngine) -> None:
    """Make this engine the process-wide one that `transcribe()` uses."""
    global _default_engine
    _default_engine = engine


def current_engine() -> VoskEngine:
    """The process-wide engine set by `use_engine`."""
    if _default_engine is None:
        raise ModelUnavailable("no transcription engine configured in this process")
    return _default_engine


def transcribe(audio_path: Path, language: str) -> Transcription:
    """Transcribe a recording with the process-wide engine."""
    return current_engine().transcribe(audio_path, language)
