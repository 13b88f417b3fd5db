"""Offline speech-to-text with Vosk: audio decoding, engine and model registry."""

from transcription.engine import VoskEngine, transcribe
from transcription.result import Transcription

__all__ = ["Transcription", "VoskEngine", "transcribe"]
