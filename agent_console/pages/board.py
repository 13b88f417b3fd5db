"""The supervisor's live board, and listening, whispering or barging into a call."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from agent_console.auth import FormViewerDep, Viewer, ViewerDep
from agent_console.errors import domain_errors
from agent_console.i18n import translator
from agent_console.web import render
from hotline.api.deps import SessionDep
from hotline.audit import service as audit
from hotline.core.errors import Conflict, NotFound
from hotline.seats import board, conference
from hotline.seats.models import ParticipantRole
from hotline.telephony.port import TelephonyError, make_telephony
from hotline.users.access import require
from hotline.users.permissions import Verb

router = APIRouter(prefix="/board")


def _page(
    request: Request,
    session: SessionDep,
    viewer: Viewer,
    *,
    template: str = "board.html",
    flash: str | None = None,
    problem: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    with domain_errors():
        require(viewer.actor, Verb.MONITOR)
    return render(
        request,
        template,
        language=viewer.language,
        status_code=status_code,
        viewer=viewer,
        board=board.live_board(session=session, clock=request.app.state.clock),
        modes=[r.value for r in conference.MONITOR_ROLES],
        clock=clock_text,
        flash=flash,
        problem=problem,
    )


def clock_text(seconds: int) -> str:
    """m:ss, or h:mm:ss past an hour."""
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


@router.get("", response_class=HTMLResponse)
def board_page(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """Agents and waiting callers, refreshed every two seconds."""
    return _page(request, session, viewer)


@router.get("/rows", response_class=HTMLResponse)
def board_rows(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """The board's tables alone, for the refresh."""
    return _page(request, session, viewer, template="_board.html")


@router.post("/calls/{call_sid}/monitor")
def monitor(
    call_sid: str,
    request: Request,
    session: SessionDep,
    viewer: FormViewerDep,
    mode: Annotated[str, Form(max_length=16)],
) -> Response:
    """Ring the supervisor's phone into the call: muted, coaching the agent, or speaking."""
    state = request.app.state
    with domain_errors():
        require(viewer.actor, Verb.MONITOR)
    try:
        role = ParticipantRole(mode)
        with session.begin_nested():
            conference.monitor(
                session=session,
                clock=state.clock,
                telephony=make_telephony(state.settings),
                base_url=state.settings.public_base_url,
                call_sid=call_sid,
                supervisor=viewer.user,
                role=role,
            )
    except (ValueError, Conflict, NotFound, TelephonyError) as error:
        return _page(request, session, viewer, problem=str(error), status_code=409)
    audit.record(
        session=session,
        clock=state.clock,
        username=viewer.user.username,
        action=f"monitor_{role.value}",
        detail=call_sid,
    )
    t = translator(viewer.language)
    return _page(request, session, viewer, flash=t("board.joined", mode=t(f"board.{role.value}")))
