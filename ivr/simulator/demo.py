"""`hotline demo`: the whole call → ticket path on embedded defaults, with a results table."""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from hotline.core.processes import spawn, stop
from hotline.core.redis import open_redis
from hotline.core.settings import Settings, load_settings
from ivr.simulator.call import CallResult, NumberConfig, Script, SimulatedCall
from ivr.simulator.demo_integrations import open311_and_webhooks
from ivr.simulator.demo_seat import take_a_call
from ivr.simulator.recordings import RecordingServer
from ivr.simulator.resident import residents_file

FIXTURES = Path(__file__).parent / "fixtures"
DEMO_TOKEN = "demo-api-token"


@dataclass(frozen=True)
class DemoCall:
    """One scripted resident: keys in agent-first mode (nobody is signed in yet, so the IVR
    intake takes them straight after the language), and in `ivr` mode (menus first)."""

    caller: str
    keys: str
    ivr_keys: str
    audio: str

    def keys_for(self, mode: str) -> list[str | None]:
        """What the caller presses at each prompt in this intake mode."""
        return [
            part or None
            for part in (self.keys if mode == "agent-first" else self.ivr_keys).split(",")
        ]


DEMO_CALLS = [
    DemoCall("+8613800000001", "3,1,1101", "3,1,1,1101", "ko_pothole.wav"),
    DemoCall("+8613800000002", "3,4,1202", "3,1,4,1202", "ko_noise.wav"),
    DemoCall("+8613800000003", "3,2,9999,,", "3,1,2,9999,,", "ko_water.wav"),
    DemoCall("+8613800000004", "1,1,1102", "1,1,1,1102", "zh_streetlight.wav"),
    DemoCall("+8613800000005", "2,3,1201", "2,1,3,1201", "en_garbage.wav"),
    DemoCall("+8613800000006", "1,9,,", "1,3", "zh_streetlight.wav"),
]


def register(commands: argparse._SubParsersAction) -> None:
    """Add `demo`."""
    demo = commands.add_parser("demo", help="run the whole hotline locally with simulated calls")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument(
        "--mode",
        choices=["agent-first", "ivr"],
        default=None,
        help="intake mode (default HOTLINE_INTAKE_MODE, agent-first)",
    )
    demo.add_argument("--exit", action="store_true", help="exit after printing the table")
    demo.add_argument(
        "--timeout", type=float, default=300.0, help="seconds to wait for transcripts"
    )
    demo.set_defaults(handler=run)


def _free_port(preferred: int) -> int:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            probe.bind(("127.0.0.1", 0))
            return int(probe.getsockname()[1])


