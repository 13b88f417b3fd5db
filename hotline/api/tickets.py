"""GET /api/v1/tickets and /api/v1/tickets/{reference}."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, Field

from hotline.api.deps import SessionDep, TokenDep
from hotline.core.errors import Conflict, NotFound
from hotline.tickets import actions
from hotline.tickets import service as tickets
from hotline.tickets.actions import ActionRequest
from hotline.tickets.categories import Category
from hotline.tickets.kinds import IntakeType, Urgency
from hotline.tickets.schemas import TicketDetail, TicketPage, ticket_detail, ticket_list
from hotline.tickets.transitions import InvalidTransition, TicketStatus
from hotline.users.permissions import SYSTEM_ACTOR

router = APIRouter(prefix="/api/v1", tags=["tickets"])


@router.get("/tickets", response_model=TicketPage)
def list_tickets(
    session: SessionDep,
    _token: TokenDep,
    status: TicketStatus | None = None,
    category: Category | None = None,
    intake_type: IntakeType | None = None,
    urgency: Urgency | None = None,
    phone: str | None = Query(None, description="caller number in E.164, such as +8613800000000"),
    since: datetime | None = None,
    q: str | None = Query(
        None,
        max_length=200,
        description="a reference, part of a phone number, or words (Chinese segmented); all match",
    ),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
) -> TicketPage:
    """Tickets newest first, filtered by status, category, intake type, time-limit class, caller
    phone, creation time and text."""
    if since is not None and since.tzinfo is None:
        raise HTTPException(422, "since: give a time zone, such as 2026-11-20T08:00:00+08:00 or …Z")
    found = tickets.list_tickets(
        session=session,
        status=status,
        category=category,
        intake_type=intake_type,
        urgency=urgency,
        phone=phone,
        since=since,
        text=q,
        limit=limit,
        offset=offset,
    )
    return TicketPage(items=ticket_list(session=session, tickets=found), limit=limit, offset=offset)


@router.get("/tickets/{reference}", response_model=TicketDetail)
def get_ticket(reference: str, session: SessionDep, _token: TokenDep) -> TicketDetail:
    """One ticket with its events and transcript."""
    try:
        ticket = tickets.get_by_reference_or_raise(session=session, reference=reference)
    except NotFound as error:
        raise HTTPException(404, str(error)) from error
    return ticket_detail(session=session, ticket=ticket)


class ActionIn(BaseModel):
    """An action, exactly as the console would take it."""

    action: Literal[
        "dispatch",
        "accept",
        "resolve",
        "close",
        "reopen",
        "return",
        "answer",
        "request_extension",
        "approve_extension",
        "refuse_extension",
        "set_urgency",
        "set_intake_type",
        "hand_over",
        "ask_assist",
        "accept_task",
        "report_task",
        "release_task",
        "mark_confidential",
        "hold_recordings",
        "release_hold",
    ]
    note: str = Field("", max_length=4000)
    days: int | None = Field(None, ge=1, le=3650, description="request_extension: more days")
    urgency: Urgency | None = Field(None, description="set_urgency: the time-limit class")
    intake_type: IntakeType | None = Field(None, description="set_intake_type")
    unit: str | None = Field(
        None, max_length=20, description="ask_assist, release_task (and a task of that unit)"
    )


@router.post("/tickets/{reference}/actions", response_model=TicketDetail)
def act(
    reference: str, body: ActionIn, request: Request, session: SessionDep, _token: TokenDep
) -> TicketDetail:
    """Move a ticket by the same rules as the console; 409 with the reason when not allowed."""
    state = request.app.state
    try:
        ticket = tickets.get_by_reference_or_raise(session=session, reference=reference)
        with session.begin_nested():
            actions.take(
                session=session,
                clock=state.clock,
                policy=state.policy,
                surveys=state.survey_policy,
                actor=SYSTEM_ACTOR,
                ticket=ticket,
                request=ActionRequest(
                    action=body.action,
                    note=body.note,
                    days=body.days,
                    urgency=body.urgency,
                    intake_type=body.intake_type,
                    unit=body.unit,
                ),
            )
    except NotFound as error:
        raise HTTPException(404, str(error)) from error
    except (InvalidTransition, Conflict) as error:
        raise HTTPException(409, str(error)) from error
    session.refresh(ticket)
    return ticket_detail(session=session, ticket=ticket)
