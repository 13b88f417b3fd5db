"""Forged, missing and misdirected signatures are refused and write nothing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from twilio.request_validator import RequestValidator

from tests.conftest import AUTH_TOKEN, BASE_URL, Twilio
from tests.db_counts import nothing_written

RECORDING = {
    "RecordingSid": "RE" + "c" * 32,
    "RecordingUrl": "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE" + "c" * 32,
    "RecordingStatus": "completed",
    "RecordingDuration": "4",
}
ENDPOINTS = [
    ("/ivr/voice", {}),
    ("/ivr/voice/language?attempt=1", {"Digits": "1"}),
    ("/ivr/voice/menu?attempt=1", {"Digits": "1"}),
    ("/ivr/voice/category?attempt=1", {"Digits": "1"}),
    ("/ivr/voice/location?attempt=1", {"Digits": "1101"}),
    ("/ivr/voice/record?attempt=2", {}),
    ("/ivr/voice/recorded", RECORDING),
    ("/ivr/recording-status", RECORDING),
    ("/ivr/status", {"CallStatus": "completed", "CallDuration": "30"}),
    ("/ivr/fallback", {"ErrorCode": "11200"}),
    ("/ivr/fallback/recorded", RECORDING),
]


@pytest.mark.parametrize(("path", "extra"), ENDPOINTS)
def test_missing_signature_is_403(
    client: TestClient, twilio: Twilio, session: Session, path: str, extra: dict[str, str]
) -> None:
    response = client.post(path, data=twilio.params(**extra))
    assert response.status_code == 403
    assert nothing_written(session)


@pytest.mark.parametrize(("path", "extra"), ENDPOINTS)
def test_forged_signature_is_403(
    client: TestClient, twilio: Twilio, session: Session, path: str, extra: dict[str, str]
) -> None:
    params = twilio.params(**extra)
    forged = RequestValidator("not-the-auth-token").compute_signature(BASE_URL + path, params)
    response = client.post(path, data=params, headers={"X-Twilio-Signature": forged})
    assert response.status_code == 403
    assert nothing_written(session)


@pytest.mark.parametrize(("path", "extra"), ENDPOINTS)
def test_tampered_form_is_403(
    client: TestClient, twilio: Twilio, session: Session, path: str, extra: dict[str, str]
) -> None:
    params = twilio.params(**extra)
    signature = RequestValidator(AUTH_TOKEN).compute_signature(BASE_URL + path, params)
    params["From"] = "+8613999999999"
    response = client.post(path, data=params, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403
    assert nothing_written(session)


def test_signature_for_another_host_is_403(
    client: TestClient, twilio: Twilio, session: Session
) -> None:
    params = twilio.params()
    signature = RequestValidator(AUTH_TOKEN).compute_signature(
        "https://attacker.example/ivr/voice", params
    )
    response = client.post("/ivr/voice", data=params, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403
    assert nothing_written(session)


@pytest.mark.parametrize(("path", "extra"), ENDPOINTS)
def test_signed_but_without_call_sid_is_400(
    client: TestClient, session: Session, path: str, extra: dict[str, str]
) -> None:
    params = {"AccountSid": "AC1", **extra}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(BASE_URL + path, params)
    response = client.post(path, data=params, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 400
    assert "CallSid" in response.json()["detail"]
    assert nothing_written(session)


def test_garbage_body_is_refused(client: TestClient, session: Session) -> None:
    response = client.post(
        "/ivr/voice",
        content=b"\xff\xfe not a form",
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "x"},
    )
    assert response.status_code in (400, 403)
    assert nothing_written(session)
