"""Real worker and relay processes: a relay killed mid-stream sends no event twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import SystemClock
from hotline.core.database import make_engine, make_sessionmaker, unit_of_work
from hotline.core.settings import Settings
from hotline.webhooks.models import WebhookDelivery
from tests.hotline.webhooks.helpers import SECRET, new_case, subscribe
from tests.hotline.webhooks.receiver import receiving

pytestmark = pytest.mark.slow
CASES = 20


def wait_for(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def delivered(sessions: sessionmaker[Session]) -> int:
    with unit_of_work(sessions) as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(WebhookDelivery)
                .where(WebhookDelivery.status == "delivered")
            )
            or 0
        )


def state(sessions: sessionmaker[Session]) -> str:
    with unit_of_work(sessions) as session:
        rows = session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
        return "\n".join(
            f"{d.id} t{d.ticket_id} {d.status} tries={d.attempts} claim={d.claimed_until} "
            f"next={d.next_attempt_at} {d.last_error}"
            for d in rows
        )


def start(command: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "hotline.cli", *command.split()],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def test_a_relay_restart_sends_no_event_twice(
    settings: Settings,
    sessions: sessionmaker[Session],
    seeded: None,
    tmp_path: Path,
    redis: Redis,  # flushed: earlier tests' finished jobs share these job ids
) -> None:
    clock = SystemClock()  # the processes run on real time
    # Write-first transactions, as the app's own engine: on SQLite this test writes beside them.
    writer = make_sessionmaker(make_engine(settings.resolved_database_url))
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env |= {
        "HOTLINE_DATA_DIR": str(tmp_path / "data"),
        "HOTLINE_DATABASE_URL": settings.resolved_database_url,
        "HOTLINE_REDIS_URL": str(settings.redis_url),
        "HOTLINE_WEBHOOK_RETRY_SECONDS": "1,1,1",
    }
    log = tmp_path / "processes.log"
    with receiving(SECRET) as receiver:
        subscribe(writer, clock, receiver.url)  # 2 events a case: created, dispatched
        for n in range(1, CASES // 2 + 1):
            new_case(writer, clock, n)
        worker = start("worker --jobs-only", env, log)
        relay = start("relay", env, log)
        try:
            assert wait_for(lambda: delivered(sessions) >= 4, 120), log.read_text()
            relay.send_signal(signal.SIGKILL)  # mid-stream: some handed over, some not
            relay.wait(timeout=10)
            for n in range(CASES // 2 + 1, CASES + 1):
                new_case(writer, clock, n)
            relay = start("relay", env, log)
            assert wait_for(lambda: delivered(sessions) == 2 * CASES, 120), (
                state(sessions) + log.read_text()[-6000:]
            )
            time.sleep(2)  # anything sent twice would arrive by now
        finally:
            for process in (relay, worker):
                process.send_signal(signal.SIGTERM)
            for process in (relay, worker):
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
    ids = [r.headers["x-hotline-event-id"] for r in receiver.received]
    assert len(ids) == 2 * CASES and len(set(ids)) == 2 * CASES
    assert all(r.signature_ok for r in receiver.received)
    by_ticket: dict[str, list[int]] = {}
    for r in receiver.received:
        by_ticket.setdefault(r.event["ticket"]["reference"], []).append(r.event["sequence"])
    assert len(by_ticket) == CASES
    assert all(seq == sorted(seq) for seq in by_ticket.values())  # each ticket's in order
