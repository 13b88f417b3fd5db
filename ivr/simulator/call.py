"""Drives one call through the IVR as Twilio would: signed posts, TwiML, callbacks, fallback."""

from __future__ import annotations

import secrets
import time
import xml.etree.ElementTree as ET
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import httpx
import soundfile
from twilio.request_validator import RequestValidator

from ivr.simulator.agent_verbs import HUNG_UP, AgentVerbs
from ivr.simulator.media import StreamResult
from ivr.simulator.network import Leg, Network
from ivr.simulator.recordings import RecordingServer

WEBHOOK_TIMEOUT_SECONDS = 15.0  # Twilio gives up on a webhook after 15 s
MAX_DOCUMENTS = 60  # a call that fetches more TwiML than this is stuck in a loop
HTTP_RETRIEVAL_FAILURE = "11200"


class SimulationError(RuntimeError):
    """The IVR did something Twilio would refuse (bad TwiML, endless loop)."""


@dataclass
class Script:
    """What the simulated caller does: keys at each Gather, audio at each Record."""

    keys: list[str | None] = field(default_factory=list)  # None = silence
    recordings: list[Path | None] = field(default_factory=list)  # None = says nothing
    hang_up_after_record: bool = False
    # In the agent queue: how many hold loops the caller sits through, seconds per loop, and
    # how the wait ends if the IVR does not send them to voicemail first.
    queue_waits: int = 2
    queue_wait_seconds: int = 30
    queue_result: str = "hangup"  # bridged | hangup
    hang_up_when_keys_run_out: bool = False
    # With a simulated network (agent-first): what the caller says to a person, how long they
    # stay once connected (None: until the other side hangs up), the key they press after
    # `press_after` seconds on hold, and how long they hold at most before hanging up.
    talk: Path | None = None
    stay: float | None = None
    press_on_hold: str | None = None
    press_after: float = 0.0
    hold_limit: float = 120.0


@dataclass
class CallResult:
    """What happened on the call."""

    call_sid: str
    said: list[str] = field(default_factory=list)
    requests: list[tuple[str, int]] = field(default_factory=list)
    recording_sids: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    used_fallback: bool = False
    queue_results: list[str] = field(default_factory=list)
    ended_at: float = 0.0
    conferences: list[str] = field(default_factory=list)  # names joined
    streams: list[StreamResult] = field(default_factory=list)
    recording_callbacks: list[str] = field(default_factory=list)  # RecordingSids posted
    held_seconds: float = 0.0

    def heard(self, text: str) -> bool:
        """Did the caller hear a prompt containing `text`?"""
        return any(text in line for line in self.said)


@dataclass
class NumberConfig:
    """The Twilio phone number's webhook settings."""

    voice_url: str
    status_callback: str | None = None
    fallback_url: str | None = None

    @classmethod
    def for_base(cls, base_url: str) -> NumberConfig:
        """The settings the README tells operators to enter, under one base URL."""
        base = base_url.rstrip("/")
        return cls(f"{base}/ivr/voice", f"{base}/ivr/status", f"{base}/ivr/fallback")


