"""Webhooks of outbound callback calls (/ivr/survey/...) and inbound SMS survey replies."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from hotline.core.database import unit_of_work
from hotline.notifications import service as notifications
from hotline.surveys import service as surveys
from hotline.surveys.models import SurveyAttempt
from ivr.flow import CallFlow
from ivr.security import TwilioForm, require
from ivr.survey_flow import SurveyFlow
from ivr.twiml import xml

router = APIRouter(prefix="/survey")
sms_router = APIRouter()


def _attempt(session: Session, request: Request) -> SurveyAttempt | None:
    raw = request.query_params.get("attempt", "")
    return session.get(SurveyAttempt, int(raw)) if raw.isdigit() else None


def _ask_number(request: Request) -> int:
    raw = request.query_params.get("ask", "1")
    return max(1, min(int(raw), 10)) if raw.isdigit() else 1


def _hang_up() -> Response:
    response = VoiceResponse()
    response.hangup()
    return xml(response)


def _flow(session: Session, request: Request) -> SurveyFlow | None:
    attempt = _attempt(session, request)
    if attempt is None:
        return None
    state = request.app.state
    return SurveyFlow(session=session, clock=state.clock, settings=state.settings, attempt=attempt)


@router.post("/start")
def start(request: Request, form: TwilioForm) -> Response:
    """The resident (or their voicemail) answered the callback."""
    require(form, "CallSid")
    with unit_of_work(request.app.state.sessions) as session:
        flow = _flow(session, request)
        return _hang_up() if flow is None else xml(flow.start(form))


def _question(request: Request, form: dict[str, str], question: str) -> Response:
    with unit_of_work(request.app.state.sessions) as session:
        flow = _flow(session, request)
        if flow is None:
            return _hang_up()
        flow.answered(form)
        step = getattr(flow, question)
        return xml(step(form.get("Digits", ""), _ask_number(request)))


@router.post("/solved")
def solved(request: Request, form: TwilioForm) -> Response:
    """Answer to 'was it solved?'."""
    require(form, "CallSid")
    return _question(request, form, "solved")


@router.post("/score")
def score(request: Request, form: TwilioForm) -> Response:
    """Answer to 'how satisfied are you?'."""
    require(form, "CallSid")
    return _question(request, form, "score")


@router.post("/comment")
def comment(request: Request, form: TwilioForm) -> Response:
    """The recorded comment (the <Record> action)."""
    require(form, "CallSid")
    with unit_of_work(request.app.state.sessions) as session:
        flow = _flow(session, request)
        return _hang_up() if flow is None else xml(flow.comment(form))


@router.post("/missed")
def missed(request: Request, form: TwilioForm) -> Response:
    """A missed caller pressed a key: 1 takes their report through the usual menus."""
    require(form, "CallSid")
    state = request.app.state
    with unit_of_work(state.sessions) as session:
        flow = _flow(session, request)
        if flow is None or form.get("Digits") != "1":
            return _hang_up()
        call = flow.answered(form)
        intake = CallFlow(
            session=session,
            clock=state.clock,
            settings=state.settings,
            policy=state.policy,
            call=call,
        )
        return xml(intake.main_menu("1", 1))


@router.post("/status")
def status(request: Request, form: TwilioForm) -> Response:
    """Status callback of a survey call: ringing, answered, or how it ended."""
    require(form, "CallSid", "CallStatus")
    state = request.app.state
    with unit_of_work(state.sessions) as session:
        attempt = _attempt(session, request)
        if attempt is None:
            return Response(status_code=204)
        if attempt.call_sid is None:
            surveys.call_placed(attempt=attempt, call_sid=form["CallSid"])
        surveys.call_status(
            session=session,
            clock=state.clock,
            policy=state.survey_policy,
            attempt=attempt,
            status=form["CallStatus"],
            answered_by=form.get("AnsweredBy") or None,
        )
    return Response(status_code=204)


@sms_router.post("/sms")
def inbound_sms(request: Request, form: TwilioForm) -> Response:
    """A text to the hotline's number: 1 / 2 answer the SMS survey; TD / STOP opts out."""
    require(form, "From")
    state = request.app.state
    with unit_of_work(state.sessions) as session:
        if notifications.is_opt_out(form.get("Body", "")):
            notifications.opt_out(session=session, clock=state.clock, phone=form["From"])
            surveys.cancel_for_phone(session=session, phone=form["From"])
            return Response(content=str(MessagingResponse()), media_type="application/xml")
        surveys.sms_reply(
            session=session,
            clock=state.clock,
            policy=state.survey_policy,
            phone=form["From"],
            body=form.get("Body", ""),
        )
    return Response(content=str(MessagingResponse()), media_type="application/xml")
