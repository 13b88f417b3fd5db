"""POST /api/v1/tickets/{reference}/actions moves tickets by the console's rules."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.core.settings import Settings
from hotline.triage.policy import policy_from_settings
from tests.agent_console.arrange import intake, triage
from tests.conftest import API_TOKEN

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}


def test_actions_follow_the_lifecycle_and_schedule_the_survey(
    client: TestClient, sessions: sessionmaker[Session], clock: FixedClock, settings: Settings
) -> None:
    with sessions.begin() as s:
        ticket = triage(
            s, clock, policy_from_settings(settings), intake(s, clock, 1), grid="1101-01"
        )
        reference = ticket.reference
    url = f"/api/v1/tickets/{reference}/actions"
    for action in ("accept", "resolve", "close"):
        answer = client.post(url, json={"action": action, "note": f"{action} by API"}, headers=AUTH)
        assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "closed"
    assert body["survey"] == {
        "status": "scheduled",
        "solved": None,
        "score": None,
        "attempts": 0,
        "round": 1,
        "reopened": False,
    }
    assert [e["action"] for e in body["events"]][-3:] == ["accept", "resolve", "close"]
    listed = client.get("/api/v1/tickets", headers=AUTH).json()["items"][0]
    assert listed["survey"]["status"] == "scheduled"


def test_an_action_not_allowed_now_is_a_409_with_the_reason(
    client: TestClient, sessions: sessionmaker[Session], clock: FixedClock, settings: Settings
) -> None:
    with sessions.begin() as s:
        ticket = triage(
            s, clock, policy_from_settings(settings), intake(s, clock, 1), grid="1101-01"
        )
        reference = ticket.reference
    answer = client.post(
        f"/api/v1/tickets/{reference}/actions", json={"action": "close"}, headers=AUTH
    )
    assert answer.status_code == 409
    assert answer.json()["detail"] == "cannot close a ticket that is dispatched"
    reopen = client.post(
        f"/api/v1/tickets/{reference}/actions", json={"action": "reopen"}, headers=AUTH
    )
    assert reopen.status_code == 409


def test_bad_requests_change_nothing(client: TestClient) -> None:
    url = "/api/v1/tickets/2026-999999/actions"
    assert client.post(url, json={"action": "close"}).status_code == 401
    assert client.post(url, json={"action": "close"}, headers=AUTH).status_code == 404
    assert client.post(url, json={"action": "explode"}, headers=AUTH).status_code == 422
    assert client.post(url, content=b"{", headers=AUTH).status_code == 422
