"""`hotline serve --workers N`: N web processes on one port, ready checks, a clean stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from twilio.request_validator import RequestValidator

from tests.conftest import ACCOUNT_SID, AUTH_TOKEN, free_port

pytestmark = pytest.mark.slow


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(p) for p in (task / "children").read_text().split()]
    return found


def cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def alive(pid: int) -> bool:
    try:
        return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False


def test_serve_runs_n_processes_answers_ready_and_stops_on_sigterm(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env["HOTLINE_DATA_DIR"] = str(tmp_path / "data")
    command = [sys.executable, "-m", "hotline.cli"]
    subprocess.run([*command, "init"], env=env, check=True, capture_output=True, timeout=120)
    port = free_port()
    server = subprocess.Popen(
        [*command, "serve", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        ready = None
        while time.monotonic() < deadline:
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
                if ready.status_code == 200 and len(children(server.pid)) >= 2:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        assert ready is not None and ready.status_code == 200
        assert ready.json()["ready"] is True
        web = [pid for pid in children(server.pid) if alive(pid)]
        spawned = [pid for pid in web if "spawn_main" in cmdline(pid)]
        assert len(spawned) == 2  # two uvicorn worker processes share the socket
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=40) == 0
        # The web processes and multiprocessing's resource tracker end with it; the
        # tracker notices its parent is gone a moment later.
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in web) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in web if alive(pid)]
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_a_webhook_in_flight_at_sigterm_is_answered_before_the_process_exits(
    tmp_path: Path,
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env |= {
        "HOTLINE_DATA_DIR": str(tmp_path / "data"),
        "HOTLINE_PUBLIC_BASE_URL": base,
        "HOTLINE_TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "HOTLINE_TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "HOTLINE_INTAKE_MODE": "ivr",
    }
    command = [sys.executable, "-m", "hotline.cli"]
    subprocess.run([*command, "init"], env=env, check=True, capture_output=True, timeout=120)
    server = subprocess.Popen(
        [*command, "serve", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    params = {
        "CallSid": "CA" + "c" * 32,
        "AccountSid": ACCOUNT_SID,
        "From": "+8613812345678",
        "To": "+861012345",
        "CallStatus": "ringing",
        "Direction": "inbound",
    }
    body = urlencode(params).encode()
    started, release = threading.Event(), threading.Event()
    answers: list[httpx.Response] = []

    def slowly() -> Iterator[bytes]:
        yield body[:20]
        started.set()
        release.wait(30)
        yield body[20:]

    def call() -> None:
        headers = {
            "X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(
                f"{base}/ivr/voice", params
            ),
            "Content-Type": "application/x-www-form-urlencoded",
        }
        answers.append(
            httpx.post(f"{base}/ivr/voice", content=slowly(), headers=headers, timeout=60)
        )

    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        caller = threading.Thread(target=call)
        caller.start()
        assert started.wait(10)
        time.sleep(0.5)  # the request's headers are in: it is in flight
        server.send_signal(signal.SIGTERM)
        time.sleep(2)
        assert server.poll() is None  # still draining the webhook
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{base}/readyz", timeout=2)  # no new connections while draining
        release.set()
        caller.join(30)
        [answer] = answers
        assert answer.status_code == 200, answer.text
        assert answer.text.startswith("<?xml") and "<Response>" in answer.text
        assert server.wait(timeout=40) == 0
    finally:
        release.set()
        if server.poll() is None:
            server.kill()
            server.wait()


def test_serve_refuses_zero_workers(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env["HOTLINE_DATA_DIR"] = str(tmp_path / "data")
    done = subprocess.run(
        [sys.executable, "-m", "hotline.cli", "serve", "--workers", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "--workers must be at least 1" in done.stderr
