"""Webhooks of agent legs and conferences: pick-up, ring outcome, caller off hold, participants."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, HTTPException, Request, Response

from hotline.calls import service as calls
from hotline.core.database import unit_of_work
from hotline.seats import acd
from hotline.seats import conference as conferences
from ivr.catalog import catalog
from ivr.conference import agent_leg, caller_gone
from ivr.flow import CallFlow
from ivr.security import TwilioForm, require
from ivr.twiml import xml
from ivr.waiting import Waiting

router = APIRouter(tags=["ivr"])
FINAL = ("completed", "busy", "no-answer", "failed", "canceled")


def _id(request: Request, name: str) -> int:
    value = request.query_params.get(name, "")
    if not value.isdigit():
        raise HTTPException(status_code=400, detail=f"query parameter {name} must be a number")
    return int(value)


@router.post("/agent/answer")
def agent_answer(request: Request, form: TwilioForm) -> Response:
    """The agent picked up: the caller's details in their ear, then the conference."""
    require(form, "CallSid")
    offer_id = _id(request, "offer")
    state = request.app.state
    with unit_of_work(state.sessions) as session:
        offer = acd.answer(
            session=session, clock=state.clock, offer_id=offer_id, agent_call_sid=form["CallSid"]
        )
        if offer is None:
            return xml(caller_gone(catalog("zh-CN")))
        prompts = catalog(offer.user.language)
        return xml(agent_leg(state.settings, offer.entry, prompts))


@router.post("/agent/status")
def agent_status(request: Request, form: TwilioForm) -> Response:
    """The agent leg's progress: a missed ring frees the caller; a hang-up starts wrap-up."""
    require(form, "CallSid", "CallStatus")
    offer_id = _id(request, "offer")
    state = request.app.state
    if form["CallStatus"] not in FINAL:
        return Response(status_code=204)
    with unit_of_work(state.sessions) as session:
        acd.agent_leg_ended(
            session=session,
            clock=state.clock,
            offer_id=offer_id,
            status=form["CallStatus"],
            wrap_up=timedelta(seconds=state.settings.wrap_up_seconds),
        )
    return Response(status_code=204)


@router.post("/agent/connect")
def agent_connect(request: Request, form: TwilioForm) -> Response:
    """The caller, taken off hold by the distributor, joins the agent's conference."""
    require(form, "CallSid")
    _id(request, "entry")
    state = request.app.state
    with unit_of_work(state.sessions) as session:
        call = calls.get_or_create(
            session=session,
            clock=state.clock,
            call_sid=form["CallSid"],
            from_number=form.get("From", ""),
            to_number=form.get("To", ""),
        )
        flow = CallFlow(
            session=session,
            clock=state.clock,
            settings=state.settings,
            policy=state.policy,
            call=call,
        )
        return xml(Waiting(flow).left("redirected", ""))


@router.post("/conference/status")
def conference_status(request: Request, form: TwilioForm) -> Response:
    """Conference events: its SID for supervisors' actions, and who joined or left."""
    require(form, "ConferenceSid", "StatusCallbackEvent")
    entry_id = _id(request, "entry")
    state = request.app.state
    with unit_of_work(state.sessions) as session:
        conferences.event(
            session=session,
            clock=state.clock,
            entry_id=entry_id,
            event=form["StatusCallbackEvent"],
            conference_sid=form["ConferenceSid"],
            call_sid=form.get("CallSid"),
        )
    return Response(status_code=204)


@router.post("/participant/status")
def participant_status(request: Request, form: TwilioForm) -> Response:
    """A supervisor's or third party's leg ended (or never connected)."""
    require(form, "CallSid", "CallStatus")
    participant_id = _id(request, "participant")
    state = request.app.state
    if form["CallStatus"] in FINAL:
        with unit_of_work(state.sessions) as session:
            conferences.leg_ended(
                session=session,
                clock=state.clock,
                participant_id=participant_id,
                call_sid=form["CallSid"],
            )
    return Response(status_code=204)
