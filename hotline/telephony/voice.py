"""Agent calls over Twilio's REST API: ring an agent, take a caller off hold, conferences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hotline.core.settings import Settings
from hotline.telephony.errors import TelephonyError

AGENT_LEG_EVENTS = ["initiated", "ringing", "answered", "completed"]


@dataclass(frozen=True)
class Join:
    """How someone takes part in a caller's conference."""

    label: str
    muted: bool = False
    coach_call_sid: str | None = None  # whisper: heard by this participant (the agent) only
    status_callback: str | None = None
    timeout: int = 30


class AgentCalls:
    """The REST calls behind agent-first intake, for any adapter with a Twilio REST client."""

    settings: Settings

    def client(self) -> Any:
        """The twilio REST client."""
        raise NotImplementedError

    def _do(self, what: str, action: Any) -> Any:
        from twilio.base.exceptions import TwilioException

        try:
            return action()
        except TwilioException as error:
            raise TelephonyError(f"{what}: {error}") from error

    def ring_agent(self, phone: str, url: str, status_callback: str, timeout: int) -> str:
        """calls.create to the agent: `url` is fetched on pick-up; no answer ends the ring."""
        call = self._do(
            f"could not ring {phone}",
            lambda: self.client().calls.create(
                to=phone,
                from_=self.settings.twilio_number,
                url=url,
                method="POST",
                status_callback=status_callback,
                status_callback_method="POST",
                status_callback_event=AGENT_LEG_EVENTS,
                timeout=timeout,
            ),
        )
        return str(call.sid)

    def redirect_call(self, call_sid: str, url: str) -> None:
        """calls(sid).update(url=...): the call leaves what it is doing and fetches `url`."""
        self._do(
            f"could not redirect {call_sid}",
            lambda: self.client().calls(call_sid).update(url=url, method="POST"),
        )

    def hang_up(self, call_sid: str, ringing: bool) -> None:
        """calls(sid).update(status=canceled|completed)."""
        status = "canceled" if ringing else "completed"
        self._do(
            f"could not hang up {call_sid}",
            lambda: self.client().calls(call_sid).update(status=status),
        )

    def add_participant(self, conference: str, phone: str, join: Join) -> str:
        """conferences(name).participants.create: dial `phone` into the caller's conference."""
        options: dict[str, Any] = {
            "from_": self.settings.twilio_number,
            "to": phone,
            "label": join.label,
            "muted": join.muted,
            "timeout": join.timeout,
            "end_conference_on_exit": False,
            "beep": "false",
        }
        if join.coach_call_sid:
            options.update(coaching=True, call_sid_to_coach=join.coach_call_sid)
        if join.status_callback:
            options.update(
                status_callback=join.status_callback,
                status_callback_method="POST",
                status_callback_event=AGENT_LEG_EVENTS,
            )
        participant = self._do(
            f"could not add {phone} to {conference}",
            lambda: self.client().conferences(conference).participants.create(**options),
        )
        return str(participant.call_sid)

    def update_participant(self, conference_sid: str, call_sid: str, join: Join) -> None:
        """Unmute, mute, start or stop coaching one participant."""
        options: dict[str, Any] = {"muted": join.muted, "coaching": bool(join.coach_call_sid)}
        if join.coach_call_sid:
            options["call_sid_to_coach"] = join.coach_call_sid
        self._do(
            f"could not update {call_sid} in {conference_sid}",
            lambda: (
                self.client().conferences(conference_sid).participants(call_sid).update(**options)
            ),
        )
