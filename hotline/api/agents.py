"""GET /api/v1/agents and POST /api/v1/agents/{username}/state: who can take a call now."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from hotline.api.deps import SessionDep, TokenDep
from hotline.core.errors import Conflict, Forbidden, NotFound
from hotline.seats import service as seats
from hotline.seats.models import Seat

router = APIRouter(prefix="/api/v1", tags=["agents"])


class AgentOut(BaseModel):
    """An agent's seat."""

    username: str
    state: str
    since: datetime
    languages: list[str]
    pause_reason: str | None
    idle_since: datetime | None
    call_sid: str | None
    wrap_up_until: datetime | None


class AgentList(BaseModel):
    """Every agent's seat."""

    items: list[AgentOut]


class StateIn(BaseModel):
    """The state an agent chooses."""

    state: Literal["available", "paused", "signed_out"]
    reason: str | None = Field(None, max_length=16)


def _out(seat: Seat) -> AgentOut:
    return AgentOut(
        username=seat.user.username,
        state=seat.state,
        since=seat.since,
        languages=list(seats.languages_of(seat.user)),
        pause_reason=seat.pause_reason,
        idle_since=seat.idle_since,
        call_sid=seat.call_sid,
        wrap_up_until=seat.wrap_up_until,
    )


@router.get("/agents", response_model=AgentList)
def list_agents(request: Request, session: SessionDep, _token: TokenDep) -> AgentList:
    """Every agent who has had a seat, by username (after-call work that is over has ended)."""
    seats.end_due_wrap_ups(session=session, clock=request.app.state.clock)
    return AgentList(items=[_out(seat) for seat in seats.list_seats(session=session)])


@router.post("/agents/{username}/state", response_model=AgentOut)
def set_state(
    username: str, body: StateIn, request: Request, session: SessionDep, _token: TokenDep
) -> AgentOut:
    """Available, paused (with a reason) or signed out; 409 when not allowed now."""
    state = request.app.state
    try:
        with session.begin_nested():
            seat = seats.choose_state(
                session=session,
                clock=state.clock,
                username=username,
                state=body.state,
                reason=body.reason,
                wrap_up=timedelta(seconds=state.settings.wrap_up_seconds),
            )
    except NotFound as error:
        raise HTTPException(404, str(error)) from error
    except Forbidden as error:
        raise HTTPException(403, str(error)) from error
    except Conflict as error:
        raise HTTPException(409, str(error)) from error
    return _out(seat)
