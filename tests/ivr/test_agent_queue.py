"""`ivr` intake mode, menu 3: the agent queue with hold music, voicemail after a long wait."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.core.clock import FixedClock
from hotline.core.settings import Settings
from hotline.queue.models import QueueEntry
from hotline.tickets.models import Ticket
from ivr.catalog import catalog
from ivr.simulator.call import NumberConfig, Script, SimulatedCall
from ivr.simulator.recordings import RecordingServer
from tests.conftest import ACCOUNT_SID, AUTH_TOKEN, BASE_URL, FIXTURES, LiveServer, Twilio
from tests.twiml import parse, spoken, verbs


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """This module runs the `ivr` intake mode: menus first, menu 3 for a person."""
    return settings.model_copy(update={"intake_mode": "ivr"})


def to_agents(twilio: Twilio, language_digit: str = "2") -> list[str]:
    parse(twilio.post("/ivr/voice"))
    parse(twilio.post("/ivr/voice/language?attempt=1", Digits=language_digit))
    root = parse(twilio.post("/ivr/voice/menu?attempt=1", Digits="3"))
    return verbs(root)


def entry(session: Session) -> QueueEntry | None:
    session.rollback()
    return session.scalar(select(QueueEntry))


def test_in_opening_hours_the_caller_joins_the_queue(twilio: Twilio, session: Session) -> None:
    parse(twilio.post("/ivr/voice"))
    parse(twilio.post("/ivr/voice/language?attempt=1", Digits="2"))
    root = parse(twilio.post("/ivr/voice/menu?attempt=1", Digits="3"))
    assert spoken(root) == [catalog("en").text("agent_connecting")]
    enqueue = root.find("Enqueue")
    assert enqueue is not None and enqueue.text == "hotline-agents"
    assert enqueue.get("waitUrl") == f"{BASE_URL}/ivr/queue/wait"
    assert enqueue.get("action") == f"{BASE_URL}/ivr/queue/left"
    waiting = entry(session)
    assert waiting is not None
    assert (waiting.outcome, waiting.from_number, waiting.language) == (
        "waiting",
        twilio.caller,
        "en",
    )


def test_outside_opening_hours_the_caller_leaves_a_voicemail(
    twilio: Twilio, session: Session, clock: FixedClock
) -> None:
    clock.advance(hours=5)  # 22:30 in Shanghai
    assert to_agents(twilio) == ["Say", "Record", "Redirect"]
    assert entry(session) is None


def test_waiting_callers_hear_their_place_and_hold_music(twilio: Twilio) -> None:
    to_agents(twilio)
    root = parse(twilio.post("/ivr/queue/wait", QueuePosition="3", QueueTime="65"))
    # Their place among callers of their language, from the hotline's own queue.
    assert spoken(root) == [catalog("en").text("queue_position", position="1", minutes="1")]
    play = root.find("Play")
    assert play is not None and play.text == f"{BASE_URL}/ivr/hold.wav"
    assert twilio.client.get("/ivr/hold.wav").headers["content-type"] == "audio/wav"


def test_after_the_longest_wait_the_caller_leaves_the_queue_for_voicemail(
    twilio: Twilio, session: Session
) -> None:
    to_agents(twilio)
    root = parse(twilio.post("/ivr/queue/wait", QueuePosition="1", QueueTime="120"))
    assert verbs(root) == ["Leave"]
    root = parse(twilio.post("/ivr/queue/left", QueueResult="leave", QueueTime="121"))
    assert spoken(root)[0] == catalog("en").text("queue_voicemail_offer")
    assert "Record" in verbs(root)
    waited = entry(session)
    assert waited is not None
    assert (waited.outcome, waited.wait_seconds) == ("voicemail", 121)


@pytest.mark.parametrize(("result", "outcome"), [("bridged", "answered"), ("hangup", "abandoned")])
def test_the_queue_result_is_recorded_once(
    twilio: Twilio, session: Session, result: str, outcome: str
) -> None:
    to_agents(twilio)
    assert verbs(parse(twilio.post("/ivr/queue/left", QueueResult=result, QueueTime="14"))) == [
        "Hangup"
    ]
    # A repeated or contradicting delivery does not change how the wait ended.
    parse(twilio.post("/ivr/queue/left", QueueResult="leave", QueueTime="99"))
    ended = entry(session)
    assert ended is not None
    assert (ended.outcome, ended.wait_seconds) == (outcome, 14)


def test_a_call_that_ends_while_waiting_is_a_missed_call(twilio: Twilio, session: Session) -> None:
    to_agents(twilio)
    response = twilio.post("/ivr/status", CallStatus="completed", CallDuration="40")
    assert response.status_code == 204
    missed = entry(session)
    assert missed is not None and missed.outcome == "abandoned"


def test_queue_webhooks_refuse_forged_requests(twilio: Twilio, session: Session) -> None:
    to_agents(twilio)
    forged = twilio.client.post(
        "/ivr/queue/left", data=twilio.params(QueueResult="bridged"), headers={}
    )
    assert forged.status_code == 403
    waiting = entry(session)
    assert waiting is not None and waiting.outcome == "waiting"


@pytest.mark.slow
def test_simulated_caller_waits_then_leaves_a_voicemail_that_becomes_a_ticket(
    live: LiveServer, session: Session
) -> None:
    recordings = RecordingServer(ACCOUNT_SID, AUTH_TOKEN).start()
    try:
        call = SimulatedCall(
            config=NumberConfig.for_base(live.url),
            auth_token=AUTH_TOKEN,
            account_sid=ACCOUNT_SID,
            recordings=recordings,
        )
        result = call.run(
            Script(
                keys=["2", "3"],
                recordings=[FIXTURES / "ko_water.wav"],
                queue_waits=6,
                queue_wait_seconds=30,
            )
        )
    finally:
        recordings.stop()
    assert result.errors == []
    assert result.queue_results == ["leave"]
    assert result.heard(catalog("en").text("queue_voicemail_offer"))
    session.rollback()
    ticket = session.scalars(select(Ticket)).one()
    assert ticket.channel == "voicemail"
    assert session.scalars(select(QueueEntry)).one().outcome == "voicemail"
