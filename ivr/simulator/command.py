"""`hotline simulate-call` and `hotline demo`."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from hotline.core.settings import load_settings
from ivr.simulator.call import NumberConfig, Script, SimulatedCall
from ivr.simulator.recordings import RecordingServer


def _keys(text: str) -> list[str | None]:
    return [part.strip() or None for part in text.split(",")] if text else []


def register(commands: argparse._SubParsersAction) -> None:
    """Add `simulate-call` and `demo`."""
    call = commands.add_parser("simulate-call", help="place one simulated call, as Twilio would")
    call.add_argument("--base-url", help="hotline base URL (default HOTLINE_PUBLIC_BASE_URL)")
    call.add_argument("--from", dest="caller", default="+8613800000000")
    call.add_argument(
        "--keys",
        default="3,1,1101",
        help="keys for each menu, comma-separated; an empty item is silence",
    )
    call.add_argument("--audio", type=Path, action="append", default=[], help="WAV or MP3")
    call.add_argument("--no-fallback", action="store_true", help="do not use the fallback URL")
    call.add_argument(
        "--wait", type=float, default=120.0, help="seconds to keep serving the recording"
    )
    call.set_defaults(handler=_simulate)

    from ivr.simulator import demo

    demo.register(commands)


def _simulate(args: argparse.Namespace) -> int:
    settings = load_settings()
    config = NumberConfig.for_base(args.base_url or settings.public_base_url)
    if args.no_fallback:
        config.fallback_url = None
    server = RecordingServer(settings.twilio_account_sid, settings.twilio_auth_token).start()
    try:
        call = SimulatedCall(
            config=config,
            auth_token=settings.twilio_auth_token,
            account_sid=settings.twilio_account_sid,
            recordings=server,
            caller=args.caller,
        )
        result = call.run(Script(keys=_keys(args.keys), recordings=list(args.audio)))
        print(f"call {result.call_sid}")
        for line in result.said:
            print(f"  IVR: {line}")
        for error in result.errors:
            print(f"  error: {error}")
        deadline = time.monotonic() + args.wait
        while result.recording_sids and time.monotonic() < deadline:
            if all(server.downloads.get(sid) for sid in result.recording_sids):
                print("recording fetched by the hotline")
                break
            time.sleep(0.2)
        return 1 if result.errors and not result.used_fallback else 0
    finally:
        server.stop()
