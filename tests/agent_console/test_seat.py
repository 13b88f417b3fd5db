"""An agent chooses to take calls in the console; signing in alone does not make them available."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.seats.models import SeatChange
from tests.agent_console.arrange import Cases, csrf, sign_in
from tests.conftest import API_TOKEN


def choose(console: TestClient, state: str, reason: str = "") -> tuple[int, str]:
    answer = console.post(
        "/console/seat/state",
        data={"state": state, "reason": reason, "csrf_token": csrf(console)},
    )
    return answer.status_code, answer.text


def test_an_agent_makes_themself_available_and_pauses_for_a_meal(
    console: TestClient, cases: Cases, session: Session
) -> None:
    sign_in(console, "agent")
    page = console.get("/console/seat").text
    assert "未签入" in page  # signing in to the console is not taking calls
    status, page = choose(console, "available")
    assert status == 200 and "空闲，等待来电" in page
    status, page = choose(console, "paused", "meal")
    assert status == 200 and "示忙 · 用餐" in page
    listed = console.get("/api/v1/agents", headers={"Authorization": f"Bearer {API_TOKEN}"})
    agent = next(a for a in listed.json()["items"] if a["username"] == "agent")
    assert (agent["state"], agent["pause_reason"]) == ("paused", "meal")
    status, page = choose(console, "paused", "missed")  # only the hotline sets "missed"
    assert status == 409 and "set by the hotline" in page
    status, _ = choose(console, "on_call")
    assert status == 409
    session.rollback()
    moves = session.scalars(select(SeatChange.move).order_by(SeatChange.id)).all()
    assert moves == ["sign_in", "pause"]
