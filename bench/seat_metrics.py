"""Seat metrics over a busy period: how long the report takes as calls accumulate.

Usage: .venv/bin/python bench/seat_metrics.py [--calls 70000] [--database URL]
Inserts `--calls` inbound calls spread over one local day (Beijing's 12345 takes about 70,000 a
day), two thirds answered by one of 750 agents with talk and wrap-up times, the rest abandoned,
sent on to the IVR intake (half with a ticket) or hung up in the greeting; then times the seat
report for the day, as the dashboard, `hotline report --seats` and the API compute it.
Prints a table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from hotline.calls.models import Call  # noqa: E402
from hotline.core.database import make_engine, make_sessionmaker, unit_of_work  # noqa: E402
from hotline.core.migrate import upgrade  # noqa: E402
from hotline.metrics.seats import seat_report  # noqa: E402
from hotline.queue.models import QueueEntry  # noqa: E402
from hotline.seats.models import CallOffer  # noqa: E402
from hotline.tickets.models import Ticket  # noqa: E402
from hotline.users.models import User  # noqa: E402

DAY = datetime(2026, 11, 19, 16, 0, tzinfo=UTC)  # 2026-11-20 00:00 in Shanghai
AGENTS = 750


def fill(url: str, count: int) -> None:
    """`count` calls over the day, with queue entries, answered offers and IVR tickets."""
    rng = random.Random(12345)
    engine = make_engine(url)
    with unit_of_work(make_sessionmaker(engine)) as session:
        session.execute(
            insert(User),
            [
                {
                    "username": f"a{n:03d}",
                    "password_hash": "x",
                    "role": "agent",
                    "language": "zh-CN",
                    "languages": "zh-CN",
                    "active": True,
                    "created_at": DAY,
                }
                for n in range(AGENTS)
            ],
        )
        agents = session.scalars(select(User.id)).all()
        calls = []
        for n in range(count):
            at = DAY + timedelta(seconds=rng.uniform(0, 86399))
            calls.append(
                {
                    "call_sid": f"CA{n:032d}",
                    "from_number": f"+86137{n:08d}",
                    "to_number": "",
                    "status": "completed",
                    "fallback": False,
                    "started_at": at,
                    "updated_at": at,
                }
            )
        session.execute(insert(Call), calls)
        ids = session.execute(select(Call.id, Call.call_sid, Call.started_at)).all()
        entries, offers, tickets = [], [], []
        for call_id, sid, at in ids:
            roll = rng.random()
            if roll < 0.02:
                continue  # hung up in the greeting
            wait = rng.randint(1, 40)
            outcome = "answered" if roll < 0.68 else "abandoned" if roll < 0.75 else "overflow"
            entries.append(
                {
                    "call_id": call_id,
                    "call_sid": sid,
                    "from_number": "",
                    "outcome": outcome,
                    "wait_seconds": wait,
                    "enqueued_at": at,
                    "overflow_reason": "timeout" if outcome == "overflow" else None,
                }
            )
            if outcome == "overflow" and rng.random() < 0.5:
                tickets.append(
                    {
                        "reference": f"2026-{call_id:07d}",
                        "call_id": call_id,
                        "status": "received",
                        "channel": "ivr",
                        "caller": "",
                        "fallback": False,
                        "needs_listening": False,
                        "needs_review": False,
                        "escalation_level": 0,
                        "created_at": at,
                        "updated_at": at,
                    }
                )
        session.execute(insert(QueueEntry), entries)
        for entry_id, outcome, at, waited in session.execute(
            select(
                QueueEntry.id, QueueEntry.outcome, QueueEntry.enqueued_at, QueueEntry.wait_seconds
            )
        ):
            if outcome != "answered":
                continue
            picked = at + timedelta(seconds=waited or 0)
            talk = timedelta(seconds=rng.randint(60, 600))
            offers.append(
                {
                    "entry_id": entry_id,
                    "user_id": rng.choice(agents),
                    "state": "answered",
                    "manual": False,
                    "agent_phone": "+86",
                    "cancel_requested": False,
                    "created_at": picked,
                    "rung_at": picked,
                    "answered_at": picked,
                    "ended_at": picked + talk,
                    "wrap_up_ended_at": picked + talk + timedelta(seconds=30),
                }
            )
        session.execute(insert(CallOffer), offers)
        session.execute(insert(Ticket), tickets)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=70000)
    parser.add_argument("--database", help="a PostgreSQL URL (default: SQLite in a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-seats-") as scratch:
        url = args.database or f"sqlite:///{Path(scratch) / 'hotline.db'}"
        upgrade(url)
        started = time.perf_counter()
        fill(url, args.calls)
        filled = time.perf_counter() - started
        engine = make_engine(url)
        runs = []
        report = None
        for _ in range(3):
            with unit_of_work(make_sessionmaker(engine)) as session:
                began = time.perf_counter()
                report = seat_report(
                    session=session,
                    since=DAY,
                    until=DAY + timedelta(days=1),
                    timezone="Asia/Shanghai",
                )
                runs.append(time.perf_counter() - began)
        engine.dispose()
    assert report is not None
    figures = report.totals.as_json()
    print(f"\n{args.calls} calls in one day on {url.split(':')[0]} (filled in {filled:.1f} s)\n")
    print("| measure | value |\n|---|---|")
    print(f"| seat report for the day (best of 3) | {min(runs) * 1000:.0f} ms |")
    print(f"| seat report for the day (worst of 3) | {max(runs) * 1000:.0f} ms |")
    for key in (
        "offered",
        "answered",
        "answered_within_15s_rate",
        "connection_rate",
        "average_handle_seconds",
    ):
        print(f"| {key} | {figures[key]} |")
    print(f"| agents with calls | {len(report.agents)} |")


if __name__ == "__main__":
    main()
