"""`hotline init` and `hotline worker --burst` on a fresh data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, func, select

from hotline.grids.models import OrgUnit


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env["HOTLINE_DATA_DIR"] = str(tmp_path / "data")
    return subprocess.run(
        [sys.executable, "-m", "hotline.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_init_is_repeatable_and_seeds_the_demo_town(tmp_path: Path) -> None:
    assert run(tmp_path, "init").returncode == 0
    done = run(tmp_path, "init", "--demo")
    assert done.returncode == 0, done.stderr
    assert "communities: 6 created" in done.stdout
    assert "households: 500 created" in done.stdout
    again = run(tmp_path, "init", "--demo")
    assert "households: 0 created, 0 updated, 500 unchanged" in again.stdout
    engine = create_engine(f"sqlite:///{tmp_path / 'data' / 'hotline.db'}")
    with engine.connect() as connection:
        assert (
            connection.scalar(
                select(func.count()).select_from(OrgUnit).where(OrgUnit.level == "community")
            )
            == 6
        )
    engine.dispose()


def test_worker_burst_exits_when_nothing_is_queued(tmp_path: Path) -> None:
    assert run(tmp_path, "init").returncode == 0
    done = run(tmp_path, "worker", "--burst")
    assert done.returncode == 0, done.stderr
    assert "burst done: 0 jobs relayed" in done.stderr
    assert not (tmp_path / "data" / "valkey.port").exists()


def test_bad_configuration_is_reported_without_a_traceback(tmp_path: Path) -> None:
    env_run = run(tmp_path, "init")
    assert env_run.returncode == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env.update(HOTLINE_DATA_DIR=str(tmp_path / "data"), HOTLINE_TELEPHONY="twilio")
    done = subprocess.run(
        [sys.executable, "-m", "hotline.cli", "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "refusing to start with HOTLINE_TELEPHONY=twilio" in done.stderr
    assert "Traceback" not in done.stderr
