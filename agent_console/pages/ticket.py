"""One ticket: facts, recording, transcript, triage, actions, notes, merge, timeline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile as StarletteUpload

from agent_console.auth import FormViewerDep, Viewer, ViewerDep
from agent_console.errors import PageError, domain_errors
from agent_console.i18n import translator
from agent_console.presenters import buttons, leads, phone_for, timeline
from agent_console.web import client_address, render
from hotline.api.deps import SessionDep
from hotline.assists import service as assists
from hotline.assists.rules import OPEN as TASK_OPEN
from hotline.audit import service as audit
from hotline.calls.models import Recording
from hotline.extensions import service as extension_service
from hotline.grids import service as grids
from hotline.grids.models import UnitLevel
from hotline.hotspots import service as hotspots
from hotline.photos import rules as photo_rules
from hotline.photos import service as photo_service
from hotline.photos.models import PhotoKind
from hotline.photos.rules import CheckedPhoto
from hotline.reasons import service as reasons
from hotline.reasons.codes import from_json
from hotline.surveys import service as surveys
from hotline.tickets import desk
from hotline.tickets.categories import Category
from hotline.tickets.kinds import IntakeType, Urgency
from hotline.tickets.models import Ticket, TicketNote
from hotline.tickets.transitions import TicketAction
from hotline.transcripts.queries import latest_by_call
from hotline.triage.config import TriageLevel
from hotline.users.access import require, visible_ticket
from hotline.users.permissions import Verb

router = APIRouter()
SAVED = frozenset(
    {"triage", "note", "transcript", "merge", "limits"}
)  # ?done= values shown as "saved"


def visible(session: Session, viewer: Viewer, reference: str) -> Ticket:
    with domain_errors():
        require(viewer.actor, Verb.VIEW)
        return visible_ticket(session=session, actor=viewer.actor, reference=reference)


def ticket_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    ticket: Ticket,
    *,
    problem: str | None = None,
    status_code: int = 200,
    revealed: bool = False,
) -> HTMLResponse:
    """Render the ticket page, writing the unmasked-number view to the audit log."""
    t = translator(viewer.language)
    phone, visible = (ticket.caller, True) if revealed else phone_for(viewer.actor, ticket)
    if visible and ticket.caller:
        audit.record(
            session=session,
            clock=request.app.state.clock,
            username=viewer.user.username,
            action="view_phone",
            ticket_id=ticket.id,
            client=client_address(request),
        )
    recordings = (
        session.scalars(
            select(Recording)
            .where(
                Recording.call_id == ticket.call_id,
                or_(Recording.local_path.is_not(None), Recording.deleted_at.is_not(None)),
            )
            .order_by(Recording.id)
        ).all()
        if ticket.call_id
        else []
    )
    transcript = (
        latest_by_call(session=session, call_ids=[ticket.call_id]).get(ticket.call_id)
        if ticket.call_id
        else None
    )
    notes = session.scalars(
        select(TicketNote).where(TicketNote.ticket_id == ticket.id).order_by(TicketNote.id)
    ).all()
    community = (
        grids.get_community_by_code(session=session, code=ticket.location_code)
        if ticket.location_code
        else None
    )
    done = request.query_params.get("done")
    flash = t("action." + done) + " ✓" if done in {a.value for a in TicketAction} else None
    if done in SAVED:
        flash = t("common.save") + " ✓"
    coded = [r for e in ticket.events for r in from_json(e.reason_codes)]
    coded += from_json(ticket.review_codes)
    names = reasons.names_for(session=session, reasons=coded)
    grid_units = grids.list_units(session=session, level=UnitLevel.GRID)
    if viewer.actor.scope is not None:
        grid_units = [g for g in grid_units if g.id in viewer.actor.scope]
    return render(
        request,
        "ticket.html",
        language=viewer.language,
        status_code=status_code,
        viewer=viewer,
        ticket=ticket,
        phone=phone,
        phone_visible=visible,
        revealed=revealed,
        voice_hidden=not viewer.actor.hears_caller(confidential=ticket.confidential),
        place=f"{community.code} {community.name_in(viewer.language)}" if community else None,
        recordings=recordings,
        transcript=transcript,
        duplicate=ticket.duplicate_of,
        survey=surveys.latest_for(session=session, ticket_ids=[ticket.id]).get(ticket.id),
        photos=photo_service.list_for(session=session, ticket=ticket),
        team_members=(
            grids.list_members(session=session, unit_id=ticket.team.id)
            if ticket.team is not None and ticket.status == "dispatched"
            else []
        ),
        actions=buttons(viewer.actor, ticket),
        timeline=timeline(ticket.events, notes, t, language=viewer.language, names=names),
        review_reason=reasons.describe(
            reasons_json=ticket.review_codes,
            fallback=ticket.review_reason,
            language=viewer.language,
            names=names,
        ),
        categories=[c.value for c in Category],
        levels=[lv.value for lv in TriageLevel],
        intake_types=[k.value for k in IntakeType],
        urgencies=[u.value for u in Urgency],
        extensions=extension_service.history(session=session, ticket_id=ticket.id),
        tasks=assists.tasks(session=session, ticket_id=ticket.id),
        linked=hotspots.linked(session=session, case_id=ticket.id)
        if ticket.channel == "proactive"
        else [],
        task_open=[status.value for status in TASK_OPEN],
        leads=leads(viewer.actor, ticket),
        units=grids.list_units(session=session) if viewer.actor.may(Verb.DISPATCH) else [],
        grids=grid_units,
        flash=flash,
        problem=problem,
    )


def _back(ticket: Ticket, done: str) -> RedirectResponse:
    return RedirectResponse(f"/console/tickets/{ticket.reference}?done={done}", status_code=303)


def change_ticket(
    request: Request,
    session: Session,
    viewer: Viewer,
    ticket: Ticket,
    change: Callable[[], object],
    *,
    done: str,
) -> Response:
    """Apply a change in a savepoint; a refused one shows the ticket again with the reason (409)."""
    try:
        with domain_errors(), session.begin_nested():
            change()
    except PageError as error:
        if error.status_code != 409:
            raise
        session.refresh(ticket)
        return ticket_page(request, session, viewer, ticket, problem=error.message, status_code=409)
    return _back(ticket, done)


@router.get("/tickets/{reference}", response_class=HTMLResponse)
def detail(reference: str, request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    """The ticket page (404 for tickets outside the viewer's scope)."""
    ticket = visible(session, viewer, reference)
    return ticket_page(request, session, viewer, ticket)


Uploads = Annotated[list[UploadFile | str], File()]


def _photos(
    before: list[UploadFile | str], after: list[UploadFile | str]
) -> list[tuple[PhotoKind, CheckedPhoto]]:
    """Check every chosen file (an empty file input sends a part with no file); PhotoRejected."""
    checked = []
    for kind, files in ((PhotoKind.BEFORE, before), (PhotoKind.AFTER, after)):
        # Starlette's class: FastAPI's UploadFile is a subclass used only for annotations.
        chosen = [f for f in files if isinstance(f, StarletteUpload) and f.filename]
        photo_rules.check_count(kind.value, len(chosen))
        for upload in chosen:
            data = upload.file.read(photo_rules.MAX_BYTES + 1)
            checked.append((kind, photo_rules.check(upload.filename or "photo", data)))
    return checked


@router.post("/tickets/{reference}/actions")
def act(
    reference: str,
    request: Request,
    session: SessionDep,
    viewer: FormViewerDep,
    action: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=4000)] = "",
    before: Uploads = [],  # noqa: B006 - FastAPI copies defaults
    after: Uploads = [],  # noqa: B006
) -> Response:
    """Dispatch, accept, return, resolve (with photos of the place), close, reopen or answer."""
    ticket = visible(session, viewer, reference)
    try:
        chosen = TicketAction(action)
    except ValueError:
        raise PageError(400, f"unknown action {action!r}") from None
    with domain_errors():
        require(viewer.actor, desk.ACTION_VERBS.get(chosen, Verb.MANAGE_REGISTRY))
    try:
        photos = _photos(before, after)
    except photo_rules.PhotoRejected as rejected:
        return ticket_page(request, session, viewer, ticket, problem=str(rejected), status_code=400)
    if photos and chosen is not TicketAction.RESOLVE:
        problem = translator(viewer.language)("ticket.photos_with_resolve")
        return ticket_page(request, session, viewer, ticket, problem=problem, status_code=400)
    state = request.app.state

    def change() -> None:
        event = desk.perform(
            session=session,
            clock=state.clock,
            policy=state.policy,
            surveys=state.survey_policy,
            actor=viewer.actor,
            ticket=ticket,
            action=chosen,
            note=note,
        )
        if photos:
            photo_service.attach(
                session=session,
                clock=state.clock,
                store=state.settings.photos_dir,
                actor=viewer.actor,
                ticket=ticket,
                event=event,
                photos=photos,
            )

    return change_ticket(request, session, viewer, ticket, change, done=chosen.value)


