"""The telephony interface and its adapters' shared recording fetcher."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from hotline.core.settings import Settings
from hotline.telephony.download import FetchedRecording, download, media_url


class Telephony(Protocol):
    """What the hotline needs from a phone network."""

    def fetch_recording(self, url: str, destination: Path) -> FetchedRecording:
        """Save a call recording locally."""
        ...


class TwilioTelephony:
    """Twilio: recordings fetched from its API with the account's basic auth."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def fetch_recording(self, url: str, destination: Path) -> FetchedRecording:
        """Download the WAV rendition of a Twilio recording."""
        return download(
            media_url(url),
            destination,
            auth=(self.settings.twilio_account_sid, self.settings.twilio_auth_token),
            allowed_hosts=self.settings.recording_hosts,
            max_bytes=self.settings.recording_max_bytes,
            timeout=self.settings.recording_timeout_seconds,
        )


def make_telephony(settings: Settings) -> Telephony:
    """The adapter chosen by HOTLINE_TELEPHONY; the simulator serves Twilio's recording API."""
    return TwilioTelephony(settings)
