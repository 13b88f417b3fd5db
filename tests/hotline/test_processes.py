"""The embedded Valkey server never outlives the process that owns it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from redis import Redis
from rq import Worker

from hotline.core.redis import embedded_url, open_redis
from hotline.core.settings import Settings


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in state


def wait_dead(pid: int, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


OWNER = """
import sys, time
from pathlib import Path
from hotline.core.valkey import EmbeddedValkey
server = EmbeddedValkey(Path(sys.argv[1]))
server.start()
print(server.process.pid, server.url, flush=True)
time.sleep(120)
"""


def test_server_dies_when_its_owner_is_killed(tmp_path: Path) -> None:
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    assert owner.stdout is not None
    pid_text, url = owner.stdout.readline().split()
    assert Redis.from_url(url).ping()
    owner.send_signal(signal.SIGKILL)
    owner.wait(timeout=10)
    assert wait_dead(int(pid_text))


def test_open_redis_starts_joins_and_stops(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = open_redis(settings)
    assert first.server is not None and first.server.process is not None
    pid = first.server.process.pid
    joined = open_redis(settings)  # a second process (or call) joins the running server
    assert joined.server is None and joined.url == first.url
    assert embedded_url(settings) == first.url
    first.client().set("k", "v")
    assert joined.client().get("k") == b"v"
    first.close()
    assert wait_dead(pid)
    assert embedded_url(settings) is None


@pytest.mark.parametrize("moment", ["starting", "idle"])
def test_sigterm_on_the_cli_stops_the_worker_and_its_valkey(tmp_path: Path, moment: str) -> None:
    env = {**os.environ, "HOTLINE_DATA_DIR": str(tmp_path)}
    env = {k: v for k, v in env.items() if k not in ("HOTLINE_REDIS_URL", "HOTLINE_DATABASE_URL")}
    subprocess.run([sys.executable, "-m", "hotline.cli", "init"], env=env, check=True)
    worker = subprocess.Popen(
        [sys.executable, "-m", "hotline.cli", "worker"],
        env=env,
        stdout=(tmp_path / "worker.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    settings = Settings(data_dir=tmp_path)
    deadline = time.monotonic() + 120
    while embedded_url(settings) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    url = embedded_url(settings)
    assert url is not None
    port = url.rsplit(":", 1)[1].split("/")[0]
    pids = subprocess.run(
        ["pgrep", "-f", f"valkey-server.*{port}"], capture_output=True, text=True
    ).stdout.split()
    assert pids
    deadline = time.monotonic() + 120  # a loaded CI machine loads models slowly
    while (
        moment == "idle"
        and not Worker.all(connection=Redis.from_url(url))
        and time.monotonic() < deadline
    ):
        time.sleep(0.1)  # models loaded, RQ's own signal handling in place
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=30)
    finally:
        print((tmp_path / "worker.log").read_text())
        if worker.poll() is None:  # a failed test must not leave a worker running
            worker.kill()
            worker.wait()
    assert all(wait_dead(int(pid)) for pid in pids)
