"""TwiML that puts a caller and an agent in one conference per call, with a live stream."""

from __future__ import annotations

from twilio.twiml.voice_response import Dial, Start, VoiceResponse

from hotline.core.settings import Settings
from hotline.queue.models import QueueEntry
from hotline.seats.conference import conference_name
from ivr.catalog import Catalog, catalog
from ivr.twiml import say

CONFERENCE_EVENTS = "start end join leave"


def _conference(base: str, entry: QueueEntry, label: str, *, agent: bool) -> Dial:
    dial = Dial()
    dial.conference(
        conference_name(entry.call_sid),
        start_conference_on_enter=True,
        end_conference_on_exit=True,  # either side hanging up ends the call for everyone
        beep=False,
        wait_url="" if agent else None,  # the agent waits a moment in silence, not music
        participant_label=label,
        status_callback=f"{base}/ivr/conference/status?entry={entry.id}" if agent else None,
        status_callback_event=CONFERENCE_EVENTS if agent else None,
        status_callback_method="POST" if agent else None,
    )
    return dial


def agent_leg(settings: Settings, entry: QueueEntry, prompts: Catalog) -> VoiceResponse:
    """What the agent hears on picking up: who is calling, then the conference."""
    response = VoiceResponse()
    waited = str(entry.wait_seconds or 0)
    say(
        response,
        prompts,
        "agent_whisper",
        language=catalog(entry.language or "zh-CN").text("language_name"),
        seconds=waited,
    )
    response.append(_conference(settings.public_base_url, entry, "agent", agent=True))
    response.hangup()
    return response


def caller_leg(settings: Settings, entry: QueueEntry) -> VoiceResponse:
    """The caller off hold: live stream of both tracks, dual-channel recording, the conference."""
    base = settings.public_base_url
    response = VoiceResponse()
    start = Start()
    stream = start.stream(
        url=settings.resolved_media_stream_url,
        track="both_tracks",
        name=f"live-{entry.call_sid}",
    )
    stream.parameter(name="entry", value=str(entry.id))
    stream.parameter(name="language", value=entry.language or "zh-CN")
    start.recording(
        channels="dual",
        track="both",
        recording_status_callback=f"{base}/ivr/recording-status",
        recording_status_callback_method="POST",
        recording_status_callback_event="completed absent",
    )
    response.append(start)
    response.append(_conference(base, entry, "caller", agent=False))
    response.hangup()
    return response


def caller_gone(prompts: Catalog) -> VoiceResponse:
    """The agent picked up too late: the caller has left."""
    response = VoiceResponse()
    say(response, prompts, "agent_caller_gone")
    response.hangup()
    return response