class SimulatedCall(AgentVerbs):
    """One inbound call from `caller` to `number`, following the IVR's TwiML."""

    def __init__(
        self,
        *,
        config: NumberConfig,
        auth_token: str,
        account_sid: str,
        recordings: RecordingServer,
        caller: str = "+8613800000000",
        number: str = "+861012345",
        timeout: float = WEBHOOK_TIMEOUT_SECONDS,
        deliveries: int = 1,
        direction: str = "inbound",
        extra_params: dict[str, str] | None = None,
        network: Network | None = None,
        leg: Leg | None = None,
        realtime: bool = False,
    ) -> None:
        self.config = config
        self.validator = RequestValidator(auth_token)
        self.account_sid = account_sid
        self.recordings = recordings
        self.caller = caller
        self.number = number
        self.timeout = timeout
        self.deliveries = deliveries
        self.direction = direction
        self.extra_params = extra_params or {}
        self.call_sid = leg.sid if leg else "CA" + secrets.token_hex(16)
        self.started = time.monotonic()
        self.auth_token = auth_token
        self.realtime = realtime
        self.network = network
        self.leg = leg
        if network is not None and leg is None:
            self.leg = network.add_leg(
                Leg(
                    self.call_sid,
                    to=number,
                    from_=caller,
                    direction=direction,
                    status="in-progress",
                )
            )
        self.stream: ET.Element | None = None  # <Stream> started on this call
        self.recording: ET.Element | None = None  # <Recording> started on this call

    def _params(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        params = {
            "AccountSid": self.account_sid,
            "ApiVersion": "2010-04-01",
            "CallSid": self.call_sid,
            "CallStatus": "in-progress",
            "Direction": self.direction,
            "From": self.caller,
            "To": self.number,
            "Caller": self.caller,
            "Called": self.number,
        }
        params.update(self.extra_params)
        params.update(extra or {})
        return params

    def post(self, client: httpx.Client, url: str, params: dict[str, str]) -> httpx.Response:
        """POST a form signed exactly as Twilio signs it."""
        signature = self.validator.compute_signature(url, params)
        return client.post(url, data=params, headers={"X-Twilio-Signature": signature})

    def _fetch_twiml(
        self, client: httpx.Client, url: str, params: dict[str, str], result: CallResult
    ) -> tuple[str, ET.Element] | None:
        try:
            response = self.post(client, url, params)
            result.requests.append((url, response.status_code))
            if response.status_code != 200:
                raise SimulationError(f"{url} answered HTTP {response.status_code}")
            return url, ET.fromstring(response.text)
        except (httpx.HTTPError, ET.ParseError, SimulationError) as error:
            result.errors.append(f"{url}: {error}")
            if not self.config.fallback_url or url == self.config.fallback_url:
                return None
            result.used_fallback = True
            fallback_params = dict(params, ErrorCode=HTTP_RETRIEVAL_FAILURE, ErrorUrl=url)
            return self._fetch_twiml(client, self.config.fallback_url, fallback_params, result)

    def _callback(self, client: httpx.Client, url: str, params: dict[str, str]) -> None:
        for _ in range(self.deliveries):
            try:
                self.post(client, url, params)
            except httpx.HTTPError:
                pass  # Twilio logs a failed callback and moves on

    def run(self, script: Script) -> CallResult:
        """Place the call and follow the IVR until it hangs up; then send the status callback."""
        result = CallResult(self.call_sid)
        keys: deque[str | None] = deque(script.keys)
        audio: deque[Path | None] = deque(script.recordings)
        with httpx.Client(timeout=self.timeout) as client:
            document = self._fetch_twiml(client, self.config.voice_url, self._params(), result)
            for _ in range(MAX_DOCUMENTS):
                if document is None:
                    break
                document = self._follow(client, document, keys, audio, script, result)
            else:
                raise SimulationError(f"more than {MAX_DOCUMENTS} TwiML documents on one call")
            result.ended_at = time.monotonic()
            if self.leg is not None:
                self.leg.hung_up.set()
                if self.network is not None:
                    self.network.leave(self.leg)
            if self.config.status_callback:
                duration = str(int(result.ended_at - self.started))
                status = self._params({"CallStatus": "completed", "CallDuration": duration})
                self._callback(client, self.config.status_callback, status)
            if self.recording is not None:
                self._post_recording(client, result)
        return result

    def _follow(
        self,
        client: httpx.Client,
        document: tuple[str, ET.Element],
        keys: deque[str | None],
        audio: deque[Path | None],
        script: Script,
        result: CallResult,
    ) -> tuple[str, ET.Element] | None:
        url, root = document
        if root.tag != "Response":
            raise SimulationError(f"{url} returned <{root.tag}>, not <Response>")
        for verb in root:
            if verb.tag == "Say":
                result.said.append(verb.text or "")
            elif verb.tag in ("Play", "Pause"):
                continue
            elif verb.tag == "Gather":
                result.said.extend(child.text or "" for child in verb if child.tag == "Say")
                if not keys and script.hang_up_when_keys_run_out:
                    return None
                pressed = keys.popleft() if keys else None
                if pressed or verb.get("actionOnEmptyResult") == "true":
                    action = urljoin(url, verb.get("action") or url)
                    params = self._params({"Digits": pressed or "", "FinishedOnKey": ""})
                    return self._fetch_twiml(client, action, params, result)
            elif verb.tag == "Record":
                next_document = self._record(client, url, verb, audio, result)
                if script.hang_up_after_record and next_document is not None:
                    return None
                if next_document is not None:
                    return next_document
            elif verb.tag == "Redirect":
                return self._fetch_twiml(
                    client, urljoin(url, verb.text or url), self._params(), result
                )
            elif verb.tag in ("Hangup", "Reject"):
                return None
            elif verb.tag == "Enqueue":
                if self.network is not None:
                    return self._hold(client, url, verb, script, result)
                return self._enqueue(client, url, verb, script, result)
            elif verb.tag == "Start" and self.network is not None:
                self.stream = (
                    verb.find("Stream") if verb.find("Stream") is not None else self.stream
                )
                found = verb.find("Recording")
                self.recording = found if found is not None else self.recording
            elif verb.tag == "Dial" and self.network is not None:
                own_script = script if self.leg is None or self.leg.script is None else None
                outcome = self._conference(client, url, verb, own_script, result)
                if outcome == HUNG_UP:
                    return None
                if outcome:
                    return self._fetch_twiml(client, outcome, self._params(), result)
            elif verb.tag == "Leave":
                continue  # only meaningful in a wait URL, handled there
            else:
                raise SimulationError(f"<{verb.tag}> is not simulated")
        return None

    def _enqueue(
        self,
        client: httpx.Client,
        url: str,
        verb: ET.Element,
        script: Script,
        result: CallResult,
    ) -> tuple[str, ET.Element] | None:
        """Sit in the queue: fetch the wait URL each loop, then post the queue result."""
        outcome, waited = script.queue_result, 0
        wait_url = verb.get("waitUrl")
        for loop in range(script.queue_waits):
            waited = loop * script.queue_wait_seconds
            if not wait_url:
                continue
            params = self._params(
                {"QueuePosition": "1", "QueueTime": str(waited), "QueueSid": "QU" + "0" * 32}
            )
            document = self._fetch_twiml(client, urljoin(url, wait_url), params, result)
            if document is None:
                break
            for child in document[1]:
                if child.tag == "Say":
                    result.said.append(child.text or "")
                elif child.tag == "Leave":
                    outcome = "leave"
            if outcome == "leave":
                break
        result.queue_results.append(outcome)
        action = urljoin(url, verb.get("action") or url)
        params = self._params({"QueueResult": outcome, "QueueTime": str(waited)})
        document = self._fetch_twiml(client, action, params, result)
        return None if outcome == "hangup" else document

    def _record(
        self,
        client: httpx.Client,
        url: str,
        verb: ET.Element,
        audio: deque[Path | None],
        result: CallResult,
    ) -> tuple[str, ET.Element] | None:
        path = audio.popleft() if audio else None
        events = (verb.get("recordingStatusCallbackEvent") or "completed").split()
        status_url = verb.get("recordingStatusCallback")
        if path is None:
            # Twilio skips the action when nothing was recorded and carries on with the next verb.
            if status_url and "absent" in events:
                sid = "RE" + secrets.token_hex(16)
                params = self._params({"RecordingSid": sid, "RecordingStatus": "absent"})
                self._callback(client, urljoin(url, status_url), params)
            return None
        sid, recording_url = self.recordings.add(path)
        result.recording_sids.append(sid)
        info = soundfile.info(str(path))
        max_length = float(verb.get("maxLength") or 3600)
        duration = str(int(round(min(info.duration, max_length))))
        details = {
            "RecordingSid": sid,
            "RecordingUrl": recording_url,
            "RecordingDuration": duration,
        }
        action = urljoin(url, verb.get("action") or url)
        next_document = self._fetch_twiml(
            client, action, self._params(dict(details, Digits="#")), result
        )
        if status_url and "completed" in events:
            params = self._params(dict(details, RecordingStatus="completed", RecordingChannels="1"))
            self._callback(client, urljoin(url, status_url), params)
        return next_document
