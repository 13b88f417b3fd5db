"""Media Streams: signed handshakes, live Vosk transcription of both tracks, bad audio survived."""

from __future__ import annotations

import base64
import json
import threading
import time
from typing import Any

import httpx
import numpy as np
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from websockets.exceptions import ConnectionClosed, InvalidStatus

from hotline.calls import service as calls
from hotline.core.clock import FixedClock
from hotline.queue import service as queue
from hotline.transcripts.models import LiveSegment, LiveStream
from ivr.simulator.media import MediaStreamClient, load_8k
from tests.conftest import ACCOUNT_SID, API_TOKEN, AUTH_TOKEN, FIXTURES, LiveServer
from transcription.engine import VoskEngine

pytestmark = pytest.mark.vosk
AUTH = {"Authorization": f"Bearer {API_TOKEN}"}


def answered_call(sessions: sessionmaker[Session], clock: FixedClock, sid: str) -> None:
    """A caller who waited and whom an agent answered (what a stream may belong to)."""
    with sessions.begin() as session:
        call = calls.get_or_create(
            session=session, clock=clock, call_sid=sid, from_number="+8613700000001", to_number=""
        )
        call.language = "ko"
        entry = queue.enqueue(session=session, clock=clock, call=call)
        queue.answered(entry=entry, clock=clock, agent="kim")


def client(live: LiveServer, sid: str, *, token: str = AUTH_TOKEN) -> MediaStreamClient:
    url = live.app.state.settings.resolved_media_stream_url
    return MediaStreamClient(
        url=url,
        auth_token=token,
        account_sid=ACCOUNT_SID,
        call_sid=sid,
        parameters={"language": "ko", "entry": "1"},
    )


@pytest.fixture
def stream_server(live: LiveServer, speech: VoskEngine) -> LiveServer:
    """The live server, sharing the test run's loaded Korean model."""
    live.app.state.live_engine = speech
    return live


def transcript(live: LiveServer, sid: str) -> dict[str, Any]:
    answer = httpx.get(f"{live.url}/api/v1/calls/{sid}/transcript", headers=AUTH, timeout=5)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def stored(session: Session) -> tuple[int, int]:
    session.rollback()
    streams = session.scalar(select(func.count(LiveStream.id))) or 0
    segments = session.scalar(select(func.count(LiveSegment.id))) or 0
    return streams, segments