@router.post("/tickets/{reference}/triage")
def retriage(
    reference: str,
    request: Request,
    session: SessionDep,
    viewer: FormViewerDep,
    category: Annotated[str, Form()],
    level: Annotated[str, Form()],
    grid: Annotated[str, Form()] = "",
    intake_type: Annotated[str, Form()] = "",
    urgency: Annotated[str, Form()] = "",
) -> Response:
    """Set category, level, grid, intake type and time-limit class by hand; the ticket leaves
    the triage queue."""
    ticket = visible(session, viewer, reference)
    return change_ticket(
        request,
        session,
        viewer,
        ticket,
        lambda: desk.retriage(
            session=session,
            clock=request.app.state.clock,
            policy=request.app.state.policy,
            actor=viewer.actor,
            ticket=ticket,
            category=category,
            grid_code=grid or None,
            level=level,
            intake_type=intake_type or None,
            urgency=urgency or None,
        ),
        done="triage",
    )


@router.post("/tickets/{reference}/reassign")
def reassign(
    reference: str,
    request: Request,
    session: SessionDep,
    viewer: FormViewerDep,
    member: Annotated[str, Form(max_length=40)],
) -> Response:
    """Give a dispatched ticket to another member of its team."""
    ticket = visible(session, viewer, reference)
    return change_ticket(
        request,
        session,
        viewer,
        ticket,
        lambda: desk.reassign(
            session=session,
            clock=request.app.state.clock,
            policy=request.app.state.policy,
            actor=viewer.actor,
            ticket=ticket,
            member_code=member,
        ),
        done="dispatch",
    )


