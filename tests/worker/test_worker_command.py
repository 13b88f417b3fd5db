"""`hotline worker` starts its relay and distributor; `--jobs-only` runs the RQ worker alone."""

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

from hotline.core.settings import Settings

pytestmark = pytest.mark.slow


def helpers_of(pid: int) -> list[str]:
    """The hotline commands this process started (relay, acd)."""
    names = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            argv = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
            names += [part.decode() for part in argv if part in (b"relay", b"acd")]
    return sorted(names)


@pytest.mark.parametrize(("flags", "expected"), [([], ["acd", "relay"]), (["--jobs-only"], [])])
def test_the_worker_starts_its_helpers_unless_told_not_to(
    settings: Settings,
    seeded: None,
    redis: Redis,
    tmp_path: Path,
    flags: list[str],
    expected: list[str],
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    assert settings.redis_url is not None
    env |= {
        "HOTLINE_DATA_DIR": str(tmp_path),
        "HOTLINE_DATABASE_URL": settings.resolved_database_url,
        "HOTLINE_REDIS_URL": settings.redis_url,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "hotline.cli", "worker", *flags],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not Worker.all(connection=redis) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert Worker.all(connection=redis), "the RQ worker did not start"
        assert helpers_of(worker.pid) == expected
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
