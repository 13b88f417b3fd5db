"""The demo's seat part: an agent signs in, a Korean call is put through to them, the live
transcript prints as the caller speaks, and the agent files the ticket from the seat."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from hotline.core.settings import Settings
from ivr.simulator.call import CallResult, Script
from ivr.simulator.carrier import Carrier
from ivr.simulator.network import PhoneScript
from ivr.simulator.recordings import RecordingServer

FIXTURES = Path(__file__).parent / "fixtures"
AGENT = "demo-agent"
AGENT_PHONE = "sip:demo-agent@seats.demo.hotline"
CALLER = "+8613700000001"  # demo household H00001, grid 1101-01
TRACKS = {"inbound": "caller", "outbound": "agent"}


def _add_agent() -> None:
    command = [
        sys.executable,
        "-m",
        "hotline.cli",
        "users",
        "add",
        AGENT,
        "--role",
        "agent",
        "--phone",
        AGENT_PHONE,
        "--languages",
        "ko,zh-CN",
        "--password-stdin",
    ]
    done = subprocess.run(
        command, input="demo agent password\n", text=True, capture_output=True, env=os.environ
    )
    if done.returncode != 0 and "already exists" not in done.stderr + done.stdout:
        raise RuntimeError(f"could not add the demo agent: {done.stderr or done.stdout}")


def _get(base: str, path: str, headers: dict[str, str]) -> Any:
    return httpx.get(f"{base}{path}", headers=headers, timeout=10).json()


def take_a_call(settings: Settings, recordings: RecordingServer, base: str, timeout: float) -> None:
    """Sign an agent in, put a call through to them, print what the seat sees, file the ticket."""
    headers = {"Authorization": f"Bearer {settings.api_tokens[0]}"}
    _add_agent()
    carrier = Carrier(
        account_sid=settings.twilio_account_sid,
        auth_token=settings.twilio_auth_token,
        number=settings.twilio_number,
        recordings=recordings,
        realtime=True,
    ).start(settings.data_dir)
    carrier.phones[AGENT_PHONE] = PhoneScript(after=1.0, talk=14.0, audio=FIXTURES / "ko_noise.wav")
    try:
        httpx.post(
            f"{base}/api/v1/agents/{AGENT}/state",
            json={"state": "available"},
            headers=headers,
            timeout=10,
        ).raise_for_status()
        keys: list[str | None] = ["3"] if settings.intake_mode == "agent-first" else ["3", "3"]
        call = carrier.call(CALLER, base)
        print(f"{AGENT} (ko, zh-CN) is available on {AGENT_PHONE}; {CALLER} calls in Korean")
        results: list[CallResult] = []
        script = Script(keys=keys, talk=FIXTURES / "ko_water.wav")
        talking = threading.Thread(target=lambda: results.append(call.run(script)), daemon=True)
        began = time.monotonic()
        talking.start()
        _follow(base, headers, call.call_sid, began, talking, timeout)
        talking.join(timeout=timeout)
        _file_ticket(base, headers, call.call_sid, timeout)
    finally:
        carrier.stop()


def _follow(
    base: str,
    headers: dict[str, str],
    call_sid: str,
    began: float,
    talking: threading.Thread,
    timeout: float,
) -> None:
    """Print the agent's state changes and each transcript line as it first appears."""
    state, shown = "", set()
    deadline = time.monotonic() + timeout
    print("  secs  event")
    while time.monotonic() < deadline:
        agent = next(
            a for a in _get(base, "/api/v1/agents", headers)["items"] if a["username"] == AGENT
        )
        if agent["state"] != state:
            state = agent["state"]
            print(f"  {time.monotonic() - began:5.1f} {AGENT} {state}")
        answer = httpx.get(
            f"{base}/api/v1/calls/{call_sid}/transcript", headers=headers, timeout=10
        )
        if answer.status_code == 200:
            body = answer.json()
            for segment in body["segments"]:
                key = (segment["track"], segment["text"], segment["final"])
                if key in shown or not segment["text"]:
                    continue
                shown.add(key)
                kind = "final" if segment["final"] else "partial"
                who = TRACKS[segment["track"]]
                print(f"  {time.monotonic() - began:5.1f} {who:<6} {kind:<7} {segment['text']}")
            if body["status"] == "final" and not talking.is_alive():
                return
        time.sleep(0.3)


def _file_ticket(base: str, headers: dict[str, str], call_sid: str, timeout: float) -> None:
    """What the seat's form sends: the rules' suggestions as the agent accepted them."""
    view = _get(base, f"/api/v1/calls/{call_sid}/transcript", headers)
    hints = view["suggestions"]
    lines = [s for s in view["segments"] if s["final"]]
    print(
        f"seat: {len(lines)} final lines ({sum(s['track'] == 'inbound' for s in lines)} caller, "
        f"{sum(s['track'] == 'outbound' for s in lines)} agent); suggested category "
        f"{hints['category']}, community {hints['community']}, grid {hints['grid']}"
    )
    articles = ", ".join(a["code"] for a in hints.get("articles") or []) or "nothing"
    print(f"seat: the knowledge base suggests {articles} for what the caller said")
    said = " ".join(s["text"] for s in lines if s["track"] == "inbound") or "(nothing heard)"
    filed = httpx.post(
        f"{base}/api/v1/calls/{call_sid}/ticket",
        json={
            "agent": AGENT,
            "category": hints["category"] or "other",
            "community": hints["community"],
            "grid": hints["grid"],
            "urgent": bool(hints["urgent"]),
            "summary": said,
        },
        headers=headers,
        timeout=10,
    )
    filed.raise_for_status()
    ticket = filed.json()
    reference = ticket["reference"]
    deadline = time.monotonic() + timeout
    while ticket["transcript"] is None and time.monotonic() < deadline:
        time.sleep(0.5)
        ticket = _get(base, f"/api/v1/tickets/{reference}", headers)
    recorded = ticket["transcript"]["status"] if ticket["transcript"] else "pending"
    print(
        f"ticket {reference} {ticket['status']} to team {ticket['team'] or '-'} "
        f"(filed by {AGENT} from the seat); dual-channel recording transcribed offline: {recorded}"
    )
    question = "我们小区今天停水了什么时候来水"
    found = httpx.get(
        f"{base}/api/v1/kb/search",
        params={"q": question, "language": "zh-CN"},
        headers=headers,
        timeout=10,
    ).json()["items"]
    best = f"{found[0]['code']} ({found[0]['title']})" if found else "nothing"
    print(f"knowledge base: a Mandarin caller asks “{question}” → {best}")
