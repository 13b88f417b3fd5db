"""Twilio retries: the same webhook delivered three times, or at once, writes things once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy.orm import Session
from twilio.request_validator import RequestValidator

from tests.conftest import AUTH_TOKEN, LiveServer, Twilio
from tests.db_counts import counts

RECORDING = {
    "RecordingSid": "RE" + "d" * 32,
    "RecordingUrl": "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE" + "d" * 32,
    "RecordingStatus": "completed",
    "RecordingDuration": "9",
}
# One transcription job and one intake SMS to the caller.
ONE_CALL = {
    "calls": 1,
    "recordings": 1,
    "tickets": 1,
    "ticket_events": 1,
    "outbox": 2,
    "messages": 1,
}


def walk_menus(send: object) -> None:
    """Language, report, category, location: the steps before the recording."""
    assert callable(send)
    for path, digits in [
        ("/ivr/voice", None),
        ("/ivr/voice/language?attempt=1", "3"),
        ("/ivr/voice/menu?attempt=1", "1"),
        ("/ivr/voice/category?attempt=1", "1"),
        ("/ivr/voice/location?attempt=1", "1101"),
    ]:
        send(path, {"Digits": digits} if digits else {})


def test_triple_delivery_of_every_webhook(twilio: Twilio, session: Session) -> None:
    def send(path: str, extra: dict[str, str]) -> None:
        for _ in range(3):
            assert twilio.post(path, **extra).status_code in (200, 204)

    walk_menus(send)
    send("/ivr/voice/recorded", RECORDING)
    send("/ivr/recording-status", RECORDING)
    send("/ivr/status", {"CallStatus": "completed", "CallDuration": "61"})
    assert counts(session) == {**ONE_CALL, "transcripts": 0}


def test_recording_status_before_action_gives_the_same_ticket(
    twilio: Twilio, session: Session
) -> None:
    walk_menus(lambda path, extra: twilio.post(path, **extra))
    twilio.post("/ivr/recording-status", **RECORDING)
    twilio.post("/ivr/voice/recorded", **RECORDING)
    assert counts(session) == {**ONE_CALL, "transcripts": 0}


def test_final_call_status_is_not_overwritten_by_a_late_earlier_one(
    twilio: Twilio, session: Session
) -> None:
    from tests.ivr.test_voice_flow import call_row

    twilio.post("/ivr/voice")
    twilio.post("/ivr/status", CallStatus="completed", CallDuration="12")
    twilio.post("/ivr/status", CallStatus="in-progress")
    call = call_row(session, twilio)
    assert (call.status, call.duration_seconds) == ("completed", 12)
    assert call.ended_at is not None


@pytest.mark.slow
def test_concurrent_delivery_of_every_webhook(live: LiveServer, session: Session) -> None:
    validator = RequestValidator(AUTH_TOKEN)
    base = {
        "CallSid": "CA" + "e" * 32,
        "AccountSid": "AC1",
        "From": "+8613811112222",
        "To": "+861012345",
    }

    def post(client: httpx.Client, path: str, params: dict[str, str]) -> int:
        signature = validator.compute_signature(live.url + path, params)
        response = client.post(
            live.url + path, data=params, headers={"X-Twilio-Signature": signature}
        )
        return response.status_code

    def burst(path: str, extra: dict[str, str]) -> None:
        params = {**base, **extra}
        with httpx.Client(timeout=30) as client, ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(lambda _: post(client, path, params), range(8)))
        assert set(codes) <= {200, 204}, codes

    walk_menus(burst)
    burst("/ivr/voice/recorded", RECORDING)
    burst("/ivr/recording-status", RECORDING)
    burst("/ivr/status", {"CallStatus": "completed", "CallDuration": "61"})
    assert counts(session) == {**ONE_CALL, "transcripts": 0}
