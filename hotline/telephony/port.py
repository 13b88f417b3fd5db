"""The telephony interface and its two adapters: Twilio and the local simulator."""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from hotline.core.settings import Settings
from hotline.telephony.download import FetchedRecording, download, media_url
from hotline.telephony.errors import TelephonyError
from hotline.telephony.voice import AgentCalls, Join

REST_TIMEOUT_SECONDS = 15.0
RESIDENT_PLUGINS = "hotline.residents"
RING_SECONDS = 30
CLOCK_SKEW = timedelta(seconds=10)  # between a host's clock and the carrier's
LOOKUP_LIMIT = 50  # the newest messages or calls to one number that a look-up reads
__all__ = ["Join", "Telephony", "TelephonyError", "make_telephony"]


CARRIER_FILE = "carrier.url"  # written by the call simulator's carrier while it runs


def taken_after(created: datetime | None, since: datetime) -> bool:
    """Whether the carrier's creation time falls after `since`, allowing for clock skew."""
    return created is not None and created >= since - CLOCK_SKEW


def carrier_url(settings: Settings) -> str | None:
    """The simulated carrier's REST address for this data directory, if one is running."""
    try:
        return (settings.data_dir / "simulator" / CARRIER_FILE).read_text().strip() or None
    except OSError:
        return None


class Telephony(Protocol):
    """What the hotline needs from a phone network."""

    def fetch_recording(self, url: str, destination: Path) -> FetchedRecording:
        """Save a call recording locally."""
        ...

    def send_sms(self, to: str, body: str) -> str:
        """Send a text message; returns the provider's message SID."""
        ...

    def find_sms(self, to: str, body: str, since: datetime) -> str | None:
        """The SID of this text to `to` if the carrier took it after `since` (a crashed send)."""
        ...

    def find_call(self, to: str, since: datetime) -> str | None:
        """The SID of a call to `to` from the hotline placed after `since` (a crashed dial)."""
        ...

    def ring_agent(self, phone: str, url: str, status_callback: str, timeout: int) -> str:
        """Ring an agent's number or SIP address; `url` answers with TwiML; returns the CallSid."""
        ...

    def redirect_call(self, call_sid: str, url: str) -> None:
        """Send a live call to new TwiML (a caller off hold into a conference)."""
        ...

    def hang_up(self, call_sid: str, ringing: bool) -> None:
        """End a leg: cancel it while it rings, complete it once answered."""
        ...

    def add_participant(self, conference: str, phone: str, join: Join) -> str:
        """Dial someone into a conference (by name or ConferenceSid); returns their CallSid."""
        ...

    def update_participant(self, conference_sid: str, call_sid: str, join: Join) -> None:
        """Change how a participant takes part (muted, coaching)."""
        ...

    def place_call(self, to: str, url: str, status_callback: str, detect_machine: bool) -> str:
        """Call a resident; the call fetches `url` when answered; returns the call SID."""
        ...

    def delete_recording(self, recording_sid: str) -> bool:
        """Delete the carrier's copy; False if it had none (already deleted)."""
        ...


class _Recordings(AgentCalls):
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: object | None = None

    def rest_base_url(self) -> str | None:
        """Where REST requests go: Twilio itself unless overridden."""
        return self.settings.twilio_api_base_url

    def client(self) -> Any:
        """The REST client, created on first use (no connection at import or start-up)."""
        if self._client is None:
            from hotline.telephony.rest import make_client

            self._client = make_client(
                self.settings.twilio_account_sid,
                self.settings.twilio_auth_token,
                self.rest_base_url(),
                timeout=REST_TIMEOUT_SECONDS,
            )
        return self._client

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

    def delete_recording(self, recording_sid: str) -> bool:
        """recordings(sid).delete(); a 404 means Twilio holds no copy (any more)."""
        from twilio.base.exceptions import TwilioException, TwilioRestException

        try:
            return bool(self.client().recordings(recording_sid).delete())
        except TwilioRestException as error:
            if error.status == 404:
                return False
            raise TelephonyError(f"Twilio refused to delete {recording_sid}: {error}") from error
        except TwilioException as error:
            raise TelephonyError(f"Twilio refused to delete {recording_sid}: {error}") from error


