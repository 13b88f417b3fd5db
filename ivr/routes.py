"""Twilio voice webhooks: thin adapters from signed form posts to the call flow."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from twilio.twiml.voice_response import VoiceResponse

from hotline.calls import intake
from hotline.calls import service as calls
from hotline.calls.models import Call
from hotline.core.database import unit_of_work
from hotline.seats import acd
from ivr import agent_routes, media_stream, survey_routes
from ivr.catalog import DEFAULT_LANGUAGE, catalog
from ivr.flow import CallFlow
from ivr.security import TwilioForm, require
from ivr.twiml import record_description, say, spoken_digits, xml
from ivr.waiting import Waiting

log = logging.getLogger(__name__)
router = APIRouter(prefix="/ivr", tags=["ivr"])
HOLD_MUSIC = Path(__file__).resolve().parent / "hold.wav"

STEPS = {
    "language": CallFlow.choose_language,
    "menu": CallFlow.main_menu,
    "category": CallFlow.choose_category,
    "location": CallFlow.choose_location,
    "location-on-file": CallFlow.confirm_household_location,
    "status": CallFlow.check_status,
}


def _call(session: Session, request: Request, form: dict[str, str]) -> Call:
    return calls.get_or_create(
        session=session,
        clock=request.app.state.clock,
        call_sid=form["CallSid"],
        from_number=form.get("From", ""),
        to_number=form.get("To", ""),
    )


def _flow(session: Session, request: Request, form: dict[str, str]) -> CallFlow:
    state = request.app.state
    call = _call(session, request, form)
    return CallFlow(
        session=session, clock=state.clock, settings=state.settings, policy=state.policy, call=call
    )


def _attempt(request: Request) -> int:
    try:
        return max(1, min(int(request.query_params.get("attempt", "1")), 10))
    except ValueError:
        return 1


@router.post("/voice")
def voice(request: Request, form: TwilioForm) -> Response:
    """A new inbound call: greet and offer languages."""
    require(form, "CallSid")
    with unit_of_work(request.app.state.sessions) as session:
        return xml(_flow(session, request, form).welcome())


@router.post("/voice/record")
def record_again(request: Request, form: TwilioForm) -> Response:
    """Nothing was heard: prompt and record once more."""
    require(form, "CallSid")
    with unit_of_work(request.app.state.sessions) as session:
        return xml(_flow(session, request, form).record(_attempt(request)))


@router.post("/voice/recorded")
def recorded(request: Request, form: TwilioForm) -> Response:
    """Recording finished (or never started): open the ticket and read its number."""
    require(form, "CallSid")
    with unit_of_work(request.app.state.sessions) as session:
        return xml(_flow(session, request, form).recorded(form))


@router.post("/voice/{step}")
def menu_step(step: str, request: Request, form: TwilioForm) -> Response:
    """Handle the digits pressed at one menu."""
    require(form, "CallSid")
    handler = STEPS.get(step)
    if handler is None:
        return Response(status_code=404, content=f"unknown IVR step {step!r}")
    digits = form.get("Digits", "").strip()
    with unit_of_work(request.app.state.sessions) as session:
        return xml(handler(_flow(session, request, form), digits, _attempt(request)))


@router.post("/queue/wait")
def queue_wait(request: Request, form: TwilioForm) -> Response:
    """Twilio's waitUrl for callers in the agent queue, fetched again and again while they wait."""
    require(form, "CallSid")
    with unit_of_work(request.app.state.sessions) as session:
        response = Waiting(_flow(session, request, form)).hold(form.get("QueueTime", ""))
    return xml(response)


@router.post("/queue/key")
def queue_key(request: Request, form: TwilioForm) -> Response:
    """A key pressed on hold: 1 leaves the queue to describe the problem instead."""
    require(form, "CallSid")
    with unit_of_work(request.app.state.sessions) as session:
        response = Waiting(_flow(session, request, form)).key(form.get("Digits", "").strip())
    return xml(response)


@router.post("/queue/left")
def queue_left(request: Request, form: TwilioForm) -> Response:
    """The <Enqueue> action: the wait ended answered, abandoned, overflowing or for voicemail."""
    require(form, "CallSid")
    with unit_of_work(request.app.state.sessions) as session:
        waiting = Waiting(_flow(session, request, form))
        response = waiting.left(form.get("QueueResult", ""), form.get("QueueTime", ""))
    return xml(response)


