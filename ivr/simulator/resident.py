"""A scripted resident who answers the hotline's outbound calls (the simulator adapter)."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from twilio.request_validator import RequestValidator

from hotline.core.settings import Settings
from hotline.telephony.port import SimulatorTelephony, now_text
from ivr.simulator.call import NumberConfig, Script, SimulatedCall
from ivr.simulator.recordings import RecordingServer

HUMAN, MACHINE = "human", "machine_end_beep"
DEFAULT: dict[str, Any] = {"answer": "human", "keys": ["1", "5"]}


@dataclass
class Behaviour:
    """How the resident reacts to one call."""

    answer: str = "human"  # human | machine | busy | no-answer | failed
    keys: list[str] = field(default_factory=list)
    hang_up_early: bool = False  # hang up once the keys run out instead of staying silent


def residents_file(settings: Settings) -> Path:
    """Where tests and the demo script residents: {phone: [behaviour per attempt, ...]}."""
    return settings.data_dir / "simulator" / "residents.json"


def calls_log(settings: Settings) -> Path:
    """Every simulated outbound call, one JSON object per line (the carrier's call list)."""
    return SimulatorTelephony(settings).call_log


def behaviour_for(settings: Settings, phone: str, attempt: int) -> Behaviour:
    """The scripted behaviour for this phone's n-th call (the last one repeats)."""
    path = residents_file(settings)
    plan = json.loads(path.read_text("utf-8")).get(phone) if path.exists() else None
    steps = plan if isinstance(plan, list) and plan else [DEFAULT]
    chosen = steps[min(attempt, len(steps) - 1)]
    return Behaviour(
        answer=str(chosen.get("answer", "human")),
        keys=[str(k) for k in chosen.get("keys", [])],
        hang_up_early=bool(chosen.get("hang_up_early", False)),
    )


def _previous_calls(settings: Settings, phone: str) -> int:
    path = calls_log(settings)
    if not path.exists():
        return 0
    return sum(1 for line in path.open(encoding="utf-8") if json.loads(line).get("to") == phone)


def _post(settings: Settings, url: str, params: dict[str, str]) -> None:
    signature = RequestValidator(settings.twilio_auth_token).compute_signature(url, params)
    try:
        httpx.post(url, data=params, headers={"X-Twilio-Signature": signature}, timeout=15)
    except httpx.HTTPError:
        pass  # Twilio logs a failed callback and moves on


def answer(
    settings: Settings, to: str, url: str, status_callback: str, detect_machine: bool
) -> str:
    """Place the simulated call and play the resident's part to the end; returns its SID."""
    behaviour = behaviour_for(settings, to, _previous_calls(settings, to))
    sid = "CA" + secrets.token_hex(16)
    log = calls_log(settings)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as handle:
        entry = {"sid": sid, "to": to, "answer": behaviour.answer, "date_created": now_text()}
        handle.write(json.dumps(entry) + "\n")
    base = {
        "CallSid": sid,
        "AccountSid": settings.twilio_account_sid,
        "From": settings.twilio_number,
        "To": to,
        "Direction": "outbound-api",
    }
    if behaviour.answer in ("busy", "no-answer", "failed"):
        _post(settings, status_callback, {**base, "CallStatus": behaviour.answer})
        return sid
    extra = {"AnsweredBy": HUMAN if behaviour.answer == "human" else MACHINE}
    call = SimulatedCall(
        config=NumberConfig(voice_url=url, status_callback=status_callback),
        auth_token=settings.twilio_auth_token,
        account_sid=settings.twilio_account_sid,
        recordings=RecordingServer(settings.twilio_account_sid, settings.twilio_auth_token),
        caller=settings.twilio_number,
        number=to,
        direction="outbound-api",
        extra_params=extra if detect_machine else {},
    )
    call.call_sid = sid
    call.run(Script(keys=list(behaviour.keys), hang_up_when_keys_run_out=behaviour.hang_up_early))
    return sid
