"""Live calls: who is waiting for an agent, answer the next one, and missed calls."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from agent_console.auth import FormViewerDep, Viewer, ViewerDep
from agent_console.errors import domain_errors
from agent_console.i18n import translator
from agent_console.web import render
from hotline.api.deps import SessionDep
from hotline.audit import service as audit
from hotline.core.errors import Conflict
from hotline.queue import service as queue
from hotline.queue.models import QueueEntry
from hotline.seats import acd
from hotline.seats import service as seats
from hotline.users.access import require
from hotline.users.permissions import Verb

router = APIRouter(prefix="/calls")


def _waited(request: Request, entries: list[QueueEntry]) -> dict[int, str]:
    now = request.app.state.clock.now()
    out = {}
    for entry in entries:
        seconds = max(0, int((now - entry.enqueued_at).total_seconds()))
        out[entry.id] = f"{seconds // 60}:{seconds % 60:02d}"
    return out


def _page(
    request: Request,
    session: SessionDep,
    viewer: Viewer,
    *,
    flash: str | None = None,
    problem: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    waiting = list(queue.waiting(session=session))
    since = request.app.state.clock.now() - timedelta(hours=24)
    seat = seats.seat_for(session=session, clock=request.app.state.clock, user=viewer.user)
    return render(
        request,
        "calls.html",
        language=viewer.language,
        status_code=status_code,
        viewer=viewer,
        waiting=waiting,
        waited=_waited(request, waiting),
        missed=queue.missed(session=session, since=since),
        seat=seat,
        flash=flash,
        problem=problem,
    )


@router.get("", response_class=HTMLResponse)
def calls_page(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """The queue and the missed calls of the last 24 hours."""
    with domain_errors():
        require(viewer.actor, Verb.TAKE_CALLS)
    return _page(request, session, viewer)


@router.get("/queue", response_class=HTMLResponse)
def queue_rows(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """The waiting callers alone, refreshed every few seconds."""
    with domain_errors():
        require(viewer.actor, Verb.TAKE_CALLS)
    waiting = list(queue.waiting(session=session))
    return render(
        request,
        "_queue.html",
        language=viewer.language,
        waiting=waiting,
        waited=_waited(request, waiting),
    )


@router.post("/answer-next")
def answer_next(request: Request, session: SessionDep, viewer: FormViewerDep) -> Response:
    """Ring the agent's phone now for the longest-waiting caller of their languages."""
    with domain_errors():
        require(viewer.actor, Verb.TAKE_CALLS)
    try:
        with session.begin_nested():
            offer = acd.pull(session=session, clock=request.app.state.clock, user=viewer.user)
    except Conflict as error:
        return _page(request, session, viewer, problem=str(error), status_code=409)
    audit.record(
        session=session,
        clock=request.app.state.clock,
        username=viewer.user.username,
        action="answer_call",
        detail=offer.entry.call_sid,
    )
    flash = translator(viewer.language)("calls.answered", number=offer.entry.from_number)
    return _page(request, session, viewer, flash=flash)