@router.get("/hold.wav")
def hold_music() -> FileResponse:
    """The hold music callers hear in the queue (public, like any <Play> audio)."""
    return FileResponse(HOLD_MUSIC, media_type="audio/wav")


@router.post("/recording-status")
def recording_status(request: Request, form: TwilioForm) -> Response:
    """Twilio's recording status callback: store the recording and queue transcription."""
    require(form, "CallSid", "RecordingSid")
    state = request.app.state
    with unit_of_work(state.sessions) as session:
        call = _call(session, request, form)
        if request.query_params.get("fallback") == "1":
            call.fallback = True
        intake.add_recording(
            session=session,
            clock=state.clock,
            policy=state.policy,
            call=call,
            recording_sid=form["RecordingSid"],
            recording_url=form.get("RecordingUrl", ""),
            duration=form.get("RecordingDuration"),
            status=form.get("RecordingStatus", "completed"),
        )
    return Response(status_code=204)


@router.post("/status")
def call_status(request: Request, form: TwilioForm) -> Response:
    """Twilio's call status callback."""
    require(form, "CallSid", "CallStatus")
    state = request.app.state
    duration = form.get("CallDuration", "")
    with unit_of_work(state.sessions) as session:
        call = _call(session, request, form)
        calls.update_status(
            call=call,
            clock=state.clock,
            status=form["CallStatus"],
            duration_seconds=int(duration) if duration.isdigit() else None,
        )
        if form["CallStatus"] in ("completed", "busy", "no-answer", "failed", "canceled"):
            intake.after_hang_up(
                session=session, clock=state.clock, surveys=state.survey_policy, call=call
            )
            acd.caller_left(session=session, clock=state.clock, call_sid=call.call_sid)
    return Response(status_code=204)


def _fallback_language(request: Request, call_sid: str) -> str:
    try:
        with unit_of_work(request.app.state.sessions) as session:
            call = _call(session, request, {"CallSid": call_sid})
            call.fallback = True
            return call.language or DEFAULT_LANGUAGE
    except SQLAlchemyError:
        log.exception("fallback could not reach the database for %s", call_sid)
        return DEFAULT_LANGUAGE


@router.post("/fallback")
def fallback(request: Request, form: TwilioForm) -> Response:
    """Twilio's fallback URL: apologise and still take the description."""
    require(form, "CallSid")
    base = request.app.state.settings.public_base_url
    prompts = catalog(_fallback_language(request, form["CallSid"]))
    response = VoiceResponse()
    say(response, prompts, "fallback_apology")
    response.append(
        record_description(
            f"{base}/ivr/fallback/recorded", f"{base}/ivr/recording-status?fallback=1"
        )
    )
    say(response, prompts, "goodbye")
    response.hangup()
    return xml(response)


@router.post("/fallback/recorded")
def fallback_recorded(request: Request, form: TwilioForm) -> Response:
    """After a fallback recording: give the ticket number if the database answers."""
    require(form, "CallSid")
    state = request.app.state
    response = VoiceResponse()
    language = DEFAULT_LANGUAGE
    reference = None
    try:
        with unit_of_work(state.sessions) as session:
            call = _call(session, request, form)
            call.fallback = True
            language = call.language or DEFAULT_LANGUAGE
            if form.get("RecordingSid") and form.get("RecordingUrl"):
                ticket = intake.add_recording(
                    session=session,
                    clock=state.clock,
                    policy=state.policy,
                    call=call,
                    recording_sid=form["RecordingSid"],
                    recording_url=form["RecordingUrl"],
                    duration=form.get("RecordingDuration"),
                ) or intake.ensure_ticket(
                    session=session, clock=state.clock, policy=state.policy, call=call
                )
                reference = ticket.reference
    except SQLAlchemyError:
        log.exception("fallback recording for %s not stored yet", form["CallSid"])
    prompts = catalog(language)
    if reference:
        say(response, prompts, "ticket_number", digits=spoken_digits(reference))
    else:
        say(response, prompts, "fallback_thanks")
    say(response, prompts, "goodbye")
    response.hangup()
    return xml(response)


router.include_router(agent_routes.router)
router.include_router(media_stream.router)
router.include_router(survey_routes.router)
router.include_router(survey_routes.sms_router)
