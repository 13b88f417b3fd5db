"""Agents choose their state through the API; every change is logged; wrap-up ends on time."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.seats import service as seats
from hotline.seats.models import Seat, SeatChange
from hotline.seats.states import SeatMove, SeatState
from hotline.users import service as users
from hotline.users.models import UserRole
from tests.conftest import API_TOKEN

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}


def agents(sessions: sessionmaker[Session], clock: FixedClock) -> None:
    with sessions.begin() as session:
        for name, langs, phone in (
            ("li", ("zh-CN",), "+8613900000011"),
            ("kim", ("ko", "zh-CN"), "sip:kim@seats.hotline.example"),
            ("wang", ("zh-CN",), None),
        ):
            users.create(
                session=session,
                clock=clock,
                username=name,
                password="a long enough password",
                role=UserRole.AGENT,
                languages=langs,
                phone=phone,
            )
        users.create(
            session=session,
            clock=clock,
            username="chen",
            password="a long enough password",
            role=UserRole.GRID_WORKER,
            team_code="1101-01",
        )


def li_seat(session: Session, clock: FixedClock) -> Seat:
    user = seats.get_user_or_raise(session=session, username="li")
    return seats.seat_for(session=session, clock=clock, user=user)


def test_an_agent_chooses_available_paused_and_signed_out(
    client: TestClient, sessions: sessionmaker[Session], session: Session, clock: FixedClock
) -> None:
    agents(sessions, clock)
    url = "/api/v1/agents/kim/state"
    seen = client.post(url, json={"state": "available"}, headers=AUTH).json()
    assert (seen["state"], seen["languages"], seen["since"]) == (
        "available",
        ["ko", "zh-CN"],
        "2026-11-20T09:30:00Z",
    )
    clock.advance(minutes=20)
    paused = client.post(url, json={"state": "paused", "reason": "meal"}, headers=AUTH).json()
    assert (paused["state"], paused["pause_reason"]) == ("paused", "meal")
    listed = client.get("/api/v1/agents", headers=AUTH).json()["items"]
    assert [(a["username"], a["state"]) for a in listed] == [("kim", "paused")]
    assert client.post(url, json={"state": "signed_out"}, headers=AUTH).status_code == 200
    moves = session.scalars(select(SeatChange.move).order_by(SeatChange.id)).all()
    assert moves == ["sign_in", "pause", "sign_out"]


def test_bad_requests_change_nothing(
    client: TestClient, sessions: sessionmaker[Session], session: Session, clock: FixedClock
) -> None:
    agents(sessions, clock)
    cases = [
        ("kim", {"state": "on_call"}, 422),
        ("kim", {"state": "paused", "reason": "nap"}, 409),
        ("kim", {"state": "paused", "reason": "missed"}, 409),
        ("nobody", {"state": "available"}, 404),
        ("chen", {"state": "available"}, 403),  # grid workers take no calls
        ("wang", {"state": "available"}, 409),  # nothing to ring: no number or SIP address
    ]
    for name, body, status in cases:
        got = client.post(f"/api/v1/agents/{name}/state", json=body, headers=AUTH)
        assert got.status_code == status, (name, body, got.text)
    assert client.post("/api/v1/agents/kim/state", json={"state": "available"}).status_code == 401
    assert session.scalars(select(SeatChange)).all() == []


def test_on_a_call_an_agent_cannot_sign_out_and_wrap_up_ends_by_itself(
    client: TestClient, sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    agents(sessions, clock)
    client.post("/api/v1/agents/li/state", json={"state": "available"}, headers=AUTH)
    with sessions.begin() as session:
        seat = seats.seat_for(
            session=session,
            clock=clock,
            user=seats.get_user_or_raise(session=session, username="li"),
        )
        for move in (SeatMove.RING, SeatMove.ANSWER):
            seats.apply(session=session, clock=clock, seat=seat, move=move, call_sid="CA1")
    refused = client.post("/api/v1/agents/li/state", json={"state": "signed_out"}, headers=AUTH)
    assert refused.status_code == 409 and "on call" in refused.json()["detail"]
    with sessions.begin() as session:
        seat = seats.seat_for(
            session=session,
            clock=clock,
            user=seats.get_user_or_raise(session=session, username="li"),
        )
        seats.apply(
            session=session,
            clock=clock,
            seat=seat,
            move=SeatMove.HANG_UP,
            wrap_up=timedelta(seconds=30),
        )
        assert seat.wrap_up_until == clock.now() + timedelta(seconds=30)
    clock.advance(seconds=29)
    with sessions.begin() as session:
        assert seats.end_due_wrap_ups(session=session, clock=clock) == []
    clock.advance(seconds=1)
    listed = client.get("/api/v1/agents", headers=AUTH).json()["items"]  # ends the wrap-up
    with sessions.begin() as session:
        assert seats.end_due_wrap_ups(session=session, clock=clock) == []
    li = next(a for a in listed if a["username"] == "li")
    assert li["state"] == SeatState.AVAILABLE and li["idle_since"] == "2026-11-20T09:30:30Z"