def _wait_for(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up within {timeout:.0f} s")


def _hotline(*args: str) -> list[str]:
    return [sys.executable, "-m", "hotline.cli", *args]


def run(args: argparse.Namespace) -> int:
    """Start Valkey, web server and worker; place the demo calls; print what became of them."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    os.environ.setdefault("HOTLINE_API_TOKENS", DEMO_TOKEN)
    # Call residents back at once and at any hour, so the demo shows the loop whenever it runs.
    os.environ.setdefault("HOTLINE_SURVEY_DELAY_SECONDS", "0")
    os.environ.setdefault("HOTLINE_CALLING_HOURS", "00:00-23:59")
    os.environ.setdefault("HOTLINE_AGENT_HOURS", "00:00-23:59")
    if args.mode:
        os.environ["HOTLINE_INTAKE_MODE"] = args.mode
    port = _free_port(args.port)
    os.environ["HOTLINE_PUBLIC_BASE_URL"] = f"http://127.0.0.1:{port}"
    settings = load_settings()
    redis = open_redis(settings)
    env = {**os.environ, "HOTLINE_REDIS_URL": redis.url}
    children = []
    recordings = RecordingServer(settings.twilio_account_sid, settings.twilio_auth_token).start()
    try:
        init = spawn(_hotline("init", "--demo"), env=env)
        if init.wait() != 0:
            print("error: hotline init failed")
            return 1
        logs = settings.data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        for name, command in (
            ("serve", _hotline("serve", "--port", str(port), "--log-level", "warning")),
            ("worker", _hotline("worker")),
        ):
            with (logs / f"{name}.log").open("ab") as log:
                children.append(spawn(command, env=env, stdout=log, stderr=subprocess.STDOUT))
        print(f"logs: {logs}/serve.log, {logs}/worker.log")
        base = settings.public_base_url
        _wait_for(f"{base}/healthz", 60)
        mode = settings.intake_mode
        print(f"hotline up at {base} (Valkey {redis.url}), intake mode {mode}")
        print(f"\n1. IVR intake: {len(DEMO_CALLS)} calls while no agent is signed in")
        rows = _place_calls(
            recordings, settings.twilio_account_sid, settings.twilio_auth_token, base, mode
        )
        done = _report(base, settings.api_tokens[0], rows, args.timeout)
        print("\n2. A person answers: an agent signs in and takes a Korean call")
        take_a_call(settings, recordings, base, args.timeout)
        print("\n3. Closure and the callback survey")
        _close_and_survey(settings, base, settings.api_tokens[0], done, args.timeout)
        print("\n4. A city app files through Open311; a department system gets signed events")
        open311_and_webhooks(env, base, args.timeout)
        if args.exit:
            return 0
        print(f"\nserving {base}/docs (API token {settings.api_tokens[0]!r}); Ctrl-C stops all")
        while all(child.poll() is None for child in children):
            time.sleep(1)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        for child in reversed(children):
            stop(child)
        recordings.stop()
        redis.close()


def _place_calls(
    server: RecordingServer, account_sid: str, token: str, base: str, mode: str
) -> list[tuple[DemoCall, CallResult]]:
    rows = []
    for demo in DEMO_CALLS:
        call = SimulatedCall(
            config=NumberConfig.for_base(base),
            auth_token=token,
            account_sid=account_sid,
            recordings=server,
            caller=demo.caller,
        )
        result = call.run(Script(keys=demo.keys_for(mode), recordings=[FIXTURES / demo.audio]))
        rows.append((demo, result))
    return rows


def _report(
    base: str, token: str, rows: list[tuple[DemoCall, CallResult]], timeout: float
) -> dict[str, dict[str, object]]:
    headers = {"Authorization": f"Bearer {token}"}
    waiting = {demo.caller: result for demo, result in rows}
    done: dict[str, tuple[dict[str, object], float]] = {}
    deadline = time.monotonic() + timeout
    while waiting and time.monotonic() < deadline:
        for caller in list(waiting):
            items = httpx.get(
                f"{base}/api/v1/tickets", params={"phone": caller}, headers=headers, timeout=5
            ).json()["items"]
            if items and items[0]["transcript"] is not None:
                done[caller] = (items[0], time.monotonic() - waiting.pop(caller).ended_at)
        time.sleep(0.2)
    print()
    print(
        f"{'reference':<12} {'lang':<5} {'category':<22} {'loc':<5} {'status':<9} "
        f"{'secs':>5}  {'stt':<6} {'team':<5} {'assignee':<11} transcript (or why there is none)"
    )
    for demo, _ in rows:
        if demo.caller not in done:
            print(f"{'?':<12} {'':<5} {'':<22} {'':<5} {'waiting':<9} {'':>5}  timed out")
            continue
        item, seconds = done[demo.caller]
        transcript = item["transcript"]
        assert isinstance(transcript, dict)
        text = transcript["text"] or transcript.get("reason") or ""
        print(
            f"{item['reference']!s:<12} {item['language']!s:<5} {item['category']!s:<22} "
            f"{item['location_code'] or '-'!s:<5} {item['status']!s:<9} {seconds:>5.1f}  "
            f"{transcript['status']!s:<6} {item['team'] or '-'!s:<5} "
            f"{item['assignee'] or '-'!s:<11} {str(text)[:50]}"
        )
    return {caller: item for caller, (item, _) in done.items()}


SURVEY_ANSWERS = (("1", "5", "solved, 5/5"), ("2", "3", "not solved, 3/5"))


def _close_and_survey(
    settings: Settings, base: str, token: str, done: dict[str, dict[str, object]], timeout: float
) -> None:
    """Work two dispatched tickets to closure; the callbacks answer solved and not solved."""
    headers = {"Authorization": f"Bearer {token}"}
    chosen = [(caller, item) for caller, item in done.items() if item["status"] == "dispatched"][
        : len(SURVEY_ANSWERS)
    ]
    if not chosen:
        return
    plan = {
        caller: [{"answer": "human", "keys": [solved, score]}]
        for (caller, _), (solved, score, _) in zip(chosen, SURVEY_ANSWERS, strict=False)
    }
    script = residents_file(settings)
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(json.dumps(plan))
    for _, item in chosen:
        for action in ("accept", "resolve", "close"):
            httpx.post(
                f"{base}/api/v1/tickets/{item['reference']}/actions",
                json={"action": action, "note": f"demo {action}"},
                headers=headers,
                timeout=10,
            ).raise_for_status()
    print("\nclosed; the callback survey calls each resident (the survey sweep runs every 15 s)")
    print(f"{'reference':<12} {'resident says':<16} {'survey':<10} {'status':<9} escalation")
    deadline = time.monotonic() + timeout
    for (_, item), (_, _, says) in zip(chosen, SURVEY_ANSWERS, strict=False):
        body: dict[str, object] = {}
        while time.monotonic() < deadline:
            body = httpx.get(
                f"{base}/api/v1/tickets/{item['reference']}", headers=headers, timeout=5
            ).json()
            survey = body.get("survey")
            if isinstance(survey, dict) and survey["status"] not in ("scheduled", "calling"):
                break
            time.sleep(0.5)
        survey = body.get("survey")
        state = survey["status"] if isinstance(survey, dict) else "-"
        print(
            f"{item['reference']!s:<12} {says:<16} {state!s:<10} {body.get('status')!s:<9} "
            f"{body.get('escalation_level')}"
        )
