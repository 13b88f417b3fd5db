"""Small builders over the twilio library's TwiML classes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi import Response
from twilio.twiml.voice_response import Gather, Record, VoiceResponse

from ivr.catalog import Catalog


def say(node: VoiceResponse | Gather, catalog: Catalog, key: str, **values: str) -> None:
    """Speak a catalog prompt in the catalog's voice."""
    node.say(catalog.text(key, **values), voice=catalog.voice, language=catalog.say_language)


def gather_digits(
    response: VoiceResponse, action: str, *, num_digits: int | None, timeout: int = 6
) -> Gather:
    """A DTMF gather that always posts to its action, even on silence (no num_digits: until #)."""
    gather = Gather(
        input="dtmf",
        num_digits=num_digits,
        timeout=timeout,
        action=action,
        method="POST",
        action_on_empty_result=True,
        finish_on_key="#",
    )
    response.append(gather)
    return gather


MAX_RECORD_SECONDS = 120


def record_description(action: str, status_callback: str) -> Record:
    """Beep, record up to two minutes, # to finish, silence trimmed, status posted back."""
    return Record(
        action=action,
        method="POST",
        max_length=MAX_RECORD_SECONDS,
        finish_on_key="#",
        play_beep=True,
        trim="trim-silence",
        timeout=5,
        recording_status_callback=status_callback,
        recording_status_callback_method="POST",
        recording_status_callback_event="completed absent",
    )


def spoken_digits(reference: str) -> str:
    """Read a reference such as 2026-000123 digit by digit."""
    return ", ".join(ch for ch in reference if ch.isdigit())


def spoken_date(catalog: Catalog, moment: datetime, timezone: str) -> str:
    """A stored moment as the caller's language says a date, in the hotline's time zone."""
    local = moment.astimezone(ZoneInfo(timezone))
    return catalog.text(
        "date_format",
        month=str(local.month),
        day=str(local.day),
        month_name=local.strftime("%B"),
    )


def xml(response: VoiceResponse) -> Response:
    """Serialise TwiML as an HTTP response."""
    return Response(content=str(response), media_type="application/xml")
