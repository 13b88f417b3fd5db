"""The Twilio adapter's real `twilio` client against the pinned `emulate@0.8.0` REST emulator.

Where the emulator differs from Twilio, the simulator tests cover the case instead: it answers a
new call `ringing` where Twilio says `queued`, never posts `answered` or `AnsweredBy` (machine
detection is ignored) and runs no TwiML, so survey answers are covered in
tests/hotline/surveys/test_survey_calls.py with the call simulator.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from redis import Redis
from sqlalchemy.orm import Session, sessionmaker

from hotline.app import create_app
from hotline.core.clock import FixedClock
from hotline.core.settings import Settings
from hotline.surveys.models import SurveyAttempt
from hotline.telephony.port import TelephonyError, TwilioTelephony
from tests.conftest import LiveServer, free_port
from tests.hotline.surveys.arrange import call_round, closed_ticket, survey_of
from tests.hotline.telephony.conftest import NUMBER, SID, TOKEN, Emulator
from worker import context

SIDS = re.compile(r"^(CA|SM)[0-9a-f]{32}$")


def twilio_settings(settings: Settings, emulator: Emulator, **changes: object) -> Settings:
    return settings.model_copy(
        update={
            "telephony": "twilio",
            "twilio_account_sid": SID,
            "twilio_auth_token": TOKEN,
            "twilio_number": NUMBER,
            "twilio_api_base_url": emulator.url,
            **changes,
        }
    )


def test_sms_goes_through_messages_create(settings: Settings, emulator: Emulator) -> None:
    adapter = TwilioTelephony(twilio_settings(settings, emulator))
    sid = adapter.send_sms("+8613800000001", "【12345】您的工单2026-000001已办理完毕")
    assert SIDS.match(sid)
    sent = emulator.get("Messages")["messages"]
    assert isinstance(sent, list) and len(sent) == 1
    assert (sent[0]["sid"], sent[0]["to"], sent[0]["from"]) == (sid, "+8613800000001", NUMBER)
    assert sent[0]["body"] == "【12345】您的工单2026-000001已办理完毕"


def test_calls_create_carries_the_survey_urls(settings: Settings, emulator: Emulator) -> None:
    adapter = TwilioTelephony(twilio_settings(settings, emulator))
    sid = adapter.place_call(
        "+8613800000002",
        "https://hotline.example/ivr/survey/start?attempt=7",
        "https://hotline.example/ivr/survey/status?attempt=7",
        detect_machine=True,
    )
    assert SIDS.match(sid)
    calls = emulator.get("Calls")["calls"]
    assert isinstance(calls, list)
    call = next(c for c in calls if c["sid"] == sid)
    assert (call["to"], call["from"], call["direction"]) == (
        "+8613800000002",
        NUMBER,
        "outbound-api",
    )
    assert call["status"] == "ringing"  # Twilio itself would say "queued"


def test_refusals_become_telephony_errors(settings: Settings, emulator: Emulator) -> None:
    not_ours = TwilioTelephony(twilio_settings(settings, emulator, twilio_number="+861012345"))
    with pytest.raises(TelephonyError, match="not owned"):
        not_ours.place_call("+8613800000002", "https://x/", "https://x/", detect_machine=False)
    wrong_token = TwilioTelephony(twilio_settings(settings, emulator, twilio_auth_token="nope"))
    with pytest.raises(TelephonyError, match="401|Authenticate"):
        wrong_token.send_sms("+8613800000001", "hello")
    assert emulator.get("Messages")["messages"] == []


@pytest.fixture
def signed_by_emulator(
    settings: Settings, clock: FixedClock, seeded: None, emulator: Emulator
) -> Iterator[LiveServer]:
    """The web app verifying signatures with the emulator account's auth token."""
    port = free_port()
    served = settings.model_copy(
        update={
            "public_base_url": f"http://127.0.0.1:{port}",
            "twilio_account_sid": SID,
            "twilio_auth_token": TOKEN,
            "twilio_number": NUMBER,
        }
    )
    with LiveServer(create_app(served, clock=clock), port) as server:
        yield server


