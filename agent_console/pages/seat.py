"""The agent's seat: waiting for a call, then the call's screen with its live transcript."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from agent_console.auth import FormViewerDep, Viewer, ViewerDep
from agent_console.errors import domain_errors
from agent_console.i18n import translator
from agent_console.web import render
from hotline.api.deps import SessionDep
from hotline.core.errors import Conflict
from hotline.grids import service as grids
from hotline.grids.models import UnitLevel
from hotline.seats import conference, screen
from hotline.seats import service as seats
from hotline.seats.states import PauseReason, SeatMove
from hotline.telephony.port import TelephonyError, make_telephony
from hotline.tickets.categories import Category
from hotline.tickets.kinds import IntakeType
from hotline.users.access import require
from hotline.users.permissions import Verb

router = APIRouter(prefix="/seat")


def _seat_page(
    request: Request,
    session: SessionDep,
    viewer: Viewer,
    *,
    flash: str | None = None,
    problem: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    clock = request.app.state.clock
    return render(
        request,
        "seat.html",
        language=viewer.language,
        status_code=status_code,
        viewer=viewer,
        seat=seats.seat_for(session=session, clock=clock, user=viewer.user),
        pause_reasons=[r.value for r in PauseReason if r is not PauseReason.MISSED],
        flash=flash,
        problem=problem,
    )


@router.get("", response_class=HTMLResponse)
def seat_page(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """The seat between calls: its state, and a watch for the next call."""
    with domain_errors():
        require(viewer.actor, Verb.TAKE_CALLS)
    return _seat_page(request, session, viewer)


@router.post("/state")
def choose_state(
    request: Request,
    session: SessionDep,
    viewer: FormViewerDep,
    state: Annotated[str, Form(max_length=16)],
    reason: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """The agent makes themself available, pauses with a reason, or signs out of the seat."""
    with domain_errors():
        require(viewer.actor, Verb.TAKE_CALLS)
    settings = request.app.state.settings
    try:
        with session.begin_nested():
            seats.choose_state(
                session=session,
                clock=request.app.state.clock,
                username=viewer.user.username,
                state=state,
                reason=reason or None,
                wrap_up=timedelta(seconds=settings.wrap_up_seconds),
            )
    except Conflict as error:
        return _seat_page(request, session, viewer, problem=str(error), status_code=409)
    saved = translator(viewer.language)("common.save") + " ✓"
    return _seat_page(request, session, viewer, flash=saved)


@router.get("/now", response_class=HTMLResponse)
def seat_now(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    """Polled every second: once a call is bridged, open its screen."""
    with domain_errors():
        require(viewer.actor, Verb.TAKE_CALLS)
    seats.end_due_wrap_ups(session=session, clock=request.app.state.clock)
    call_sid = screen.current_call(session=session, user=viewer.user)
    seat = seats.seat_for(session=session, clock=request.app.state.clock, user=viewer.user)
    response = render(request, "_seat_now.html", language=viewer.language, seat=seat)
    if call_sid and seat.state == "on_call":
        response.headers["HX-Redirect"] = f"/console/seat/calls/{call_sid}"
    return response


def _call_page(
    request: Request,
    session: SessionDep,
    viewer: Viewer,
    call_sid: str,
    *,
    form: dict[str, Any] | None = None,
    problem: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    with domain_errors():
        require(viewer.actor, Verb.TAKE_CALLS)
        found = screen.seat_call(
            session=session, user=viewer.user, actor=viewer.actor, call_sid=call_sid
        )
    pop = screen.screen_pop(session=session, call=found.call)
    seat = seats.seat_for(session=session, clock=request.app.state.clock, user=viewer.user)
    return render(
        request,
        "seat_call.html",
        language=viewer.language,
        status_code=status_code,
        viewer=viewer,
        found=found,
        pop=pop,
        seat=seat,
        mine=found.offer.user_id == viewer.user.id,
        participants=conference.participants(session=session, entry_id=found.entry.id),
        categories=[c.value for c in Category],
        intake_types=[k.value for k in IntakeType],
        communities=grids.list_units(session=session, level=UnitLevel.COMMUNITY),
        grid_units=grids.list_units(session=session, level=UnitLevel.GRID),
        form=form or {},
        problem=problem,
    )


@router.get("/calls/{call_sid}", response_class=HTMLResponse)
def call_page(
    call_sid: str, request: Request, session: SessionDep, viewer: ViewerDep
) -> HTMLResponse:
    """Screen pop, live transcript, suggestions and the pre-filled ticket form."""
    return _call_page(request, session, viewer, call_sid)


@router.get("/calls/{call_sid}/live")
def call_live(
    call_sid: str, request: Request, session: SessionDep, viewer: ViewerDep
) -> JSONResponse:
    """The transcript so far and the rules' suggestions, for the seat's script to draw."""
    state = request.app.state
    with domain_errors():
        require(viewer.actor, Verb.TAKE_CALLS)
        screen.seat_call(session=session, user=viewer.user, actor=viewer.actor, call_sid=call_sid)
        view = screen.live_view(
            session=session,
            clock=state.clock,
            policy=state.policy,
            partials=state.live_partials,
            call_sid=call_sid,
        )
    return JSONResponse(view.as_json())


@router.post("/calls/{call_sid}/ticket")
def call_ticket(
    call_sid: str,
    request: Request,
    session: SessionDep,
    viewer: FormViewerDep,
    category: Annotated[str, Form(max_length=32)],
    summary: Annotated[str, Form(max_length=4000)],
    community: Annotated[str, Form(max_length=8)] = "",
    grid: Annotated[str, Form(max_length=16)] = "",
    urgent: Annotated[str, Form(max_length=1)] = "",
    answered: Annotated[str, Form(max_length=1)] = "",
    article: Annotated[str, Form(max_length=40)] = "",
    intake_type: Annotated[str, Form(max_length=16)] = "",
    confidential: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    """Dispatch the ticket (routed at once, transcript attached) or close it as answered."""
    state = request.app.state
    form = {
        "category": category,
        "summary": summary,
        "community": community,
        "grid": grid,
        "urgent": urgent,
        "answered": answered,
        "article": article,
        "intake_type": intake_type,
        "confidential": confidential,
    }
    with domain_errors():  # a call this agent did not take: 404
        require(viewer.actor, Verb.CREATE)
        try:
            with session.begin_nested():
                ticket = screen.file_ticket(
                    session=session,
                    clock=state.clock,
                    policy=state.policy,
                    partials=state.live_partials,
                    user=viewer.user,
                    actor=viewer.actor,
                    call_sid=call_sid,
                    form=screen.TicketForm(
                        category=category,
                        summary=summary,
                        community=community,
                        grid=grid,
                        urgent=urgent == "1",
                        answered=answered == "1",
                        article=article or None,
                        intake_type=intake_type or None,
                        confidential=confidential == "1",
                    ),
                )
        except Conflict as error:
            return _call_page(
                request, session, viewer, call_sid, form=form, problem=str(error), status_code=422
            )
    return RedirectResponse(
        f"/console/seat/calls/{call_sid}?done={ticket.reference}", status_code=303
    )


@router.post("/calls/{call_sid}/third-party")
def third_party(
    call_sid: str,
    request: Request,
    session: SessionDep,
    viewer: FormViewerDep,
    phone: Annotated[str, Form(max_length=255)],
    label: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """三方通话: dial the grid worker or department on duty into this call."""
    state = request.app.state
    with domain_errors():
        require(viewer.actor, Verb.TAKE_CALLS)
        screen.seat_call(session=session, user=viewer.user, actor=viewer.actor, call_sid=call_sid)
    try:
        with session.begin_nested():
            conference.add_third_party(
                session=session,
                clock=state.clock,
                telephony=make_telephony(state.settings),
                base_url=state.settings.public_base_url,
                call_sid=call_sid,
                phone=phone.strip(),
                added_by=viewer.user.username,
                label=label.strip() or None,
            )
    except (Conflict, TelephonyError) as error:
        return _call_page(request, session, viewer, call_sid, problem=str(error), status_code=409)
    return RedirectResponse(f"/console/seat/calls/{call_sid}", status_code=303)


@router.post("/wrap-up")
def wrap_up(
    request: Request,
    session: SessionDep,
    viewer: FormViewerDep,
    action: Annotated[str, Form(max_length=16)],
) -> Response:
    """End after-call work now (available for the next call) or take more time."""
    state = request.app.state
    with domain_errors():
        require(viewer.actor, Verb.TAKE_CALLS)
    seat = seats.seat_for(session=session, clock=state.clock, user=viewer.user, lock=True)
    move = SeatMove.EXTEND_WRAP_UP if action == "extend" else SeatMove.END_WRAP_UP
    try:
        with session.begin_nested():
            seats.apply(
                session=session,
                clock=state.clock,
                seat=seat,
                move=move,
                wrap_up=timedelta(seconds=state.settings.wrap_up_seconds),
            )
    except Conflict as error:
        return _seat_page(request, session, viewer, problem=str(error), status_code=409)
    return RedirectResponse("/console/seat", status_code=303)
