"""Calls with an agent: the live transcript with suggestions, and filing the call's ticket."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from hotline.api.deps import SessionDep, TokenDep
from hotline.core.errors import Conflict, Forbidden, NotFound
from hotline.seats import screen
from hotline.tickets.kinds import IntakeType
from hotline.tickets.schemas import TicketDetail, ticket_detail
from hotline.users import service as users
from hotline.users.access import actor_for

router = APIRouter(prefix="/api/v1", tags=["calls"])


@router.get("/calls/{call_sid}/transcript")
def call_transcript(
    call_sid: str, request: Request, session: SessionDep, _token: TokenDep
) -> dict[str, Any]:
    """Segments per track (inbound: the caller, outbound: the agent), partial or final, and
    the suggestions the triage rules draw from what the caller has said."""
    state = request.app.state
    try:
        view = screen.live_view(
            session=session,
            clock=state.clock,
            policy=state.policy,
            partials=state.live_partials,
            call_sid=call_sid,
        )
    except NotFound as error:
        raise HTTPException(404, str(error)) from error
    return view.as_json()


class SeatTicketIn(BaseModel):
    """What the agent files for the call (the seat's form, for softphones and integrations)."""

    agent: str = Field(max_length=64)
    category: str = Field(max_length=32)
    summary: str = Field(max_length=4000)
    community: str | None = Field(None, max_length=8)
    grid: str | None = Field(None, max_length=16)
    urgent: bool = False
    answered: bool = False
    article: str | None = Field(
        None, max_length=40, description="code of the knowledge-base article answered from"
    )
    intake_type: IntakeType | None = None
    confidential: bool = Field(False, description="保密: hide the caller from every unit")


@router.post("/calls/{call_sid}/ticket", response_model=TicketDetail, status_code=201)
def file_ticket(
    call_sid: str, body: SeatTicketIn, request: Request, session: SessionDep, _token: TokenDep
) -> TicketDetail:
    """The agent who took the call files its ticket: routed at once with the live transcript,
    or closed as answered; 404 for a call the agent did not take, 409 if it has a ticket."""
    state = request.app.state
    try:
        user = users.get_by_username(session=session, username=body.agent)
        if user is None or not user.active:
            raise NotFound(f"no agent {body.agent}")
        with session.begin_nested():
            ticket = screen.file_ticket(
                session=session,
                clock=state.clock,
                policy=state.policy,
                partials=state.live_partials,
                user=user,
                actor=actor_for(session=session, user=user),
                call_sid=call_sid,
                form=screen.TicketForm(**body.model_dump(exclude={"agent"})),
            )
    except NotFound as error:
        raise HTTPException(404, str(error)) from error
    except (Conflict, Forbidden) as error:
        raise HTTPException(409, str(error)) from error
    return ticket_detail(session=session, ticket=ticket)
