"""Redis restarts while a job runs: `hotline worker` waits for it and goes on working."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from redis import Redis
from rq import Queue, Worker

from hotline.core.settings import Settings
from hotline.core.valkey import EmbeddedValkey
from tests.conftest import free_port

pytestmark = pytest.mark.slow


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def wait_for(check: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(check) and check():
            return True
        time.sleep(0.1)
    return False


def test_a_redis_restart_mid_job_does_not_stop_the_worker(
    settings: Settings, seeded: None, tmp_path: Path
) -> None:
    port = free_port()
    valkey = EmbeddedValkey(tmp_path / "valkey", port=port)
    valkey.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env |= {
        "HOTLINE_DATA_DIR": str(tmp_path / "data"),
        "HOTLINE_DATABASE_URL": settings.resolved_database_url,
        "HOTLINE_REDIS_URL": valkey.url,
        "HOTLINE_JOB_HEARTBEAT_SECONDS": "1",
    }
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "hotline.cli", "worker", "--jobs-only"],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    slow, after = tmp_path / "slow", tmp_path / "after"
    try:
        redis = Redis.from_url(valkey.url)
        assert wait_for(lambda: Worker.count(connection=redis) == 1, 120), log.read_text()
        Queue("default", connection=redis).enqueue(
            "tests.worker.crashing.slow_run", str(slow), 4.0, job_timeout=60
        )
        assert wait_for(lambda: lines(slow) == ["start"], 30), log.read_text()
        valkey.stop()  # mid-job: the worker's heartbeats fail
        time.sleep(2)
        valkey = EmbeddedValkey(tmp_path / "valkey-again", port=port)
        valkey.start()
        time.sleep(4)
        assert worker.poll() is None, log.read_text()
        assert lines(slow) == ["start", "end"]  # the running job was not cut short
        redis = Redis.from_url(valkey.url)
        Queue("default", connection=redis).enqueue("tests.worker.crashing.count_run", str(after))
        assert wait_for(lambda: lines(after) == ["run"], 60), log.read_text()
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            assert worker.wait(timeout=30) == 0
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
            valkey.stop()
