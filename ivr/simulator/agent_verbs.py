"""What a simulated call does on an agent-first line: hold with a wait URL, join a conference,
stream its audio, and hand over a dual-channel recording when it ends."""

from __future__ import annotations

import queue
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import httpx
import numpy as np
import soundfile

from ivr.simulator.media import MediaStreamClient, load_8k
from ivr.simulator.network import Leg, Network
from ivr.simulator.recordings import RecordingServer

if TYPE_CHECKING:
    from ivr.simulator.call import CallResult, Script

HOLD_LOOP_SECONDS = 0.5  # one pass of hold music, shortened for simulation
HUNG_UP = "hung-up"
SAMPLE_RATE = 8000


class AgentVerbs:
    """<Enqueue> on a live network, <Start><Stream>/<Recording> and <Dial><Conference>."""

    network: Network | None
    leg: Leg | None
    stream: ET.Element | None
    recording: ET.Element | None
    realtime: bool
    auth_token: str
    account_sid: str
    call_sid: str
    recordings: RecordingServer
    _heard: np.ndarray | None = None

    def _fetch_twiml(
        self, client: httpx.Client, url: str, params: dict[str, str], result: CallResult
    ) -> tuple[str, ET.Element] | None:
        raise NotImplementedError

    def _params(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        raise NotImplementedError

    def _callback(self, client: httpx.Client, url: str, params: dict[str, str]) -> None:
        raise NotImplementedError

    def _redirected(self, timeout: float = 0.0) -> str | None:
        assert self.leg is not None
        try:
            return (
                self.leg.redirects.get(timeout=timeout)
                if timeout
                else self.leg.redirects.get_nowait()
            )
        except queue.Empty:
            return None

    def _hold(
        self,
        client: httpx.Client,
        url: str,
        verb: ET.Element,
        script: Script,
        result: CallResult,
    ) -> tuple[str, ET.Element] | None:
        """Hold in real time: loop the wait URL, press a key if scripted, obey REST redirects."""
        assert self.leg is not None
        wait_url = urljoin(url, verb.get("waitUrl") or "")
        action = urljoin(url, verb.get("action") or url)
        began, pressed = time.monotonic(), False
        while True:
            held = time.monotonic() - began
            result.held_seconds = held
            redirect = self._redirected()
            if redirect:
                result.queue_results.append("redirected")
                return self._fetch_twiml(client, urljoin(url, redirect), self._params(), result)
            if self.leg.hung_up.is_set():
                return None
            if held >= script.hold_limit:
                result.queue_results.append("hangup")
                params = self._params({"QueueResult": "hangup", "QueueTime": str(int(held))})
                self._fetch_twiml(client, action, params, result)
                return None
            params = self._params(
                {"QueuePosition": "1", "QueueTime": str(int(held)), "QueueSid": "QU" + "0" * 32}
            )
            document = self._fetch_twiml(client, wait_url, params, result)
            if document is None:
                return None
            leave = False
            music = False
            for child in document[1]:
                if child.tag == "Say":
                    result.said.append(child.text or "")
                elif child.tag == "Gather":
                    result.said.extend(s.text or "" for s in child if s.tag == "Say")
                    due = script.press_on_hold and not pressed and held >= script.press_after
                    if due:
                        pressed = True
                        target = urljoin(wait_url, child.get("action") or wait_url)
                        answer = self._fetch_twiml(
                            client,
                            target,
                            self._params({"Digits": script.press_on_hold or ""}),
                            result,
                        )
                        leave = answer is not None and any(c.tag == "Leave" for c in answer[1])
                elif child.tag == "Leave":
                    leave = True
                elif child.tag in ("Play", "Pause"):
                    music = True
                if leave:
                    break
            if leave:
                result.queue_results.append("leave")
                params = self._params({"QueueResult": "leave", "QueueTime": str(int(held))})
                return self._fetch_twiml(client, action, params, result)
            redirect = self._redirected(HOLD_LOOP_SECONDS if music else 0.1)
            if redirect:
                self.leg.redirects.put(redirect)  # taken at the top of the next loop

    def _conference(
        self,
        client: httpx.Client,
        url: str,
        verb: ET.Element,
        script: Script | None,
        result: CallResult,
    ) -> str | None:
        """Join the conference named in <Dial>; return a redirect URL, HUNG_UP, or None when
        the conference ended and the TwiML goes on."""
        assert self.network is not None and self.leg is not None
        room = verb.find("Conference")
        if room is None or not room.text:
            return None
        leg = self.leg
        if script is not None and script.talk is not None:
            leg.voice = load_8k(script.talk)
        leg.label = room.get("participantLabel") or leg.label
        conference = self.network.join(
            leg,
            room.text,
            start_on_enter=room.get("startConferenceOnEnter", "true") == "true",
            end_on_exit=room.get("endConferenceOnExit") == "true",
            callback=urljoin(url, room.get("statusCallback"))
            if room.get("statusCallback")
            else None,
            events=tuple((room.get("statusCallbackEvent") or "").split()),
        )
        result.conferences.append(room.text)
        own = leg.voice if leg.voice is not None else np.zeros(0, dtype=np.int16)
        voices = [o.voice for o in conference.heard_by(leg) if o.voice is not None]
        heard = np.concatenate([np.zeros(len(own), dtype=np.int16), *voices])
        self._heard = heard
        done = threading.Event()
        streamer = None
        if self.stream is not None and self.stream.get("url"):
            streamer = self._start_stream(self.stream, own, heard, done, result)
        if script is not None:
            stay = script.stay
        else:
            stay = leg.script.talk if leg.script is not None else None
        why, redirect = self.network.wait_in(leg, stay)
        done.set()
        if streamer is not None:
            streamer.join(timeout=120)
        if why == "redirected":
            return redirect
        if why in ("hung-up", "left"):
            return HUNG_UP
        return None

    def _start_stream(
        self,
        stream: ET.Element,
        own: np.ndarray,
        heard: np.ndarray,
        done: threading.Event,
        result: CallResult,
    ) -> threading.Thread:
        client = MediaStreamClient(
            url=stream.get("url") or "",
            auth_token=self.auth_token,
            account_sid=self.account_sid,
            call_sid=self.call_sid,
            parameters={
                p.get("name") or "": p.get("value") or "" for p in stream.findall("Parameter")
            },
        )

        def run() -> None:
            result.streams.append(client.stream(own, heard, realtime=self.realtime, until=done))

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    def _post_recording(self, client: httpx.Client, result: CallResult) -> None:
        """<Start><Recording channels="dual">: the caller on one channel, what they heard on
        the other, posted to the recording status callback once the call is over."""
        assert self.recording is not None and self.leg is not None
        callback = self.recording.get("recordingStatusCallback")
        if not callback:
            return
        own = self.leg.voice if self.leg.voice is not None else np.zeros(0, dtype=np.int16)
        heard = self._heard if self._heard is not None else np.zeros(0, dtype=np.int16)
        length = max(len(own), len(heard), SAMPLE_RATE)
        stereo = np.zeros((length, 2), dtype=np.int16)
        stereo[: len(own), 0] = own
        stereo[: len(heard), 1] = heard
        with tempfile.NamedTemporaryFile(suffix=".wav", delete=False) as handle:
            path = Path(handle.name)
        soundfile.write(str(path), stereo, SAMPLE_RATE, subtype="PCM_16")
        sid, recording_url = self.recordings.add(path)
        params = self._params(
            {
                "RecordingSid": sid,
                "RecordingUrl": recording_url,
                "RecordingStatus": "completed",
                "RecordingDuration": str(int(round(length / SAMPLE_RATE))),
                "RecordingChannels": "2",
                "RecordingSource": "StartCallRecordingTwiML",
                "RecordingTrack": "both",
            }
        )
        self._callback(client, callback, params)
        result.recording_callbacks.append(sid)
