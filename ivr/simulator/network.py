"""The simulated phone network behind agent-first calls: legs, scripted phones and conferences.

Its REST face (`ivr/simulator/carrier.py`) speaks Twilio's API for Calls, Conferences and
Participants, so the hotline drives it with the real `twilio` client. Agents', supervisors'
and third parties' phones follow a PhoneScript: answer after a few rings, miss, be busy,
talk for a while and hang up. Conferences post Twilio's status callbacks, signed.
"""

from __future__ import annotations

import logging
import queue
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np
from twilio.request_validator import RequestValidator

from ivr.simulator.media import load_8k

log = logging.getLogger(__name__)
FINAL = ("completed", "busy", "no-answer", "failed", "canceled")


class CarrierError(RuntimeError):
    """A REST request Twilio would refuse: HTTP status, Twilio error code, message."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


@dataclass(frozen=True)
class PhoneScript:
    """How one simulated phone answers: pick up after a few rings, miss, or be busy."""

    answer: str = "answer"  # answer | miss | busy | fail
    after: float = 0.5  # seconds of ringing before picking up
    talk: float | None = None  # hang up this long after joining a conference; None: stay
    audio: Path | None = None  # what they say once connected


@dataclass(eq=False)
class Leg:
    """One call leg on the network."""

    sid: str
    to: str
    from_: str
    direction: str
    url: str | None = None
    status: str = "queued"
    status_callback: str | None = None
    status_events: tuple[str, ...] = ()
    timeout: float = 30.0
    script: PhoneScript | None = None
    label: str | None = None
    muted: bool = False
    coaching: bool = False
    coach_sid: str | None = None
    end_on_exit: bool = False
    voice: np.ndarray | None = None  # what this leg says into a conference
    conference: Conference | None = None
    redirects: queue.Queue[str] = field(default_factory=queue.Queue)
    hung_up: threading.Event = field(default_factory=threading.Event)
    started: float = field(default_factory=time.monotonic)

    def as_json(self, account_sid: str) -> dict[str, object]:
        """The Call resource, as Twilio renders it."""
        return {
            "sid": self.sid,
            "account_sid": account_sid,
            "to": self.to,
            "from": self.from_,
            "status": self.status,
            "direction": self.direction,
            "api_version": "2010-04-01",
            "uri": f"/2010-04-01/Accounts/{account_sid}/Calls/{self.sid}.json",
        }

    def participant_json(self, account_sid: str) -> dict[str, object]:
        """The Participant resource of this leg in its conference."""
        conference = self.conference
        return {
            "account_sid": account_sid,
            "call_sid": self.sid,
            "conference_sid": conference.sid if conference else None,
            "label": self.label,
            "muted": self.muted,
            "hold": False,
            "coaching": self.coaching,
            "call_sid_to_coach": self.coach_sid,
            "status": "connected" if conference else "queued",
        }


@dataclass(eq=False)
class Conference:
    """A named conference and who is in it."""

    name: str
    sid: str = field(default_factory=lambda: "CF" + secrets.token_hex(16))
    legs: dict[str, Leg] = field(default_factory=dict)
    callback: str | None = None
    events: tuple[str, ...] = ()
    started: bool = False
    ended: threading.Event = field(default_factory=threading.Event)
    history: list[tuple[str, str]] = field(default_factory=list)  # (event, CallSid)

    def heard_by(self, leg: Leg) -> list[Leg]:
        """Whose voices this leg hears: everyone else speaking, but a coach only by the coached."""
        return [
            other
            for other in self.legs.values()
            if other is not leg
            and not other.muted
            and (not other.coaching or other.coach_sid == leg.sid)
        ]


class Network:
    """Every leg and conference, and the scripted phones."""

    def __init__(self, *, account_sid: str, auth_token: str, number: str) -> None:
        self.account_sid = account_sid
        self.validator = RequestValidator(auth_token)
        self.number = number
        self.phones: dict[str, PhoneScript] = {}
        self.legs: dict[str, Leg] = {}
        self.conferences: dict[str, Conference] = {}
        self.lock = threading.RLock()
        self.threads: list[threading.Thread] = []

    # -- webhooks ------------------------------------------------------------------------

    def post(self, url: str, params: dict[str, str]) -> httpx.Response | None:
        """A webhook signed as Twilio signs it; a failure is logged, as Twilio logs it."""
        signature = self.validator.compute_signature(url, params)
        try:
            return httpx.post(
                url, data=params, headers={"X-Twilio-Signature": signature}, timeout=15
            )
        except httpx.HTTPError as error:
            log.warning("webhook %s failed: %s", url, error)
            return None

    def leg_status(self, leg: Leg, status: str, **extra: str) -> None:
        """Move a leg and tell its status callback, if it asked for this event."""
        leg.status = status
        event = {"in-progress": "answered"}.get(status, status)
        if status in FINAL:
            event = "completed"
        if not leg.status_callback or (leg.status_events and event not in leg.status_events):
            return
        self.post(
            leg.status_callback,
            {
                "AccountSid": self.account_sid,
                "CallSid": leg.sid,
                "CallStatus": status,
                "From": leg.from_,
                "To": leg.to,
                "Direction": leg.direction,
                **extra,
            },
        )

    # -- legs ----------------------------------------------------------------------------

    def add_leg(self, leg: Leg) -> Leg:
        """Put a leg on the network."""
        with self.lock:
            self.legs[leg.sid] = leg
        return leg

    def leg(self, sid: str) -> Leg:
        """A leg by CallSid, or a 404 as Twilio answers."""
        with self.lock:
            found = self.legs.get(sid)
        if found is None:
            raise CarrierError(404, 20404, f"The requested resource Calls/{sid} was not found")
        return found

    def script_for(self, phone: str) -> PhoneScript:
        """The phone's script; an unknown phone rings out."""
        return self.phones.get(phone, PhoneScript(answer="miss"))

    def voice_of(self, script: PhoneScript) -> np.ndarray | None:
        """A script's audio as 8 kHz samples."""
        return load_8k(script.audio) if script.audio else None

    def redirect(self, sid: str, url: str) -> Leg:
        """calls(sid).update(url=...): only a live call can be sent elsewhere."""
        leg = self.leg(sid)
        if leg.status in FINAL or leg.hung_up.is_set():
            raise CarrierError(400, 21220, "Call is not in-progress. Cannot redirect.")
        leg.redirects.put(url)
        return leg

    def hang_up(self, sid: str, status: str) -> Leg:
        """calls(sid).update(status=canceled|completed)."""
        leg = self.leg(sid)
        if status not in ("canceled", "completed"):
            raise CarrierError(400, 20001, f"Status {status} is not valid")
        leg.hung_up.set()
        return leg

    def spawn(self, target: object, *args: object) -> None:
        """Run a leg's part in a thread of its own."""
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        self.threads.append(thread)
        thread.start()

    # -- conferences ---------------------------------------------------------------------

    def conference(self, key: str) -> Conference:
        """A conference by ConferenceSid or friendly name (404 if neither)."""
        with self.lock:
            for found in self.conferences.values():
                if key in (found.sid, found.name) and not found.ended.is_set():
                    return found
        raise CarrierError(404, 20404, f"The requested resource Conferences/{key} was not found")

    def join(
        self,
        leg: Leg,
        name: str,
        *,
        start_on_enter: bool = True,
        end_on_exit: bool = False,
        callback: str | None = None,
        events: tuple[str, ...] = (),
    ) -> Conference:
        """The leg enters a conference, creating it on first use."""
        with self.lock:
            found = next(
                (c for c in self.conferences.values() if c.name == name and not c.ended.is_set()),
                None,
            )
            if found is None:
                found = Conference(name)
                self.conferences[found.sid] = found
            if callback and found.callback is None:
                found.callback, found.events = callback, events
            found.legs[leg.sid] = leg
            leg.conference = found
            leg.end_on_exit = end_on_exit
            starting = start_on_enter and not found.started
            found.started = found.started or start_on_enter
        if starting:
            self._conference_event(found, "conference-start", None)
        self._conference_event(found, "participant-join", leg)
        return found

    def leave(self, leg: Leg) -> None:
        """The leg leaves; if it ends the conference on exit, everyone else is let go."""
        conference = leg.conference
        if conference is None:
            return
        with self.lock:
            present = conference.legs.pop(leg.sid, None) is not None
        if not present:
            return
        self._conference_event(conference, "participant-leave", leg)
        if (leg.end_on_exit or not conference.legs) and not conference.ended.is_set():
            with self.lock:
                rest = list(conference.legs.values())
                conference.legs.clear()
            for other in rest:  # Twilio takes everyone out before the conference ends
                self._conference_event(conference, "participant-leave", other)
            conference.ended.set()
            self._conference_event(conference, "conference-end", None)

    def _conference_event(self, conference: Conference, event: str, leg: Leg | None) -> None:
        conference.history.append((event, leg.sid if leg else ""))
        short = event.split("-", 1)[1] if "-" in event else event
        if not conference.callback or (conference.events and short not in conference.events):
            return
        params = {
            "AccountSid": self.account_sid,
            "ConferenceSid": conference.sid,
            "FriendlyName": conference.name,
            "StatusCallbackEvent": event,
        }
        if leg is not None:
            params.update(
                CallSid=leg.sid,
                Muted=str(leg.muted).lower(),
                Coaching=str(leg.coaching).lower(),
                ParticipantLabel=leg.label or "",
            )
        self.post(conference.callback, params)

    def wait_in(self, leg: Leg, stay: float | None) -> tuple[str, str | None]:
        """Stay in the conference until it ends ("ended"), the leg is hung up over REST
        ("hung-up") or redirected ("redirected", URL), or it leaves after `stay` s ("left")."""
        conference = leg.conference
        deadline = None if stay is None else time.monotonic() + stay
        why, url = "ended", None
        while conference is not None and not conference.ended.is_set():
            if leg.hung_up.is_set():
                why = "hung-up"
                break
            try:
                why, url = "redirected", leg.redirects.get(timeout=0.05)
                break
            except queue.Empty:
                pass
            if deadline is not None and time.monotonic() >= deadline:
                why = "left"
                break
        self.leave(leg)
        return why, url
