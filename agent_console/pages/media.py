"""A ticket's media: the caller's recording and the photos of the place, each view audited."""

from __future__ import annotations

import mimetypes

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask

from agent_console.auth import ViewerDep
from agent_console.errors import PageError, domain_errors
from agent_console.pages.ticket import visible
from agent_console.web import client_address
from hotline.api.deps import SessionDep
from hotline.audit import service as audit
from hotline.calls import audio
from hotline.calls.models import Recording
from hotline.photos import service as photo_service
from hotline.telephony.port import make_telephony
from hotline.users.access import require
from hotline.users.permissions import Verb

router = APIRouter()


@router.get("/tickets/{reference}/recordings/{recording_id}")
def recording_audio(
    reference: str, recording_id: int, request: Request, session: SessionDep, viewer: ViewerDep
) -> Response:
    """The recording's audio with range requests; each first fetch is written to the audit log."""
    ticket = visible(session, viewer, reference)
    with domain_errors():
        require(viewer.actor, Verb.LISTEN)
    if not viewer.actor.hears_caller(confidential=ticket.confidential):
        raise PageError(403, "the caller asked for confidentiality: the units do not hear the call")
    recording = session.get(Recording, recording_id)
    if recording is None or recording.call_id != ticket.call_id:
        raise PageError(404, f"no recording {recording_id} on ticket {reference}")
    settings = request.app.state.settings
    telephony = make_telephony(settings)
    with domain_errors():
        try:
            found = audio.locate(
                recording,
                recordings_dir=settings.recordings_dir,
                store=request.app.state.recording_store,
                telephony=telephony,
            )
        except audio.AudioUnavailable as error:
            raise PageError(502, str(error)) from None
    range_header = request.headers.get("range", "")
    if not range_header or range_header.startswith("bytes=0-"):
        audit.record(
            session=session,
            clock=request.app.state.clock,
            username=viewer.user.username,
            action="listen",
            ticket_id=ticket.id,
            detail=recording.recording_sid,
            client=client_address(request),
        )
    return FileResponse(
        found.path,
        media_type=mimetypes.guess_type(found.path.name)[0] or "audio/wav",
        headers={"Cache-Control": "private, no-store"},
        background=BackgroundTask(found.discard),
    )


@router.get("/tickets/{reference}/photos/{photo_id}")
def photo_file(
    reference: str, photo_id: int, request: Request, session: SessionDep, viewer: ViewerDep
) -> Response:
    """A photo of the ticket's place, for those who may see the ticket; every view is audited."""
    ticket = visible(session, viewer, reference)
    store = request.app.state.settings.photos_dir
    with domain_errors():
        photo = photo_service.file_or_raise(
            session=session, store=store, ticket=ticket, photo_id=photo_id
        )
    audit.record(
        session=session,
        clock=request.app.state.clock,
        username=viewer.user.username,
        action="view_photo",
        ticket_id=ticket.id,
        detail=f"{photo.kind} {photo.sha256[:12]}",
        client=client_address(request),
    )
    return FileResponse(
        store / photo.path,
        media_type=photo.content_type,
        headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
    )