@pytest.mark.slow
def test_a_stream_is_transcribed_while_the_caller_speaks(
    stream_server: LiveServer, sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    sid = "CA" + "1" * 32
    answered_call(sessions, clock, sid)
    caller = load_8k(FIXTURES / "ko_water.wav")
    agent = load_8k(FIXTURES / "ko_noise.wav")
    seen: dict[str, float] = {}

    def look(step: int) -> None:
        if step % 10:
            return
        for segment in transcript(stream_server, sid)["segments"]:
            seen.setdefault(segment["track"], time.monotonic())

    # The agent answers after the caller has spoken: outbound audio follows the inbound.
    outbound = np.concatenate([np.zeros(len(caller), dtype=np.int16), agent])
    result = client(stream_server, sid).stream(caller, outbound, realtime=True, during=look)
    assert "inbound" in seen and seen["inbound"] < result.stopped_at  # text before `stop`
    # While the call is live: by the end of the caller's speech, with 1.5 s of slack for a
    # loaded machine's decoding — still long before the agent's 6 s that follow it.
    assert seen["inbound"] - result.started_at < len(caller) / 8000 + 1.5
    deadline = time.monotonic() + 20
    while transcript(stream_server, sid)["status"] != "final" and time.monotonic() < deadline:
        time.sleep(0.2)
    final = transcript(stream_server, sid)
    assert final["status"] == "final"
    segments = final["segments"]
    assert isinstance(segments, list)
    assert {s["track"] for s in segments} == {"inbound", "outbound"}
    assert all(s["final"] for s in segments)
    caller_end = len(caller) / 8000
    for s in segments:  # each line sits on its own track's timeline
        assert s["text"]
        if s["track"] == "inbound":
            assert s["start"] < caller_end
        else:
            assert s["end"] > caller_end
    assert set(final["suggestions"]) >= {"category", "community", "grid", "duplicates"}


def test_a_forged_handshake_is_refused_and_nothing_is_stored(
    stream_server: LiveServer, sessions: sessionmaker[Session], clock: FixedClock, session: Session
) -> None:
    sid = "CA" + "2" * 32
    answered_call(sessions, clock, sid)
    wrong = client(stream_server, sid, token="not-the-auth-token")
    unsigned = client(stream_server, sid)
    unsigned.signature = ""
    for attempt in (wrong, unsigned):
        with pytest.raises(InvalidStatus) as refused:
            attempt.stream(np.zeros(1600, dtype=np.int16))
        assert refused.value.response.status_code == 403
    assert stored(session) == (0, 0)


def test_a_stream_for_a_call_no_agent_took_is_closed_unstored(
    stream_server: LiveServer, session: Session
) -> None:
    result = client(stream_server, "CA" + "3" * 32).stream(np.zeros(1600, dtype=np.int16))
    assert result.closed_by_server and result.close_code == 1008
    assert stored(session) == (0, 0)


@pytest.mark.slow
def test_two_streams_at_once_keep_their_own_lines(
    stream_server: LiveServer, sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    sids = ["CA" + "4" * 32, "CA" + "5" * 32]
    audio = [load_8k(FIXTURES / "ko_water.wav"), load_8k(FIXTURES / "ko_pothole.wav")]
    for sid in sids:
        answered_call(sessions, clock, sid)
    threads = [
        threading.Thread(
            target=client(stream_server, sid).stream, args=(pcm,), kwargs={"realtime": True}
        )
        for sid, pcm in zip(sids, audio, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    texts = []
    for sid in sids:
        deadline = time.monotonic() + 20
        while transcript(stream_server, sid)["status"] != "final" and time.monotonic() < deadline:
            time.sleep(0.2)
        body = transcript(stream_server, sid)
        lines = [s for s in body["segments"] if s["final"]]
        assert lines and {s["track"] for s in lines} == {"inbound"}
        texts.append(" ".join(s["text"] for s in lines))
    assert texts[0] != texts[1]


def test_silence_and_garbage_do_not_break_the_server(
    stream_server: LiveServer, sessions: sessionmaker[Session], clock: FixedClock, session: Session
) -> None:
    silent, broken = "CA" + "6" * 32, "CA" + "7" * 32
    answered_call(sessions, clock, silent)
    answered_call(sessions, clock, broken)
    client(stream_server, silent).stream(np.zeros(8000 * 3, dtype=np.int16))
    bad = client(stream_server, broken)
    with bad.open() as socket:
        bad.start(socket)
        socket.send("not json at all")
        socket.send(b"\x00\x01binary")
        socket.send(json.dumps({"event": "media", "media": {"track": "inbound", "chunk": "x"}}))
        socket.send(
            json.dumps(
                {
                    "event": "media",
                    "media": {"track": "inbound", "chunk": "1", "payload": "***not base64***"},
                }
            )
        )
        socket.send(
            json.dumps(
                {
                    "event": "media",
                    "media": {
                        "track": "sideways",
                        "chunk": "2",
                        "payload": base64.b64encode(b"\xff" * 160).decode(),
                    },
                }
            )
        )
        socket.send(json.dumps({"event": "media", "media": "nonsense"}))
        speech = load_8k(FIXTURES / "ko_pothole.wav")
        frames = [speech[i : i + 160] for i in range(0, len(speech) - 160, 160)]
        order = list(range(len(frames)))
        order[10], order[11] = order[11], order[10]  # two frames swapped: the late one is dropped
        order.insert(30, 5)  # a repeated old frame
        for index in order:
            bad.media(socket, "inbound", index + 1, frames[index])
        bad.stop(socket)
        with pytest.raises(ConnectionClosed):
            socket.recv(timeout=30)  # the server closes once the stream is final
    deadline = time.monotonic() + 20
    while transcript(stream_server, broken)["status"] != "final" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert transcript(stream_server, silent)["segments"] == []
    body = transcript(stream_server, broken)
    assert body["status"] == "final"
    assert any(s["final"] and s["track"] == "inbound" for s in body["segments"])
    session.rollback()
    problem = session.scalar(
        select(LiveStream.problem).where(LiveStream.stream_sid == bad.stream_sid)
    )
    assert problem is not None and "could not be read" in problem
    assert httpx.get(f"{stream_server.url}/healthz", timeout=5).status_code == 200
