"""Console speed: server time of ticket lists and the dashboard with 100,000 tickets.

Usage: .venv/bin/python bench/console.py [--tickets 100000] [--rounds 40]
       [--database postgresql+psycopg://postgres@127.0.0.1:5432/test]
Creates (and afterwards drops) a scratch database `hotline_bench_console` on that server,
fills it with tickets, calls, recordings and transcripts spread over 180 days, signs in as each
role through the real sign-in form, and times each page in process (request to rendered HTML).
Prints a table; nothing here is asserted. Targets: lists p95 <= 150 ms, dashboard p95 <= 300 ms.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402

from bench.scratch import drop, p50_p95, scratch_url  # noqa: E402
from hotline.app import create_app  # noqa: E402
from hotline.calls.models import Call, Recording  # noqa: E402
from hotline.core.clock import FixedClock  # noqa: E402
from hotline.core.database import make_engine, make_sessionmaker, unit_of_work  # noqa: E402
from hotline.core.migrate import upgrade  # noqa: E402
from hotline.core.settings import Settings  # noqa: E402
from hotline.grids import demo  # noqa: E402
from hotline.grids.models import Member, OrgUnit, UnitLevel  # noqa: E402
from hotline.tickets.categories import Category  # noqa: E402
from hotline.tickets.models import Ticket  # noqa: E402
from hotline.transcripts.models import Transcript  # noqa: E402
from hotline.users import service as users  # noqa: E402
from hotline.users.models import UserRole  # noqa: E402

SCRATCH = "hotline_bench_console"
PASSWORD = "benchmark password"
NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
WORDS = ["路灯", "漏水", "噪音", "垃圾", "停电", "井盖", "占道", "扰民", "救助", "积水"]
STATUSES = [
    ("closed", 55),
    ("accepted", 12),
    ("dispatched", 10),
    ("resolved", 8),
    ("triaged", 5),
    ("answered", 5),
    ("reopened", 2),
    ("returned", 1),
    ("merged", 2),
]


def fill(url: str, count: int) -> float:
    """Insert `count` tickets with their calls, recordings and transcripts; returns seconds."""
    started = time.perf_counter()
    engine = make_engine(url)
    rng = random.Random(7)
    with unit_of_work(make_sessionmaker(engine)) as session:
        demo.seed(session=session)
        session.flush()
        grids = session.scalars(select(OrgUnit).where(OrgUnit.level == UnitLevel.GRID)).all()
        members = {
            g.id: session.scalars(select(Member.id).where(Member.unit_id == g.id)).all()
            for g in grids
        }
        clock = FixedClock(NOW)
        for username, role, team in (
            ("agent", UserRole.AGENT, None),
            ("supervisor", UserRole.SUPERVISOR, "T01"),
            ("gridworker", UserRole.GRID_WORKER, "1101-01"),
            ("admin", UserRole.ADMIN, None),
        ):
            users.create(
                session=session,
                clock=clock,
                username=username,
                password=PASSWORD,
                role=role,
                team_code=team,
            )
    statuses = [s for s, weight in STATUSES for _ in range(weight)]
    categories = [c.value for c in Category]
    batch = 10_000
    with engine.begin() as connection:
        for start in range(0, count, batch):
            size = min(batch, count - start)
            calls, recordings, transcripts, tickets = [], [], [], []
            for n in range(start + 1, start + size + 1):
                created = NOW - timedelta(minutes=rng.randint(0, 180 * 24 * 60))
                grid = rng.choice(grids)
                status = rng.choice(statuses)
                caller = f"+86137{rng.randint(0, 99_999_999):08d}"
                words = rng.sample(WORDS, 3)
                calls.append(
                    {
                        "id": n,
                        "call_sid": f"CA{n:032d}",
                        "from_number": caller,
                        "to_number": "+861012345",
                        "language": "zh-CN",
                        "status": "completed",
                        "fallback": False,
                        "started_at": created,
                        "updated_at": created,
                    }
                )
                recordings.append(
                    {
                        "id": n,
                        "recording_sid": f"RE{n:032d}",
                        "call_id": n,
                        "source_url": "https://api.twilio.com/x",
                        "download_status": "downloaded",
                        "created_at": created,
                    }
                )
                transcripts.append(
                    {
                        "recording_id": n,
                        "status": "ok",
                        "text": " ".join(words),
                        "words": [{"word": w, "conf": 0.9} for w in words],
                        "created_at": created,
                    }
                )
                routed = status not in ("triaged", "answered", "returned")
                dispatched = created + timedelta(minutes=30) if routed else None
                response_due = created + timedelta(days=2) if routed else None
                accepted = (
                    created + timedelta(hours=rng.choice([2, 20, 60]))
                    if routed and status != "dispatched"
                    else None
                )
                tickets.append(
                    {
                        "id": n,
                        "reference": f"{created.year}-{n:06d}",
                        "call_id": n,
                        "status": status,
                        "channel": "ivr",
                        "category": rng.choice(categories),
                        "location_code": grid.code[:4],
                        "caller": caller,
                        "language": "zh-CN",
                        "fallback": False,
                        "needs_listening": False,
                        "level": "general",
                        "needs_review": status in ("triaged", "returned") and n % 3 == 0,
                        "grid_id": grid.id,
                        "team_id": grid.id if routed else None,
                        "assignee_id": rng.choice(members[grid.id]) if routed else None,
                        "escalation_level": 0,
                        "dispatched_at": dispatched,
                        "response_due_at": response_due,
                        "due_at": created + timedelta(days=15) if routed else None,
                        "accepted_at": accepted,
                        "created_at": created,
                        "updated_at": created,
                    }
                )
            connection.execute(insert(Call), calls)
            connection.execute(insert(Recording), recordings)
            connection.execute(insert(Transcript), transcripts)
            connection.execute(insert(Ticket), tickets)
        connection.execute(text("ANALYZE"))
    engine.dispose()
    return time.perf_counter() - started


def sign_in(client: TestClient, username: str) -> None:
    """Through the real form."""
    client.cookies.clear()
    page = client.get("/console/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    client.post(
        "/console/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)},
    )


SCENARIOS = [
    ("list", "agent", "/console/tickets"),
    ("list", "agent", "/console/tickets?status=dispatched"),
    ("list", "agent", "/console/tickets?category=utilities&unit=T01"),
    ("list", "agent", "/console/tickets?overdue=1&sort=due"),
    ("list", "agent", "/console/tickets?from=2026-11-13&to=2026-11-20&sort=oldest"),
    ("list", "agent", "/console/tickets?status=closed&page=200"),
    ("list", "agent", "/console/tickets?per_page=100&unit=1101-01"),
    ("list", "agent", "/console/?inbox=review"),
    ("list", "supervisor", "/console/tickets"),
    ("list", "supervisor", "/console/?inbox=overdue"),
    ("list", "gridworker", "/console/tickets"),
    ("list", "gridworker", "/console/?inbox=team"),
    ("search", "agent", "/console/tickets?q=%2B8613712"),
    ("search", "agent", "/console/tickets?q=2026-000123"),
    ("search", "agent", "/console/tickets?q=井盖 占道"),
    ("ticket", "agent", "/console/tickets/2026-000123"),
    ("dashboard", "supervisor", "/console/dashboard"),
    ("dashboard", "admin", "/console/dashboard"),
]


def measure(url: str, rounds: int, data_dir: Path) -> list[tuple[str, str, str, float, float, int]]:
    """p50/p95 milliseconds per scenario."""
    settings = Settings(data_dir=data_dir, database_url=url)
    app = create_app(settings, clock=FixedClock(NOW))
    rows = []
    with TestClient(app, base_url="http://127.0.0.1") as client:
        current = None
        for kind, user, path in SCENARIOS:
            if user != current:
                sign_in(client, user)
                current = user
            client.get(path)  # warm caches and the connection pool
            times = []
            for _ in range(rounds):
                started = time.perf_counter()
                answer = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                assert answer.status_code == 200, (path, answer.status_code)
            p50, p95 = p50_p95(times)
            rows.append((kind, user, path, p50, p95, len(answer.content)))
    return rows


def main() -> None:
    """Fill, measure, print, drop."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--database", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    url = scratch_url(args.database, SCRATCH)
    try:
        upgrade(url)
        seconds = fill(url, args.tickets)
        print(
            f"filled {args.tickets:,} tickets (+ calls, recordings, transcripts) in {seconds:.1f} s"
        )
        import tempfile

        with tempfile.TemporaryDirectory() as directory:
            rows = measure(url, args.rounds, Path(directory))
    finally:
        drop(args.database, SCRATCH)
    targets = {"list": 150, "ticket": 150, "dashboard": 300, "search": None}
    print(f"\n{'kind':<10} {'user':<11} {'page':<62} {'p50 ms':>7} {'p95 ms':>7}  target")
    for kind, user, path, p50, p95, _size in rows:
        target = targets[kind]
        verdict = "—" if target is None else ("ok" if p95 <= target else f"over {target}")
        print(f"{kind:<10} {user:<11} {path:<62} {p50:7.1f} {p95:7.1f}  {verdict}")


if __name__ == "__main__":
    main()
