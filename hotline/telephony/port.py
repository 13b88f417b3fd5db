"""The telephony interface and its two adapters: Twilio and the local simulator."""

from __future__ import annotations

import json
import secrets
import threading
from pathlib import Path
from typing import Protocol

from hotline.core.settings import Settings
from hotline.telephony.download import FetchedRecording, download, media_url

REST_TIMEOUT_SECONDS = 15.0
RESIDENT_PLUGINS = "hotline.residents"
RING_SECONDS = 30


def dial_queue(queue_name: str) -> str:
    """TwiML for the agent's leg: bridge to the caller at the front of the queue."""
    from twilio.twiml.voice_response import Dial, VoiceResponse

    response = VoiceResponse()
    dial = Dial()
    dial.queue(queue_name)
    response.append(dial)
    return str(response)


class TelephonyError(RuntimeError):
    """The provider refused or failed a request; the message says why."""


class Telephony(Protocol):
    """What the hotline needs from a phone network."""

    def fetch_recording(self, url: str, destination: Path) -> FetchedRecording:
        """Save a call recording locally."""
        ...

    def send_sms(self, to: str, body: str) -> str:
        """Send a text message; returns the provider's message SID."""
        ...

    def connect_agent(self, agent_number: str, queue_name: str) -> str:
        """Ring an agent and bridge them to the front of a queue; returns the call SID."""
        ...

    def place_call(self, to: str, url: str, status_callback: str, detect_machine: bool) -> str:
        """Call a resident; the call fetches `url` when answered; returns the call SID."""
        ...


class _Recordings:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def fetch_recording(self, url: str, destination: Path) -> FetchedRecording:
        """Download the WAV rendition of a recording with the account's basic auth."""
        return download(
            media_url(url),
            destination,
            auth=(self.settings.twilio_account_sid, self.settings.twilio_auth_token),
            allowed_hosts=self.settings.recording_hosts,
            max_bytes=self.settings.recording_max_bytes,
            timeout=self.settings.recording_timeout_seconds,
        )


class TwilioTelephony(_Recordings):
    """Twilio through the official `twilio` REST client."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._client: object | None = None

    def client(self) -> object:
        """The REST client, created on first use (no connection at import or start-up)."""
        if self._client is None:
            from hotline.telephony.rest import make_client

            self._client = make_client(
                self.settings.twilio_account_sid,
                self.settings.twilio_auth_token,
                self.settings.twilio_api_base_url,
                timeout=REST_TIMEOUT_SECONDS,
            )
        return self._client

    def place_call(self, to: str, url: str, status_callback: str, detect_machine: bool) -> str:
        """calls.create with the survey URL, status events and answering-machine detection."""
        from twilio.base.exceptions import TwilioException

        options: dict[str, object] = {
            "to": to,
            "from_": self.settings.twilio_number,
            "url": url,
            "method": "POST",
            "status_callback": status_callback,
            "status_callback_method": "POST",
            "status_callback_event": ["initiated", "ringing", "answered", "completed"],
            "timeout": RING_SECONDS,
        }
        if detect_machine:
            options["machine_detection"] = "Enable"
        try:
            call = self.client().calls.create(**options)  # type: ignore[attr-defined]
        except TwilioException as error:
            raise TelephonyError(f"Twilio refused the call to {to}: {error}") from error
        return str(call.sid)

    def send_sms(self, to: str, body: str) -> str:
        """messages.create from the hotline's number."""
        from twilio.base.exceptions import TwilioException

        try:
            message = self.client().messages.create(  # type: ignore[attr-defined]
                to=to, from_=self.settings.twilio_number, body=body
            )
        except TwilioException as error:
            raise TelephonyError(f"Twilio refused the SMS to {to}: {error}") from error
        return str(message.sid)

    def connect_agent(self, agent_number: str, queue_name: str) -> str:
        """calls.create to the agent with TwiML that dequeues the longest-waiting caller."""
        from twilio.base.exceptions import TwilioException

        try:
            call = self.client().calls.create(  # type: ignore[attr-defined]
                to=agent_number, from_=self.settings.twilio_number, twiml=dial_queue(queue_name)
            )
        except TwilioException as error:
            raise TelephonyError(f"Twilio could not ring {agent_number}: {error}") from error
        return str(call.sid)


class SimulatorTelephony(_Recordings):
    """The local simulator: recordings over loopback HTTP, SMS appended to a JSON-lines file."""

    _lock = threading.Lock()

    @property
    def sms_log(self) -> Path:
        """Where simulated SMS are written, one JSON object per line."""
        return self.settings.data_dir / "simulator" / "sms.jsonl"

    def send_sms(self, to: str, body: str) -> str:
        """Append the message to the log and return a Twilio-shaped SID."""
        sid = "SM" + secrets.token_hex(16)
        self.sms_log.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"sid": sid, "to": to, "from": self.settings.twilio_number, "body": body},
            ensure_ascii=False,
        )
        with self._lock, self.sms_log.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        return sid

    @property
    def call_log(self) -> Path:
        """Where simulated outbound calls are written, one JSON object per line."""
        return self.settings.data_dir / "simulator" / "calls.jsonl"

    def connect_agent(self, agent_number: str, queue_name: str) -> str:
        """Log the call that would ring the agent and dequeue the next caller."""
        sid = "CA" + secrets.token_hex(16)
        self.call_log.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"sid": sid, "to": agent_number, "queue": queue_name})
        with self._lock, self.call_log.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        return sid

    def place_call(self, to: str, url: str, status_callback: str, detect_machine: bool) -> str:
        """Hand the call to the simulated resident registered under `hotline.residents`."""
        from importlib.metadata import entry_points

        found = entry_points(group=RESIDENT_PLUGINS)
        if not found:
            raise TelephonyError("no simulated resident is installed (hotline.residents)")
        resident = next(iter(found)).load()
        return str(resident(self.settings, to, url, status_callback, detect_machine))


def make_telephony(settings: Settings) -> Telephony:
    """The adapter chosen by HOTLINE_TELEPHONY."""
    if settings.telephony == "twilio":
        return TwilioTelephony(settings)
    return SimulatorTelephony(settings)
