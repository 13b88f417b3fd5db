"""Survey scheduling and outbound pacing: 10,000 closures, then calls through the shared limit.

Usage: .venv/bin/python bench/surveys.py [--closures 10000] [--workers 4]
       [--paced 1000 --cps 50] [--database URL] [--redis URL]
Closes `--closures` resolved tickets through the real workflow (each schedules a callback),
claims them all as the survey sweep does, then lets `--workers` processes take the claimed
attempts and wait for their turn through the Redis pacing key, recording when each call would be
placed (the provider is a stand-in that notes the time). Prints a table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from redis import Redis  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from hotline.core.clock import FixedClock  # noqa: E402
from hotline.core.database import make_engine, make_sessionmaker, unit_of_work  # noqa: E402
from hotline.core.migrate import upgrade  # noqa: E402
from hotline.core.settings import Settings  # noqa: E402
from hotline.core.valkey import EmbeddedValkey  # noqa: E402
from hotline.grids import demo  # noqa: E402
from hotline.grids.models import OrgUnit, UnitLevel  # noqa: E402
from hotline.outbox.models import OutboxMessage  # noqa: E402
from hotline.surveys import service as surveys  # noqa: E402
from hotline.surveys.models import Survey, SurveyAttempt  # noqa: E402
from hotline.surveys.policy import survey_policy  # noqa: E402
from hotline.telephony import pacing  # noqa: E402
from hotline.tickets import workflow  # noqa: E402
from hotline.tickets.models import Ticket  # noqa: E402
from hotline.triage.policy import policy_from_settings  # noqa: E402

NOW = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
QUEUE, PLACED = "bench:survey-attempts", "bench:placed"


def fill(url: str, count: int) -> None:
    """Seed the registry and `count` resolved tickets with distinct callers."""
    engine = make_engine(url)
    with unit_of_work(make_sessionmaker(engine)) as session:
        demo.seed(session=session)
        session.flush()
        grid = session.scalars(select(OrgUnit).where(OrgUnit.level == UnitLevel.GRID)).first()
        assert grid is not None
        rows = [
            {
                "reference": f"2026-{n:06d}",
                "status": "resolved",
                "channel": "ivr",
                "category": "utilities",
                "caller": f"+86137{n:08d}",
                "language": "zh-CN",
                "fallback": False,
                "needs_listening": False,
                "needs_review": False,
                "escalation_level": 0,
                "grid_id": grid.id,
                "team_id": grid.id,
                "first_team_id": grid.id,
                "resolved_at": NOW - timedelta(hours=2),
                "created_at": NOW - timedelta(days=3),
                "updated_at": NOW - timedelta(hours=2),
            }
            for n in range(1, count + 1)
        ]
        session.execute(insert(Ticket), rows)
    engine.dispose()


def close_all(url: str, settings: Settings) -> float:
    """Close every resolved ticket through workflow.close; returns seconds."""
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    clock = FixedClock(NOW)
    policy = survey_policy(settings, policy_from_settings(settings))
    started = time.perf_counter()
    while True:
        with unit_of_work(sessions) as session:
            batch = session.scalars(
                select(Ticket).where(Ticket.status == "resolved").limit(500)
            ).all()
            for ticket in batch:
                workflow.close(
                    session=session, clock=clock, surveys=policy, ticket=ticket, actor="bench"
                )
        if not batch:
            break
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def claim_all(url: str, settings: Settings) -> tuple[float, int, int]:
    """Run survey sweeps until nothing is due; returns seconds, attempts and outbox jobs."""
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    clock = FixedClock(NOW + timedelta(hours=2))
    policy = survey_policy(settings, policy_from_settings(settings))
    started = time.perf_counter()
    while True:
        with unit_of_work(sessions) as session:
            if not surveys.claim_due(session=session, clock=clock, policy=policy):
                break
    elapsed = time.perf_counter() - started
    with unit_of_work(sessions) as session:
        attempts = session.scalar(select(func.count()).select_from(SurveyAttempt)) or 0
        jobs = (
            session.scalar(
                select(func.count(func.distinct(OutboxMessage.job_id))).where(
                    OutboxMessage.function == surveys.PLACE_CALL_FUNCTION
                )
            )
            or 0
        )
    engine.dispose()
    return elapsed, attempts, jobs


def _dial(redis_url: str, cps: float) -> None:
    """One worker process: take attempts, wait for the shared slot, note when it dialled."""
    redis = Redis.from_url(redis_url)
    while True:
        attempt = redis.lpop(QUEUE)
        if not isinstance(attempt, bytes):
            return
        pacing.wait_turn(redis, cps)
        redis.rpush(PLACED, f"{attempt.decode()} {time.time():.6f}")


def paced(redis_url: str, attempt_ids: list[int], cps: float, workers: int) -> dict[str, float]:
    """Dial through the limiter from several processes; rate and duplicate figures."""
    redis = Redis.from_url(redis_url)
    redis.delete(QUEUE, PLACED, pacing.KEY)
    redis.rpush(QUEUE, *attempt_ids)
    started = time.perf_counter()
    processes = [
        multiprocessing.get_context("fork").Process(target=_dial, args=(redis_url, cps))
        for _ in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - started
    raw = redis.lrange(PLACED, 0, -1)
    assert isinstance(raw, list)
    placed = [(line.decode() if isinstance(line, bytes) else str(line)).split() for line in raw]
    stamps = sorted(float(t) for _, t in placed)
    dialled = Counter(a for a, _ in placed)
    busiest, left = 0, 0
    for right, stamp in enumerate(stamps):  # calls in any sliding one-second window
        while stamp - stamps[left] >= 1.0:
            left += 1
        busiest = max(busiest, right - left + 1)
    return {
        "calls": len(placed),
        "seconds": elapsed,
        "mean_rate": (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 else 0.0,
        "max_in_any_second": busiest,
        "min_gap": min((b - a for a, b in zip(stamps, stamps[1:], strict=False)), default=0.0),
        "duplicates": sum(n - 1 for n in dialled.values()),
    }


def main() -> None:
    """Schedule, claim, pace; print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--closures", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--paced", type=int, default=1000)
    parser.add_argument("--cps", type=float, default=50.0)
    parser.add_argument("--database", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--redis", default=None, help="default: an embedded Valkey server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = args.database or f"sqlite:///{directory}/bench.db"
        settings = Settings(data_dir=Path(directory), database_url=url)
        upgrade(url)
        fill(url, args.closures)
        close_seconds = close_all(url, settings)
        claim_seconds, attempts, jobs = claim_all(url, settings)
        engine = make_engine(url)
        with unit_of_work(make_sessionmaker(engine)) as session:
            scheduled = session.scalar(select(func.count()).select_from(Survey)) or 0
            ids = list(session.scalars(select(SurveyAttempt.id)).all())
        engine.dispose()
        valkey = None
        redis_url = args.redis
        if redis_url is None:
            valkey = EmbeddedValkey(Path(directory) / "valkey")
            valkey.start()
            redis_url = valkey.url
        try:
            slow = paced(redis_url, ids[:12], 1.0, args.workers)
            fast = paced(redis_url, ids[: args.paced], args.cps, args.workers)
        finally:
            if valkey is not None:
                valkey.stop()
    print(f"\ndatabase: {url.split(':')[0]}, {args.closures:,} resolved tickets\n")
    print("| step | count | seconds | per second |")
    print("|---|---:|---:|---:|")
    print(
        f"| close (workflow.close, schedules the callback) | {scheduled:,} | "
        f"{close_seconds:.1f} | {scheduled / close_seconds:,.0f} |"
    )
    print(
        f"| claim due surveys (sweeps of 500) | {attempts:,} | {claim_seconds:.1f} | "
        f"{attempts / claim_seconds:,.0f} |"
    )
    print(f"\ndistinct call jobs queued: {jobs:,} for {attempts:,} attempts\n")
    print("| limit | workers | calls | seconds | mean rate | max in 1 s | min gap | duplicates |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for cps, figures in ((1.0, slow), (args.cps, fast)):
        print(
            f"| {cps:g}/s | {args.workers} | {figures['calls']:.0f} | {figures['seconds']:.1f} | "
            f"{figures['mean_rate']:.2f}/s | {figures['max_in_any_second']:.0f} | "
            f"{figures['min_gap'] * 1000:.1f} ms | {figures['duplicates']:.0f} |"
        )


if __name__ == "__main__":
    main()