@pytest.mark.slow
def test_a_survey_call_and_its_signed_status_callbacks(
    signed_by_emulator: LiveServer,
    emulator: Emulator,
    sessions: sessionmaker[Session],
    clock: FixedClock,
    redis: Redis,
    session: Session,
) -> None:
    live = signed_by_emulator
    served = live.app.state.settings
    ctx = context.build(twilio_settings(served, emulator, calls_per_second=100.0), clock=clock)
    context.install(ctx)
    try:
        reference = closed_ticket(sessions, clock, served, 1, "+8613800000003")
        clock.advance(hours=1)
        assert len(call_round(ctx, redis)) == 1
        survey, _ = survey_of(session, reference)
        attempt: SurveyAttempt = survey.calls[0]
        assert attempt.call_sid and SIDS.match(attempt.call_sid)
        assert survey.status == "calling"
        # The emulator posts the status callback, signed with the account's auth token.
        emulator.call_status(attempt.call_sid, "busy")
        survey, _ = survey_of(session, reference)
        assert survey.status == "scheduled" and survey.calls[0].outcome == "busy"
        clock.advance(hours=2)
        assert len(call_round(ctx, redis)) == 1
        survey, _ = survey_of(session, reference)
        emulator.call_status(survey.calls[1].call_sid or "", "completed")
        survey, _ = survey_of(session, reference)
        assert [a.outcome for a in survey.calls] == ["busy", "no-input"]
        assert survey.status == "scheduled" and survey.attempts == 2
    finally:
        ctx.engine.dispose()


def test_ringing_redirecting_and_hanging_up_agent_legs(
    settings: Settings, emulator: Emulator
) -> None:
    """The distributor's REST calls. The emulator serves no conferences and refuses SIP URIs
    as `To`, so participants and SIP agents are covered against the simulated carrier."""
    adapter = TwilioTelephony(twilio_settings(settings, emulator))
    base = "https://hotline.example/ivr"
    sid = adapter.ring_agent(
        "+8613900000001",
        f"{base}/agent/answer?offer=1",
        f"{base}/agent/status?offer=1",
        20,
    )
    assert SIDS.match(sid)
    calls = emulator.get("Calls")["calls"]
    assert isinstance(calls, list)
    call = next(c for c in calls if c["sid"] == sid)
    assert (call["to"], call["from"]) == ("+8613900000001", NUMBER)
    adapter.redirect_call(sid, f"{base}/agent/connect?entry=1")
    adapter.hang_up(sid, ringing=True)
    calls = emulator.get("Calls")["calls"]
    assert isinstance(calls, list)
    assert next(c for c in calls if c["sid"] == sid)["status"] == "canceled"
    with pytest.raises(TelephonyError, match="could not redirect"):
        adapter.redirect_call("CA" + "0" * 32, f"{base}/agent/connect?entry=1")


def test_a_crashed_send_is_found_at_the_carrier_by_number_body_and_time(
    settings: Settings, emulator: Emulator
) -> None:
    adapter = TwilioTelephony(twilio_settings(settings, emulator))
    before = datetime.now(UTC)
    sid = adapter.send_sms("+8613800000003", "【12345】工单2026-000003已受理")
    adapter.send_sms("+8613800000003", "【12345】工单2026-000004已受理")
    assert adapter.find_sms("+8613800000003", "【12345】工单2026-000003已受理", before) == sid
    assert adapter.find_sms("+8613800000004", "【12345】工单2026-000003已受理", before) is None
    later = before + timedelta(minutes=5)
    assert adapter.find_sms("+8613800000003", "【12345】工单2026-000003已受理", later) is None


def test_a_crashed_dial_is_found_at_the_carrier_by_number_and_time(
    settings: Settings, emulator: Emulator
) -> None:
    adapter = TwilioTelephony(twilio_settings(settings, emulator))
    before = datetime.now(UTC)
    sid = adapter.place_call(
        "+8613800000005", "https://x/start", "https://x/status", detect_machine=False
    )
    assert adapter.find_call("+8613800000005", before) == sid
    assert adapter.find_call("+8613800000006", before) is None
    assert adapter.find_call("+8613800000005", before + timedelta(minutes=5)) is None
