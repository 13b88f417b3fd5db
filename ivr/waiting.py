"""Waiting for a person: join the queue, hear your place, leave for the IVR intake or voicemail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from twilio.twiml.voice_response import Gather, VoiceResponse

from hotline.calls import service as calls
from hotline.queue import service as queue
from hotline.queue.models import OverflowReason, QueueEntry, QueueOutcome
from hotline.queue.rules import offer_voicemail, within_hours
from hotline.seats import acd
from hotline.seats import service as seats
from hotline.seats.distribution import anyone_speaks
from hotline.tickets.categories import Category
from ivr.conference import caller_leg
from ivr.twiml import say

if TYPE_CHECKING:
    from ivr.flow import CallFlow

LEAVE_KEY = "1"


class Waiting:
    """The caller's side of the agent queue, in either intake mode."""

    def __init__(self, flow: CallFlow) -> None:
        self.flow = flow
        self.settings = flow.settings
        self.agent_first = flow.settings.intake_mode == "agent-first"

    def join(self, response: VoiceResponse | None = None) -> VoiceResponse:
        """Queue for an agent of the caller's language, or go straight on when nobody can come."""
        flow = self.flow
        calls.update_choices(call=flow.call, clock=flow.clock, intent="agent")
        open_now = within_hours(flow.clock.now(), self.settings.agent_hours, self.settings.timezone)
        if not self.agent_first and not open_now:
            return flow.record(
                1, prompt="agent_closed", response=response, hours=self.settings.agent_hours
            )
        entry = queue.enqueue(session=flow.session, clock=flow.clock, call=flow.call)
        if self.agent_first and not open_now:
            return self.overflow(entry, OverflowReason.CLOSED, response)
        language = flow.call.language or "zh-CN"
        everyone = seats.views(seats.list_seats(session=flow.session))
        if self.agent_first and not anyone_speaks(everyone, language=language):
            return self.overflow(entry, OverflowReason.NO_AGENT, response)
        response = response or VoiceResponse()
        say(response, flow.catalog, "agent_connecting")
        response.enqueue(
            self.settings.queue_name,
            action=flow.url("queue/left"),
            method="POST",
            wait_url=flow.url("queue/wait"),
            wait_url_method="POST",
        )
        return response

    def overflow(
        self, entry: QueueEntry, reason: OverflowReason, response: VoiceResponse | None = None
    ) -> VoiceResponse:
        """Agent-first: the caller goes on to the IVR intake (category, place, description)."""
        flow = self.flow
        queue.overflow(entry=entry, clock=flow.clock, reason=reason)
        acd.caller_left(session=flow.session, clock=flow.clock, call_sid=entry.call_sid)
        values = {"hours": self.settings.agent_hours} if reason is OverflowReason.CLOSED else {}
        return flow.ask_category(preface=[f"overflow_{reason.value}"], response=response, **values)

    def hold(self, queue_seconds: str) -> VoiceResponse:
        """One loop of the wait: place in line, the leave key, hold music; or time to leave."""
        flow = self.flow
        response = VoiceResponse()
        entry = queue.get_entry(session=flow.session, call_sid=flow.call.call_sid)
        if entry is not None and entry.outcome == QueueOutcome.ANSWERED:
            # The distributor takes the caller off hold with a REST redirect; should that not
            # happen (not claimed yet, or stalled), leaving the queue joins the agent instead.
            # Never both: a second bridge would pull the caller out of the conference.
            if acd.take_bridge(session=flow.session, clock=flow.clock, entry=entry):
                response.leave()
            else:
                response.pause(length=1)
            return response
        if entry is None or entry.outcome != QueueOutcome.WAITING:
            response.leave()  # already on its way elsewhere
            return response
        waited = int(queue_seconds) if queue_seconds.isdigit() else 0
        ringing = acd.live_offer(session=flow.session, entry_id=entry.id) is not None
        if not ringing and offer_voicemail(waited, self.settings.queue_max_wait_seconds):
            if self.agent_first:
                queue.overflow(entry=entry, clock=flow.clock, reason=OverflowReason.TIMEOUT)
            response.leave()
            return response
        target: VoiceResponse | Gather = response
        if self.agent_first:
            target = Gather(
                input="dtmf",
                num_digits=1,
                timeout=1,
                action=flow.url("queue/key"),
                method="POST",
            )
            response.append(target)
        say(
            target,
            flow.catalog,
            "queue_position",
            position=str(queue.position(session=flow.session, entry=entry)),
            minutes=str(max(1, round(waited / 60))),
        )
        if self.agent_first:
            say(target, flow.catalog, "queue_leave_key")
        response.play(self.settings.public_base_url + "/ivr/hold.wav")
        return response

    def key(self, digits: str) -> VoiceResponse:
        """A key pressed while waiting: 1 leaves the queue to describe the problem instead."""
        flow = self.flow
        response = VoiceResponse()
        entry = queue.get_entry(session=flow.session, call_sid=flow.call.call_sid)
        if digits == LEAVE_KEY and entry is not None and entry.outcome == QueueOutcome.WAITING:
            queue.overflow(entry=entry, clock=flow.clock, reason=OverflowReason.CALLER_KEY)
            acd.caller_left(session=flow.session, clock=flow.clock, call_sid=entry.call_sid)
            response.leave()
        return response  # any other key: back to the hold music

    def left(self, result: str, queue_seconds: str) -> VoiceResponse:
        """The wait ended: join the agent, go on to the intake or voicemail, or hang up."""
        flow = self.flow
        entry = queue.get_entry(session=flow.session, call_sid=flow.call.call_sid)
        if result == "hangup":
            queue.finish(
                session=flow.session,
                clock=flow.clock,
                call_sid=flow.call.call_sid,
                result=result,
                queue_seconds=int(queue_seconds) if queue_seconds.isdigit() else None,
            )
            response = VoiceResponse()
            response.hangup()
            return response
        if entry is not None and entry.outcome == QueueOutcome.ANSWERED:
            joined = acd.connect(
                session=flow.session,
                clock=flow.clock,
                entry_id=entry.id,
                call_sid=flow.call.call_sid,
            )
            if joined is not None:
                return caller_leg(self.settings, joined)
        if entry is not None and entry.outcome == QueueOutcome.OVERFLOW:
            reason = OverflowReason(entry.overflow_reason or OverflowReason.TIMEOUT)
            return self.overflow(entry, reason)
        if self.agent_first and entry is not None:
            return self.overflow(entry, OverflowReason.TIMEOUT)
        ended = queue.finish(
            session=flow.session,
            clock=flow.clock,
            call_sid=flow.call.call_sid,
            result=result,
            queue_seconds=int(queue_seconds) if queue_seconds.isdigit() else None,
        )
        if ended is not None and ended.outcome == QueueOutcome.VOICEMAIL:
            return flow.record(1, prompt="queue_voicemail_offer")
        response = VoiceResponse()
        response.hangup()
        return response

    def menu_choice(self) -> VoiceResponse:
        """`ivr` mode, menu 3: the caller asked for a person."""
        calls.update_choices(call=self.flow.call, clock=self.flow.clock, category=Category.OTHER)
        return self.join()
