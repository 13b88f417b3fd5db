"""`kill -9` of every `hotline worker` process mid-transcription: a fresh worker finishes it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.core.clock import SystemClock
from hotline.core.database import make_engine, make_sessionmaker
from hotline.core.settings import Settings
from hotline.transcripts.models import Transcript
from ivr.simulator.recordings import RecordingServer
from tests.conftest import FIXTURES
from tests.worker.helpers import finished_call
from worker.failure_points import ENV

pytestmark = [pytest.mark.slow, pytest.mark.vosk]
PROMISE_SECONDS = 90


def worker_env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    return {
        **env,
        "HOTLINE_DATA_DIR": str(settings.data_dir),
        "HOTLINE_DATABASE_URL": settings.resolved_database_url,
        "HOTLINE_REDIS_URL": settings.redis_url or "",
        "HOTLINE_TELEPHONY": "simulator",
        "HOTLINE_TWILIO_ACCOUNT_SID": settings.twilio_account_sid or "",
        "HOTLINE_TWILIO_AUTH_TOKEN": settings.twilio_auth_token or "",
        **extra,
    }


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "hotline.cli", "worker"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the worker, its horse, relay and distributor: one group
        )


def kill_session(leader: int) -> None:
    """SIGKILL every process of a session, as a host's death would: the work horse too (RQ puts
    it in a process group of its own)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == leader:  # the session id, after state, ppid and pgrp
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(stat.parent.name), signal.SIGKILL)


def transcript_stored(session: Session) -> bool:
    session.rollback()
    return session.scalar(select(Transcript.id)) is not None


def test_a_fresh_worker_stores_the_transcript_within_90_seconds(
    settings: Settings,
    seeded: None,
    session: Session,
    recordings: RecordingServer,
    tmp_path: Path,
) -> None:
    _, url = recordings.add(FIXTURES / "ko_pothole.wav")
    engine = make_engine(settings.resolved_database_url)
    finished_call(make_sessionmaker(engine), SystemClock(), recording_url=url)
    engine.dispose()
    marker = tmp_path / "in-job"
    log = tmp_path / "worker.log"
    first = start_worker(
        worker_env(settings, **{ENV: f"transcribe:downloaded=stall:{marker}"}), log
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert marker.exists(), log.read_text()
    finally:
        kill_session(first.pid)  # every process of that worker, mid-job
        first.wait(timeout=10)
    killed = time.monotonic()
    assert not transcript_stored(session)

    fresh = start_worker(worker_env(settings), log)
    try:
        while not transcript_stored(session) and time.monotonic() - killed < PROMISE_SECONDS:
            time.sleep(0.5)
        waited = time.monotonic() - killed
        assert transcript_stored(session), f"no transcript {waited:.0f} s after the kill"
    finally:
        os.killpg(fresh.pid, signal.SIGTERM)
        fresh.wait(timeout=30)
    print(f"transcript stored {waited:.1f} s after every worker process was killed")
