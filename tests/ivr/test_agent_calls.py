"""Agent-first calls on the simulated carrier: a person answers, the caller is bridged into a
conference with a live stream and a dual-channel recording; misses go to the next agent."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.calls.models import Recording
from hotline.core.clock import FixedClock
from hotline.kb import demo as kb_demo
from hotline.outbox.models import OutboxMessage
from hotline.queue.models import QueueEntry
from hotline.seats.models import CallOffer, Seat
from hotline.tickets.models import Ticket
from hotline.transcripts.models import LiveSegment
from hotline.users.models import User
from ivr.catalog import catalog
from ivr.simulator.call import Script
from ivr.simulator.network import PhoneScript
from tests.conftest import API_TOKEN, FIXTURES, LiveServer
from tests.ivr.switchboard import switchboard
from transcription.engine import VoskEngine

pytestmark = [pytest.mark.vosk, pytest.mark.slow]
AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
KO = "3"  # the language key for 한국어


@pytest.fixture
def line(live: LiveServer, speech: VoskEngine) -> LiveServer:
    live.app.state.live_engine = speech
    return live


def eventually(check: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not within the time limit"
        time.sleep(0.1)


def seat_state(session: Session, username: str) -> tuple[str, str | None]:
    session.rollback()
    seat = session.scalars(select(Seat).join(User).where(User.username == username)).one()
    return seat.state, seat.pause_reason


def test_an_agent_answers_and_the_call_is_transcribed_live(
    line: LiveServer, sessions: sessionmaker[Session], clock: FixedClock, session: Session
) -> None:
    with switchboard(line, sessions, clock) as board:
        agent_voice = FIXTURES / "ko_noise.wav"
        board.agent(
            "kim",
            "+8613900000021",
            languages=("ko",),
            script=PhoneScript(after=0.3, talk=4.0, audio=agent_voice),
        )
        call = board.carrier.call("+8613700000001", line.url)
        result = call.run(Script(keys=[KO], talk=FIXTURES / "ko_water.wav"))
    assert result.errors == []
    assert result.heard(catalog("ko").text("agent_connecting"))
    # Off hold by the distributor's REST redirect, or (when the hold loop asks first) by leaving
    # the queue into the conference: either way exactly one bridge, into the call's conference.
    # Which one wins is a race on a loaded machine; both routes are pinned down one by one in
    # tests/ivr/test_agent_first.py.
    assert result.queue_results in (["redirected"], ["leave"])
    assert result.conferences == [f"hotline-{call.call_sid}"]
    assert [s.close_code for s in result.streams] == [1000]  # closed normally after `stop`
    assert len(result.recording_callbacks) == 1

    session.rollback()
    entry = session.scalars(select(QueueEntry)).one()
    assert (entry.outcome, entry.answered_by) == ("answered", "kim")
    assert entry.bridged_at is not None and entry.talk_ended_at is not None
    assert entry.conference_sid is not None and entry.conference_sid.startswith("CF")
    offer = session.scalars(select(CallOffer)).one()
    assert (offer.state, offer.end_reason) == ("answered", "completed")
    eventually(lambda: seat_state(session, "kim") == ("wrap_up", None))

    # The stream carried both sides, each line on its own track.
    body = httpx.get(f"{line.url}/api/v1/calls/{call.call_sid}/transcript", headers=AUTH).json()
    assert body["status"] == "final"
    assert {s["track"] for s in body["segments"]} == {"inbound", "outbound"}
    assert session.scalars(select(LiveSegment)).all()

    # The dual-channel recording is kept and queued for the offline pipeline; no IVR ticket.
    recording = session.scalars(select(Recording)).one()
    assert recording.call.call_sid == call.call_sid
    jobs = session.scalars(select(OutboxMessage.job_id)).all()
    assert f"transcribe-{recording.recording_sid}" in jobs
    assert session.scalars(select(Ticket)).all() == []
    events = [e for e, _ in board.carrier.conferences[entry.conference_sid].history]
    assert events[0] == "conference-start" and events[-1] == "conference-end"

    # The agent files the call's ticket (what the seat's form sends, here through the API).
    url = f"{line.url}/api/v1/calls/{call.call_sid}/ticket"
    form = {
        "agent": "kim",
        "category": "utilities",
        "summary": "단수",
        "community": "1101",
        "grid": "1101-01",
    }
    assert httpx.post(url, json={**form, "agent": "nobody"}, headers=AUTH).status_code == 404
    unknown = httpx.post(url, json={**form, "article": "no-such-article"}, headers=AUTH)
    assert unknown.status_code == 409 and "no published knowledge-base article" in unknown.text
    with sessions.begin() as seeding:
        kb_demo.seed(session=seeding, clock=clock)
    filed = httpx.post(url, json={**form, "article": "water-outage"}, headers=AUTH)
    assert filed.status_code == 201, filed.text
    ticket = filed.json()
    assert (ticket["status"], ticket["team"], ticket["grid"]) == (
        "dispatched",
        "1101-01",
        "1101-01",
    )
    assert ticket["kb_article"] == "water-outage"
    assert ticket["transcript"] is None or ticket["transcript"]["status"] in ("ok", "empty")
    assert httpx.post(url, json=form, headers=AUTH).status_code == 409  # one ticket per call


def test_a_missed_ring_pauses_the_agent_and_the_next_one_answers(
    line: LiveServer, sessions: sessionmaker[Session], clock: FixedClock, session: Session
) -> None:
    # Rings give up after 5 s on the network, as Twilio's `timeout` makes them.
    with switchboard(line, sessions, clock, ring_seconds=5) as board:
        board.agent("lee", "+8613900000031", languages=("ko",), script=PhoneScript(answer="miss"))
        clock.advance(seconds=5)  # kim became available later: lee has waited longest
        board.agent(
            "kim", "+8613900000032", languages=("ko",), script=PhoneScript(after=0.2, talk=1.0)
        )
        result = board.carrier.call("+8613700000002", line.url).run(Script(keys=[KO]))
    assert result.errors == []
    assert seat_state(session, "lee") == ("paused", "missed")
    offers = session.scalars(select(CallOffer).order_by(CallOffer.id)).all()
    assert [(o.user.username, o.state) for o in offers] == [("lee", "missed"), ("kim", "answered")]
    assert offers[0].end_reason == "no-answer"
