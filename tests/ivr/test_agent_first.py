"""Agent-first intake (the default): notices, one language key, then a person, and the IVR
intake whenever no person can come: nobody of that language, out of hours, a long wait, or the
caller's own key. Asserted on parsed TwiML with an injected clock."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.queue.models import QueueEntry
from hotline.seats import acd
from hotline.seats import service as seats
from hotline.tickets.models import Ticket
from hotline.users import service as users
from hotline.users.models import UserRole
from ivr.catalog import catalog
from tests.conftest import BASE_URL, Twilio
from tests.twiml import gather, parse, spoken, verbs

EN = "2"


def sign_in(sessions: sessionmaker[Session], clock: FixedClock, state: str = "available") -> None:
    """An English- and Mandarin-speaking agent in the given seat state."""
    with sessions.begin() as session:
        users.create(
            session=session,
            clock=clock,
            username="li",
            password="a long enough password",
            role=UserRole.AGENT,
            languages=("zh-CN", "en"),
            phone="+8613900000051",
        )
        seats.choose_state(session=session, clock=clock, username="li", state=state)


def entry(session: Session) -> QueueEntry:
    session.rollback()
    return session.scalars(select(QueueEntry)).one()


def call_in(twilio: Twilio, digit: str = EN) -> list[str]:
    welcome = parse(twilio.post("/ivr/voice"))
    zh = catalog("zh-CN")
    assert spoken(welcome)[:3] == [
        zh.text("greeting"),
        zh.text("recorded_notice"),
        zh.text("emergency"),
    ]
    return spoken(parse(twilio.post("/ivr/voice/language?attempt=1", Digits=digit)))


def test_with_nobody_of_that_language_signed_in_the_caller_goes_to_the_intake_at_once(
    twilio: Twilio, session: Session
) -> None:
    parse(twilio.post("/ivr/voice"))
    root = parse(twilio.post("/ivr/voice/language?attempt=1", Digits=EN))
    en = catalog("en")
    assert spoken(root)[-2:] == [en.text("overflow_no_agent"), en.text("category_menu")]
    assert gather(root).get("action") == f"{BASE_URL}/ivr/voice/category?attempt=1"
    waited = entry(session)
    assert (waited.outcome, waited.overflow_reason, waited.wait_seconds) == (
        "overflow",
        "no_agent",
        0,
    )


def test_a_paused_agent_counts_as_signed_in_so_the_caller_waits(
    twilio: Twilio, sessions: sessionmaker[Session], clock: FixedClock, session: Session
) -> None:
    sign_in(sessions, clock, state="paused")
    said = call_in(twilio)
    assert said[-1] == catalog("en").text("agent_connecting")
    assert entry(session).outcome == "waiting"


def test_outside_agent_hours_the_caller_goes_to_the_intake(
    twilio: Twilio, sessions: sessionmaker[Session], clock: FixedClock, session: Session
) -> None:
    sign_in(sessions, clock)
    clock.advance(hours=5)  # 22:30 in Shanghai
    said = call_in(twilio)
    assert said[-2] == catalog("en").text("overflow_closed", hours="08:00-20:00")
    assert (entry(session).outcome, entry(session).overflow_reason) == ("overflow", "closed")


def test_waiting_callers_hear_their_place_and_may_leave_a_description_instead(
    twilio: Twilio, sessions: sessionmaker[Session], clock: FixedClock, session: Session
) -> None:
    sign_in(sessions, clock)
    call_in(twilio)
    root = parse(twilio.post("/ivr/queue/wait", QueueTime="40"))
    en = catalog("en")
    assert spoken(root) == [
        en.text("queue_position", position="1", minutes="1"),
        en.text("queue_leave_key"),
    ]
    key = gather(root)
    assert (key.get("numDigits"), key.get("action")) == ("1", f"{BASE_URL}/ivr/queue/key")
    assert verbs(root) == ["Gather", "Play"]
    assert verbs(parse(twilio.post("/ivr/queue/key", Digits="7"))) == []  # back to the music
    assert entry(session).outcome == "waiting"
    assert verbs(parse(twilio.post("/ivr/queue/key", Digits="1"))) == ["Leave"]
    assert (entry(session).outcome, entry(session).overflow_reason) == ("overflow", "caller_key")
    root = parse(twilio.post("/ivr/queue/left", QueueResult="leave", QueueTime="41"))
    assert spoken(root)[-2:] == [en.text("overflow_caller_key"), en.text("category_menu")]


def test_after_the_longest_wait_the_caller_goes_to_the_intake_and_gets_a_ticket(
    twilio: Twilio, sessions: sessionmaker[Session], clock: FixedClock, session: Session
) -> None:
    sign_in(sessions, clock)
    with sessions.begin() as busy:  # li is on another call the whole time
        seats.choose_state(session=busy, clock=clock, username="li", state="paused", reason="other")
    call_in(twilio)
    clock.advance(seconds=120)
    assert verbs(parse(twilio.post("/ivr/queue/wait", QueueTime="120"))) == ["Leave"]
    assert (entry(session).outcome, entry(session).overflow_reason) == ("overflow", "timeout")
    root = parse(twilio.post("/ivr/queue/left", QueueResult="leave", QueueTime="120"))
    assert spoken(root)[0] == catalog("en").text("overflow_timeout")
    parse(twilio.post("/ivr/voice/category?attempt=1", Digits="2"))
    parse(twilio.post("/ivr/voice/location?attempt=1", Digits="1101"))
    root = parse(
        twilio.post(
            "/ivr/voice/recorded",
            RecordingSid="RE" + "1" * 32,
            RecordingUrl="https://api.twilio.com/r/1",
            RecordingDuration="9",
        )
    )
    assert "Hangup" in verbs(root)
    session.rollback()
    ticket = session.scalars(select(Ticket)).one()
    assert (ticket.channel, ticket.category, ticket.location_code) == ("ivr", "utilities", "1101")


def test_no_one_is_sent_away_while_an_agents_phone_rings(
    twilio: Twilio, sessions: sessionmaker[Session], clock: FixedClock, session: Session
) -> None:
    sign_in(sessions, clock)
    call_in(twilio)
    with sessions.begin() as ringing:
        offer = acd.match(session=ringing, clock=clock)[0]
        acd.claim_ring(session=ringing, clock=clock, offer_id=offer.id)
    assert verbs(parse(twilio.post("/ivr/queue/wait", QueueTime="130"))) == ["Gather", "Play"]
    assert entry(session).outcome == "waiting"


def test_an_answered_caller_is_taken_off_hold_into_the_conference_with_a_stream(
    twilio: Twilio, sessions: sessionmaker[Session], clock: FixedClock, session: Session
) -> None:
    sign_in(sessions, clock)
    call_in(twilio)
    with sessions.begin() as picked_up:
        offer = acd.match(session=picked_up, clock=clock)[0]
        acd.answer(
            session=picked_up, clock=clock, offer_id=offer.id, agent_call_sid="CA" + "9" * 32
        )
    # Had the distributor's redirect not arrived, the next hold loop leaves for the agent.
    assert verbs(parse(twilio.post("/ivr/queue/wait", QueueTime="12"))) == ["Leave"]
    root = parse(twilio.post("/ivr/queue/left", QueueResult="leave", QueueTime="12"))
    assert verbs(root) == ["Start", "Dial", "Hangup"]
    stream = root.find("Start/Stream")
    assert stream is not None
    assert stream.get("url") == "wss://hotline.example.gov.cn/ivr/media-stream"
    assert stream.get("track") == "both_tracks"
    parameters = {p.get("name"): p.get("value") for p in stream.findall("Parameter")}
    assert parameters["language"] == "en"
    recording = root.find("Start/Recording")
    assert recording is not None and recording.get("channels") == "dual"
    assert recording.get("recordingStatusCallback") == f"{BASE_URL}/ivr/recording-status"
    room = root.find("Dial/Conference")
    assert room is not None and room.text == f"hotline-{twilio.call_sid}"
    assert (room.get("startConferenceOnEnter"), room.get("endConferenceOnExit")) == ("true", "true")
    assert entry(session).bridged_at is not None


@pytest.mark.parametrize(
    "path",
    [
        "/ivr/queue/key",
        "/ivr/agent/answer?offer=1",
        "/ivr/agent/status?offer=1",
        "/ivr/agent/connect?entry=1",
        "/ivr/conference/status?entry=1",
    ],
)
def test_agent_webhooks_refuse_forged_requests(
    twilio: Twilio, sessions: sessionmaker[Session], clock: FixedClock, session: Session, path: str
) -> None:
    sign_in(sessions, clock)
    call_in(twilio)
    forged = twilio.client.post(path, data=twilio.params(Digits="1", CallStatus="no-answer"))
    assert forged.status_code == 403
    assert entry(session).outcome == "waiting"


def test_the_answer_webhook_needs_its_offer_number(twilio: Twilio) -> None:
    assert twilio.post("/ivr/agent/answer?offer=x").status_code == 400
    # An offer nobody made: the agent is told the caller has gone, and nothing changes.
    root = parse(twilio.post("/ivr/agent/answer?offer=999"))
    assert verbs(root) == ["Say", "Hangup"]


def answered_by_li(twilio: Twilio, sessions: sessionmaker[Session], clock: FixedClock) -> int:
    """A caller waits, the distributor rings li and li picks up; the caller is still on hold."""
    sign_in(sessions, clock)
    call_in(twilio)
    with sessions.begin() as session:
        offer = acd.match(session=session, clock=clock)[0]
        acd.claim_ring(session=session, clock=clock, offer_id=offer.id)
        clock.advance(seconds=3)
        assert acd.answer(
            session=session, clock=clock, offer_id=offer.id, agent_call_sid="CA" + "c" * 32
        )
        return offer.entry_id


def bridged(root: ET.Element, call_sid: str) -> None:
    """The caller's TwiML starts the live stream and joins the call's own conference."""
    assert verbs(root) == ["Start", "Dial", "Hangup"]
    stream = root.find("Start/Stream")
    assert stream is not None and stream.get("track") == "both_tracks"
    room = root.find("Dial/Conference")
    assert room is not None and room.text == f"hotline-{call_sid}"


def test_when_the_redirect_has_not_come_the_hold_loop_bridges_the_caller_once(
    twilio: Twilio, sessions: sessionmaker[Session], clock: FixedClock, session: Session
) -> None:
    entry_id = answered_by_li(twilio, sessions, clock)
    assert verbs(parse(twilio.post("/ivr/queue/wait", QueueTime="3"))) == ["Leave"]
    with sessions.begin() as distributor:  # its redirect would pull the caller out again
        assert not acd.claim_bridge(session=distributor, clock=clock, entry_id=entry_id)
    bridged(
        parse(twilio.post("/ivr/queue/left", QueueResult="leave", QueueTime="3")), twilio.call_sid
    )
    joined = entry(session)
    assert (joined.outcome, joined.answered_by) == ("answered", "li")
    assert joined.bridged_at is not None


def test_a_redirect_claimed_but_lost_is_taken_over_by_the_hold_loop_after_the_stall(
    twilio: Twilio, sessions: sessionmaker[Session], clock: FixedClock, session: Session
) -> None:
    entry_id = answered_by_li(twilio, sessions, clock)
    with sessions.begin() as distributor:  # claimed; the REST redirect then never arrives
        assert acd.claim_bridge(session=distributor, clock=clock, entry_id=entry_id)
    assert verbs(parse(twilio.post("/ivr/queue/wait", QueueTime="3"))) == ["Pause"]
    clock.advance(seconds=acd.BRIDGE_STALL.total_seconds() - 1)
    assert verbs(parse(twilio.post("/ivr/queue/wait", QueueTime="12"))) == ["Pause"]
    clock.advance(seconds=1)
    assert verbs(parse(twilio.post("/ivr/queue/wait", QueueTime="13"))) == ["Leave"]
    bridged(
        parse(twilio.post("/ivr/queue/left", QueueResult="leave", QueueTime="13")), twilio.call_sid
    )
