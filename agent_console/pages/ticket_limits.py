"""The ticket page's case rules: time-limit class, intake type, extensions, hand-over,
assisting units."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from agent_console.auth import FormViewerDep
from agent_console.errors import PageError
from agent_console.pages.ticket import change_ticket, visible
from hotline.api.deps import SessionDep
from hotline.tickets.actions import ActionRequest, take

router = APIRouter()
NAMES = {
    "urgency": "set_urgency",
    "intake-type": "set_intake_type",
    "extension": "request_extension",
    "approve": "approve_extension",
    "refuse": "refuse_extension",
    "hand-over": "hand_over",
    "assist": "ask_assist",
    "task-accept": "accept_task",
    "task-report": "report_task",
    "task-release": "release_task",
    "confidential": "mark_confidential",
    "hold": "hold_recordings",
    "release-hold": "release_hold",
}


@router.post("/tickets/{reference}/limits/{what}")
def change(
    reference: str,
    what: str,
    request: Request,
    session: SessionDep,
    viewer: FormViewerDep,
    note: Annotated[str, Form(max_length=4000)] = "",
    days: Annotated[int | None, Form(ge=1, le=3650)] = None,
    urgency: Annotated[str, Form(max_length=16)] = "",
    intake_type: Annotated[str, Form(max_length=16)] = "",
    unit: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Change the class or type, ask for or decide an extension, hand responsibility over, or
    ask, accept, report on or release an assisting task; a refused move shows the ticket again
    with the reason (409)."""
    ticket = visible(session, viewer, reference)
    action = NAMES.get(what)
    if action is None:
        raise PageError(404, f"nothing called {what!r} to change on a ticket")
    state = request.app.state
    wanted = ActionRequest(
        action=action,
        note=note,
        days=days,
        urgency=urgency,
        intake_type=intake_type,
        unit=unit or None,
    )
    return change_ticket(
        request,
        session,
        viewer,
        ticket,
        lambda: take(
            session=session,
            clock=state.clock,
            policy=state.policy,
            surveys=state.survey_policy,
            actor=viewer.actor,
            ticket=ticket,
            request=wanted,
        ),
        done="limits",
    )
