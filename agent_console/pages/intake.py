"""A new ticket typed by an agent on the phone, and everything from one caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from agent_console.auth import FormViewerDep, ViewerDep
from agent_console.errors import domain_errors
from agent_console.presenters import phones
from agent_console.web import client_address, render
from hotline.api.deps import SessionDep
from hotline.audit import service as audit
from hotline.calls.models import Call
from hotline.core.errors import Conflict
from hotline.grids import service as grids
from hotline.grids.models import UnitLevel
from hotline.tickets import phone_intake, queries
from hotline.tickets.categories import Category
from hotline.tickets.kinds import IntakeType
from hotline.tickets.queries import TicketQuery
from hotline.users.access import require
from hotline.users.permissions import Verb

router = APIRouter()


def _form_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    form: dict[str, str],
    problem: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "new_ticket.html",
        language=viewer.language,
        status_code=status_code,
        viewer=viewer,
        form=form,
        problem=problem,
        categories=[c.value for c in Category],
        intake_types=[k.value for k in IntakeType],
        communities=grids.list_units(session=session, level=UnitLevel.COMMUNITY),
    )


@router.get("/new", response_class=HTMLResponse)
def new_form(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """The form for a ticket taken on the phone."""
    with domain_errors():
        require(viewer.actor, Verb.CREATE)
    form = {"caller": request.query_params.get("caller", ""), "language": "zh-CN"}
    return _form_page(request, session, viewer, form)


@router.post("/new")
def create(
    request: Request,
    session: SessionDep,
    viewer: FormViewerDep,
    caller: Annotated[str, Form(max_length=32)],
    category: Annotated[str, Form()],
    summary: Annotated[str, Form(max_length=4000)],
    language: Annotated[str, Form()] = "zh-CN",
    community: Annotated[str, Form()] = "",
    answered: Annotated[str, Form()] = "",
    intake_type: Annotated[str, Form(max_length=16)] = "",
    confidential: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    """Create the ticket; answered questions close at once, others are triaged and routed."""
    with domain_errors():
        require(viewer.actor, Verb.CREATE)
    form = {
        "caller": caller.strip(),
        "category": category,
        "summary": summary,
        "language": language,
        "community": community,
        "answered": answered,
        "intake_type": intake_type,
        "confidential": confidential,
    }
    try:
        with session.begin_nested():
            ticket = phone_intake.create_on_behalf(
                session=session,
                clock=request.app.state.clock,
                policy=request.app.state.policy,
                actor=viewer.actor,
                caller=caller.strip(),
                language=language if language in ("zh-CN", "en", "ko") else "zh-CN",
                category=category,
                community=community or None,
                summary=summary,
                answered=answered == "1",
                intake_type=intake_type or None,
                confidential=confidential == "1",
            )
    except Conflict as error:
        return _form_page(request, session, viewer, form, problem=str(error), status_code=422)
    return RedirectResponse(f"/console/tickets/{ticket.reference}?done=create", status_code=303)


@router.get("/callers/{phone}", response_class=HTMLResponse)
def caller_view(phone: str, request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    """Every ticket (within scope) and every call from one number."""
    with domain_errors():
        require(viewer.actor, Verb.TRIAGE)
    page = queries.search(
        session=session,
        actor=viewer.actor,
        query=TicketQuery(caller=phone, per_page=100),
        now=request.app.state.clock.now(),
        timezone=request.app.state.settings.timezone,
    )
    shown, _ = phones(viewer.actor, page.items)
    calls = session.scalars(
        select(Call).where(Call.from_number == phone).order_by(Call.id.desc()).limit(100)
    ).all()
    audit.record(
        session=session,
        clock=request.app.state.clock,
        username=viewer.user.username,
        action="view_caller",
        detail=phone,
        client=client_address(request),
    )
    return render(
        request,
        "caller.html",
        language=viewer.language,
        viewer=viewer,
        phone=phone,
        page=page,
        phones=shown,
        calls=calls,
    )
