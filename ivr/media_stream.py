"""Twilio Media Streams: the WebSocket that carries a live call's audio to Vosk.

The handshake must carry a valid X-Twilio-Signature for the configured stream URL; otherwise
it is refused before anything is read or written. Frames are ordered and batched on the event
loop; Vosk and the database run in worker threads, so webhooks are not held up.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.datastructures import State
from twilio.request_validator import RequestValidator

from hotline.core.database import unit_of_work
from hotline.core.errors import NotFound
from hotline.transcripts import live as live_transcripts
from transcription.engine import ModelUnavailable
from transcription.live import BadFrame, LiveTranscriber, Segment, payload_samples

log = logging.getLogger(__name__)
router = APIRouter()
POLICY_VIOLATION = 1008
NORMAL = 1000


def signed(websocket: WebSocket) -> bool:
    """Was the handshake signed by Twilio for our stream URL (no parameters are signed)?"""
    settings = websocket.app.state.settings
    signature = websocket.headers.get("x-twilio-signature", "")
    validator = RequestValidator(settings.twilio_auth_token)
    return bool(signature) and validator.validate(settings.resolved_media_stream_url, {}, signature)


class StreamSession:
    """One stream: who it belongs to, its recognizers, and what went wrong."""

    def __init__(self, state: State) -> None:
        self.state = state
        self.call_sid: str | None = None
        self.stream_id: int | None = None
        self.transcriber: LiveTranscriber | None = None
        self.frames = 0
        self.bad_frames = 0
        self.problem: str | None = None
        self.decoding: dict[str, asyncio.Task[None]] = {}  # at most one per track

    async def handle(self, raw: str) -> bool:
        """Act on one message; False when the stream is over (or refused)."""
        try:
            message = json.loads(raw)
            event = message.get("event") if isinstance(message, dict) else None
        except json.JSONDecodeError:
            event, message = None, {}
        if event == "start":
            return await self._start(message)
        if event == "media" and self.stream_id is not None:
            await self._media(message.get("media"))
            return True
        if event == "stop":
            return False
        if event is None:
            self.bad_frames += 1
        return True  # connected, mark, dtmf, or media before start: nothing to do

    async def _start(self, message: dict[str, Any]) -> bool:
        start = message.get("start") or {}
        call_sid = str(start.get("callSid") or "")
        stream_sid = str(start.get("streamSid") or message.get("streamSid") or "")
        parameters = start.get("customParameters") or {}
        language = str(parameters.get("language") or "zh-CN")[:8]
        if not call_sid or not stream_sid:
            return False
        try:
            self.stream_id = await anyio.to_thread.run_sync(
                self._open, call_sid, stream_sid, language
            )
        except NotFound as error:
            log.warning("media stream refused: %s", error)
            return False
        self.call_sid = call_sid
        self.transcriber = LiveTranscriber(self.state.live_engine, language)
        return True

    def _open(self, call_sid: str, stream_sid: str, language: str) -> int:
        with unit_of_work(self.state.sessions) as session:
            stream = live_transcripts.start_stream(
                session=session,
                clock=self.state.clock,
                call_sid=call_sid,
                stream_sid=stream_sid,
                language=language,
            )
            return stream.id

    async def _media(self, media: Any) -> None:
        assert self.transcriber is not None
        self.frames += 1
        if self.problem is not None and self.problem.startswith("no Vosk"):
            return  # no model for this language: keep the call, skip the work
        try:
            if not isinstance(media, dict):
                raise BadFrame("media without a body")
            track = str(media.get("track", ""))
            chunk = int(media.get("chunk", 0))
            samples = payload_samples(media.get("payload", ""))
            ready = self.transcriber.queue(track, chunk, samples)
        except (BadFrame, ValueError, TypeError):
            self.bad_frames += 1
            return
        except ModelUnavailable as error:
            await self._note(str(error))
            return
        running = self.decoding.get(track)
        if ready and (running is None or running.done()):
            # Both tracks decode at once, and frames keep arriving meanwhile: a long final
            # result on one track holds up neither the other track nor the socket.
            self.decoding[track] = asyncio.create_task(self._decode(track))

    async def _decode(self, track: str) -> None:
        assert self.transcriber is not None
        try:
            segments = await anyio.to_thread.run_sync(self.transcriber.decode, track)
            if segments:
                await anyio.to_thread.run_sync(self._keep, segments)
        except Exception:  # a failed batch costs its words, not the stream
            log.exception("live decode failed on %s", track)

    def _keep(self, segments: list[Segment]) -> None:
        assert self.call_sid is not None and self.stream_id is not None
        partials = self.state.live_partials
        for segment in segments:
            if segment.final:
                partials.clear(self.call_sid, segment.track)
            else:
                partials.put(
                    self.call_sid,
                    segment.track,
                    {
                        "track": segment.track,
                        "text": segment.text,
                        "start": segment.start,
                        "end": segment.end,
                    },
                )
        if any(segment.final for segment in segments):
            with unit_of_work(self.state.sessions) as session:
                live_transcripts.add_segments(
                    session=session,
                    clock=self.state.clock,
                    stream_id=self.stream_id,
                    segments=segments,
                )

    async def _note(self, problem: str) -> None:
        self.problem = problem
        stream_id = self.stream_id
        assert stream_id is not None

        def note() -> None:
            with unit_of_work(self.state.sessions) as session:
                live_transcripts.note_problem(session=session, stream_id=stream_id, problem=problem)

        await anyio.to_thread.run_sync(note)

    async def close(self) -> None:
        """Flush the recognizers and mark the transcript final."""
        if self.stream_id is None or self.transcriber is None:
            return
        transcriber, stream_id = self.transcriber, self.stream_id
        await asyncio.gather(*self.decoding.values(), return_exceptions=True)
        segments: list[Segment] = []
        if self.problem is None:
            segments = await anyio.to_thread.run_sync(transcriber.finish)
        if self.bad_frames and self.problem is None:
            self.problem = f"{self.bad_frames} media messages could not be read"

        def finish() -> None:
            if segments:
                self._keep(segments)
            with unit_of_work(self.state.sessions) as session:
                live_transcripts.finish_stream(
                    session=session,
                    clock=self.state.clock,
                    stream_id=stream_id,
                    frames=self.frames,
                    problem=self.problem,
                )

        await anyio.to_thread.run_sync(finish)


@router.websocket("/media-stream")
async def media_stream(websocket: WebSocket) -> None:
    """Receive one call's Media Stream and transcribe both tracks as they arrive."""
    if not signed(websocket):
        await websocket.close(code=POLICY_VIOLATION)  # before accept: the handshake gets 403
        return
    await websocket.accept()
    stream = StreamSession(websocket.app.state)
    connected = True
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                connected = False
                break
            text = message.get("text")
            if text is None:
                stream.bad_frames += 1  # Twilio sends text frames only
                continue
            if not await stream.handle(text):
                break
    except WebSocketDisconnect:
        connected = False
    except Exception:  # one broken stream must never take the server down
        log.exception("media stream failed")
    finally:
        await stream.close()
    if connected:
        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
            await websocket.close(code=NORMAL if stream.stream_id else POLICY_VIOLATION)
