"""The npm `emulate@0.8.0` Twilio REST emulator, started on a loopback port for one test."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[3]
API = ROOT / ".tools" / "node_modules" / "emulate" / "dist" / "api.js"
WRAPPER = Path(__file__).resolve().parent / "emulator.mjs"
SID = "AC00000000000000000000000000000000"
TOKEN = "twilio_test_auth_token"
NUMBER = "+15551234567"  # the emulator's seeded number


@dataclass
class Emulator:
    """Where the emulator listens and how to read what it recorded."""

    url: str

    def get(self, resource: str) -> dict[str, object]:
        """A list resource of the account, such as Calls or Messages."""
        answer = httpx.get(
            f"{self.url}/2010-04-01/Accounts/{SID}/{resource}.json", auth=(SID, TOKEN)
        )
        answer.raise_for_status()
        return dict(answer.json())

    def call_status(self, call_sid: str, status: str) -> None:
        """Advance a call; the emulator signs and posts the status callback."""
        answer = httpx.post(
            f"{self.url}/_twilio/simulate/call-status",
            data={"CallSid": call_sid, "Status": status},
            auth=(SID, TOKEN),
        )
        answer.raise_for_status()


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """`emulate@0.8.0` (installed by scripts/test into .tools/) serving Twilio on 127.0.0.1."""
    if not API.exists():
        pytest.fail("the Twilio emulator is missing: run scripts/test (it installs emulate@0.8.0)")
    port = free_port()
    process = subprocess.Popen(
        ["node", str(WRAPPER), str(API), str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/2010-04-01/Accounts/{SID}.json", auth=(SID, TOKEN), timeout=1)
            break
        except httpx.HTTPError:
            if process.poll() is not None:
                pytest.fail(
                    f"the emulator exited: {process.stdout.read() if process.stdout else ''}"
                )
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("the emulator did not start in 30 s")
    try:
        yield Emulator(url)
    finally:
        process.terminate()
        process.wait(timeout=10)