class TwilioTelephony(_Recordings):
    """Twilio through the official `twilio` REST client."""

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
            call = self.client().calls.create(**options)
        except TwilioException as error:
            raise TelephonyError(f"Twilio refused the call to {to}: {error}") from error
        return str(call.sid)

    def send_sms(self, to: str, body: str) -> str:
        """messages.create from the hotline's number."""
        from twilio.base.exceptions import TwilioException

        try:
            message = self.client().messages.create(
                to=to, from_=self.settings.twilio_number, body=body
            )
        except TwilioException as error:
            raise TelephonyError(f"Twilio refused the SMS to {to}: {error}") from error
        return str(message.sid)

    def find_sms(self, to: str, body: str, since: datetime) -> str | None:
        """messages.list to this number from ours, newest first; same body, created since."""
        for message in self._newest_to(self.client().messages, to, "texts"):
            if message.body == body and taken_after(message.date_created, since):
                return str(message.sid)
        return None

    def find_call(self, to: str, since: datetime) -> str | None:
        """calls.list to this number from ours, newest first; created since."""
        for call in self._newest_to(self.client().calls, to, "calls"):
            if taken_after(call.date_created, since):
                return str(call.sid)
        return None

    def _newest_to(self, resource: Any, to: str, what: str) -> list[Any]:
        """The newest LOOKUP_LIMIT records of a list resource from our number to `to`."""
        from twilio.base.exceptions import TwilioException

        try:
            return list(resource.list(to=to, from_=self.settings.twilio_number, limit=LOOKUP_LIMIT))
        except TwilioException as error:
            raise TelephonyError(f"Twilio could not list the {what} to {to}: {error}") from error


class SimulatorTelephony(_Recordings):
    """The local simulator: recordings over loopback HTTP, SMS appended to a JSON-lines file,
    agent calls and conferences through the simulated carrier's Twilio-shaped REST API."""

    _lock = threading.Lock()

    def rest_base_url(self) -> str | None:
        """The configured override, else the carrier running for this data directory."""
        return self.settings.twilio_api_base_url or carrier_url(self.settings)

    def client(self) -> Any:
        """The REST client aimed at the simulated carrier (refused when none runs)."""
        if self.rest_base_url() is None:
            raise TelephonyError(
                "no simulated carrier is running for this data directory "
                "(the demo and `hotline simulate-call` start one)"
            )
        return super().client()

    def delete_recording(self, recording_sid: str) -> bool:
        """The simulated carrier's copy, if one runs (without one there is no other copy)."""
        if self.rest_base_url() is None:
            return False
        return super().delete_recording(recording_sid)

    @property
    def sms_log(self) -> Path:
        """Where simulated SMS are written, one JSON object per line."""
        return self.settings.data_dir / "simulator" / "sms.jsonl"

    def send_sms(self, to: str, body: str) -> str:
        """Append the message to the log and return a Twilio-shaped SID."""
        sid = "SM" + secrets.token_hex(16)
        self.sms_log.parent.mkdir(parents=True, exist_ok=True)
        entry = {"sid": sid, "to": to, "from": self.settings.twilio_number, "body": body}
        line = json.dumps(entry | {"date_created": now_text()}, ensure_ascii=False)
        with self._lock, self.sms_log.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        return sid

    def find_sms(self, to: str, body: str, since: datetime) -> str | None:
        """The newest matching line of the SMS log."""
        for entry in _newest_first(self.sms_log):
            created = _instant(entry.get("date_created"))
            if entry.get("to") == to and entry.get("body") == body and taken_after(created, since):
                return str(entry["sid"])
        return None

    @property
    def call_log(self) -> Path:
        """Where simulated outbound calls are written, one JSON object per line."""
        return self.settings.data_dir / "simulator" / "outbound.jsonl"

    def find_call(self, to: str, since: datetime) -> str | None:
        """The newest matching line of the outbound call log."""
        for entry in _newest_first(self.call_log):
            if entry.get("to") == to and taken_after(_instant(entry.get("date_created")), since):
                return str(entry["sid"])
        return None

    def place_call(self, to: str, url: str, status_callback: str, detect_machine: bool) -> str:
        """Hand the call to the simulated resident registered under `hotline.residents`."""
        from importlib.metadata import entry_points

        found = entry_points(group=RESIDENT_PLUGINS)
        if not found:
            raise TelephonyError("no simulated resident is installed (hotline.residents)")
        resident = next(iter(found)).load()
        return str(resident(self.settings, to, url, status_callback, detect_machine))


def now_text() -> str:
    """The carrier's creation time of a simulated message or call."""
    return datetime.now(UTC).isoformat()


def _instant(text: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def _newest_first(log: Path) -> Iterator[dict[str, Any]]:
    try:
        lines = log.read_text("utf-8").splitlines()
    except FileNotFoundError:
        return
    for line in reversed(lines[-10_000:]):
        if line.strip():
            yield json.loads(line)


def make_telephony(settings: Settings) -> Telephony:
    """The adapter chosen by HOTLINE_TELEPHONY."""
    if settings.telephony == "twilio":
        return TwilioTelephony(settings)
    return SimulatorTelephony(settings)
