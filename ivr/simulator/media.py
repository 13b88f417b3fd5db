"""A Media Streams client that sends a call's audio as Twilio does.

Messages follow Twilio's protocol: `connected`, `start` (with the call, tracks and custom
parameters), `media` with base64 20 ms μ-law frames for each track, a `mark`, then `stop`.
The handshake carries X-Twilio-Signature over the stream URL. Real-time pacing on request.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile
from twilio.request_validator import RequestValidator
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from transcription import mulaw
from transcription.live import FRAME_SAMPLES, SAMPLE_RATE

FRAME_SECONDS = FRAME_SAMPLES / SAMPLE_RATE
MAX_HOLD_SECONDS = 600.0


def load_8k(path: Path) -> np.ndarray:
    """A WAV as 8 kHz mono int16 (what a telephone line carries)."""
    data, rate = soundfile.read(str(path), dtype="int16", always_2d=True)
    mono = data.mean(axis=1).astype(np.int16) if data.shape[1] > 1 else data[:, 0]
    if rate == SAMPLE_RATE:
        return np.ascontiguousarray(mono)
    positions = np.arange(0, len(mono), rate / SAMPLE_RATE)
    return np.interp(positions, np.arange(len(mono)), mono).astype(np.int16)


@dataclass
class StreamResult:
    """What was sent and when."""

    stream_sid: str
    frames_sent: int = 0
    started_at: float = 0.0
    stopped_at: float = 0.0
    closed_by_server: bool = False
    close_code: int | None = None
    sent_at: list[float] = field(default_factory=list)  # monotonic time of each 20 ms step


class MediaStreamClient:
    """One call's stream to the hotline."""

    def __init__(
        self,
        *,
        url: str,
        auth_token: str,
        account_sid: str,
        call_sid: str,
        parameters: dict[str, str] | None = None,
        signature: str | None = None,
    ) -> None:
        self.url = url
        self.account_sid = account_sid
        self.call_sid = call_sid
        self.parameters = parameters or {}
        self.stream_sid = "MZ" + secrets.token_hex(16)
        self.signature = (
            signature
            if signature is not None
            else RequestValidator(auth_token).compute_signature(url, {})
        )
        self.sequence = 0

    def open(self) -> ClientConnection:
        """The WebSocket, signed as Twilio signs it."""
        return connect(self.url, additional_headers={"X-Twilio-Signature": self.signature})

    def _send(self, socket: ClientConnection, event: str, **body: object) -> None:
        self.sequence += 1
        message: dict[str, object] = {"event": event, **body}
        if event != "connected":
            message["sequenceNumber"] = str(self.sequence)
            message["streamSid"] = self.stream_sid
        socket.send(json.dumps(message))

    def start(self, socket: ClientConnection) -> None:
        """`connected` then `start`, as Twilio opens every stream."""
        socket.send(json.dumps({"event": "connected", "protocol": "Call", "version": "1.0.0"}))
        self._send(
            socket,
            "start",
            start={
                "streamSid": self.stream_sid,
                "accountSid": self.account_sid,
                "callSid": self.call_sid,
                "tracks": ["inbound", "outbound"],
                "customParameters": self.parameters,
                "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1},
            },
        )

    def media(self, socket: ClientConnection, track: str, chunk: int, samples: np.ndarray) -> None:
        """One 20 ms frame of one track."""
        payload = base64.b64encode(mulaw.encode(samples)).decode()
        timestamp = str(int((chunk - 1) * FRAME_SECONDS * 1000))
        self._send(
            socket,
            "media",
            media={"track": track, "chunk": str(chunk), "timestamp": timestamp, "payload": payload},
        )

    def stop(self, socket: ClientConnection) -> None:
        """`mark` for the end of the audio, then `stop`."""
        self._send(socket, "mark", mark={"name": "audio-end"})
        self._send(socket, "stop", stop={"accountSid": self.account_sid, "callSid": self.call_sid})

    def stream(
        self,
        inbound: np.ndarray,
        outbound: np.ndarray | None = None,
        *,
        realtime: bool = False,
        during: Callable[[int], None] | None = None,
        until: threading.Event | None = None,
    ) -> StreamResult:
        """Send both tracks frame by frame, then (if given) wait for `until`, then stop;
        `during(step)` runs after each 20 ms step."""
        outbound = outbound if outbound is not None else np.zeros(0, dtype=np.int16)
        steps = max(len(inbound), len(outbound)) // FRAME_SAMPLES + 1
        result = StreamResult(self.stream_sid)
        silence = np.zeros(FRAME_SAMPLES, dtype=np.int16)
        try:
            with self.open() as socket:
                self.start(socket)
                result.started_at = time.monotonic()
                for step in range(steps):
                    if realtime:
                        delay = result.started_at + step * FRAME_SECONDS - time.monotonic()
                        if delay > 0:
                            time.sleep(delay)
                    for track, audio in (("inbound", inbound), ("outbound", outbound)):
                        frame = audio[step * FRAME_SAMPLES : (step + 1) * FRAME_SAMPLES]
                        if len(frame) < FRAME_SAMPLES:
                            frame = np.concatenate([frame, silence[: FRAME_SAMPLES - len(frame)]])
                        self.media(socket, track, step + 1, frame)
                    result.frames_sent += 2
                    result.sent_at.append(time.monotonic())
                    if during is not None:
                        during(step)
                if until is not None:
                    until.wait(timeout=MAX_HOLD_SECONDS)  # the call goes on after the audio
                self.stop(socket)
                result.stopped_at = time.monotonic()
                try:
                    socket.recv(timeout=30)
                except ConnectionClosed as closed:
                    result.closed_by_server = True
                    result.close_code = closed.rcvd.code if closed.rcvd else None
                except TimeoutError:
                    pass
        except ConnectionClosed as closed:
            result.closed_by_server = True
            result.close_code = closed.rcvd.code if closed.rcvd else None
        return result