@router.post("/tickets/{reference}/transcript")
def correct(
    reference: str,
    request: Request,
    session: SessionDep,
    viewer: FormViewerDep,
    text: Annotated[str, Form(max_length=8000)],
) -> Response:
    """Save corrected text beside the recogniser's."""
    ticket = visible(session, viewer, reference)
    transcript = (
        latest_by_call(session=session, call_ids=[ticket.call_id]).get(ticket.call_id)
        if ticket.call_id
        else None
    )
    if transcript is None:
        raise PageError(404, f"ticket {reference} has no transcript")
    with domain_errors():
        desk.correct_transcript(
            clock=request.app.state.clock, actor=viewer.actor, transcript=transcript, text=text
        )
    return _back(ticket, "transcript")


@router.post("/tickets/{reference}/notes")
def add_note(
    reference: str,
    request: Request,
    session: SessionDep,
    viewer: FormViewerDep,
    body: Annotated[str, Form(max_length=4000)],
    visibility: Annotated[str, Form()] = "internal",
) -> Response:
    """An internal note or one the resident may hear."""
    ticket = visible(session, viewer, reference)
    with domain_errors():
        desk.add_note(
            session=session,
            clock=request.app.state.clock,
            actor=viewer.actor,
            ticket=ticket,
            body=body,
            visibility=visibility,
        )
    return _back(ticket, "note")


@router.post("/tickets/{reference}/merge")
def merge(
    reference: str,
    request: Request,
    session: SessionDep,
    viewer: FormViewerDep,
    into: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Merge this ticket into a surviving one."""
    ticket = visible(session, viewer, reference)
    survivor = visible(session, viewer, into.strip())
    with domain_errors():
        desk.merge_into(
            session=session,
            clock=request.app.state.clock,
            actor=viewer.actor,
            ticket=ticket,
            survivor=survivor,
            reason=reason,
        )
    return _back(ticket, "merge")


@router.post("/tickets/{reference}/reveal")
def reveal(
    reference: str,
    request: Request,
    session: SessionDep,
    viewer: FormViewerDep,
    why: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """A supervisor sees a confidential caller's number once, saying why (event and audit)."""
    ticket = visible(session, viewer, reference)
    try:
        with domain_errors(), session.begin_nested():
            desk.reveal_caller(
                session=session,
                clock=request.app.state.clock,
                actor=viewer.actor,
                ticket=ticket,
                why=why,
            )
    except PageError as error:
        if error.status_code != 409:
            raise
        return ticket_page(request, session, viewer, ticket, problem=error.message, status_code=409)
    return ticket_page(request, session, viewer, ticket, revealed=True)
