"""Hotspots and per-unit rates over two busy months: how long the reports take.

Usage: .venv/bin/python bench/hotspots.py [--per-day 20000] [--database URL]
Inserts `--per-day` tickets a day for two months (November and December 2026) over the demo
registry's grids and categories, a fifth naming a landmark and most dispatched and resolved,
then times `hotline report --hotspots` for each place level and the unit figures (on-time,
extensions, returns) for the month, as the dashboard and the report compute them.
Prints a table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from hotline.core.database import make_engine, make_sessionmaker, unit_of_work  # noqa: E402
from hotline.core.migrate import upgrade  # noqa: E402
from hotline.grids import demo  # noqa: E402
from hotline.grids.models import OrgUnit  # noqa: E402
from hotline.hotspots import service as hotspots  # noqa: E402
from hotline.hotspots.rules import PlaceLevel  # noqa: E402
from hotline.metrics import service as metrics  # noqa: E402
from hotline.tickets.categories import Category  # noqa: E402
from hotline.tickets.models import Ticket  # noqa: E402

START = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)  # 2026-11-01 00:00 in Shanghai
NOW = datetime(2026, 12, 30, 4, 0, tzinfo=UTC)
DAYS = 59
H = timedelta(hours=1)
T = TypeVar("T")


def fill(url: str, per_day: int) -> int:
    """Two months of tickets; returns how many."""
    rng = random.Random(12345)
    engine = make_engine(url)
    with unit_of_work(make_sessionmaker(engine)) as session:
        demo.seed(session=session)
    with unit_of_work(make_sessionmaker(engine)) as session:
        grids = session.execute(
            select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.landmarks).where(OrgUnit.level == "grid")
        ).all()
        parents = dict(session.execute(select(OrgUnit.id, OrgUnit.code)).all())
        categories = [c.value for c in Category]
        n = 0
        for day in range(DAYS):
            rows = []
            for _ in range(per_day):
                n += 1
                grid_id, parent, landmarks = rng.choice(grids)
                at = START + timedelta(days=day, seconds=rng.uniform(0, 86399))
                due = at + timedelta(days=rng.choice((1, 7, 15)))
                resolved = at + timedelta(hours=rng.uniform(1, 400)) if rng.random() < 0.8 else None
                rows.append(
                    {
                        "reference": f"2026-{n:07d}",
                        "status": "resolved" if resolved else "accepted",
                        "channel": "ivr",
                        "category": rng.choice(categories),
                        "location_code": parents.get(parent or 0),
                        "landmark": rng.choice(landmarks)
                        if landmarks and rng.random() < 0.2
                        else None,
                        "caller": "",
                        "fallback": False,
                        "needs_listening": False,
                        "needs_review": False,
                        "escalation_level": 0,
                        "return_count": 0,
                        "confidential": False,
                        "legal_hold": False,
                        "grid_id": grid_id,
                        "team_id": grid_id,
                        "first_team_id": grid_id,
                        "dispatched_at": at + H,
                        "response_due_at": at + 4 * H,
                        "accepted_at": at + 2 * H,
                        "due_at": due,
                        "resolved_at": resolved,
                        "created_at": at,
                        "updated_at": at,
                    }
                )
            session.execute(insert(Ticket), rows)
    engine.dispose()
    return n


def _timed(work: Callable[[], T]) -> tuple[float, T]:
    began = time.perf_counter()
    result = work()
    return time.perf_counter() - began, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-day", type=int, default=20000)
    parser.add_argument("--database", help="a PostgreSQL URL (default: SQLite in a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-hotspots-") as scratch:
        url = args.database or f"sqlite:///{Path(scratch) / 'hotline.db'}"
        upgrade(url)
        began = time.perf_counter()
        count = fill(url, args.per_day)
        filled = time.perf_counter() - began
        engine = make_engine(url)
        lines = []
        with unit_of_work(make_sessionmaker(engine)) as session:
            for level in PlaceLevel:
                seconds, report = _timed(
                    partial(
                        hotspots.report,
                        session=session,
                        level=level,
                        period="month",
                        now=NOW,
                        timezone="Asia/Shanghai",
                        min_count=2,
                    )
                )
                rows = report.rows
                top = rows[0] if rows else None
                lines.append(
                    f"| hotspots by {level.value}, month vs month | {seconds * 1000:.0f} ms | "
                    f"{len(rows)} rows, top {top.place if top else '-'} {top.count if top else 0} |"
                )
            seconds, figures = _timed(
                lambda: metrics.figures(
                    session=session, since=START + timedelta(days=30), until=NOW, now=NOW
                )
            )
            total = metrics.total(figures)
            lines.append(
                f"| unit figures for December | {seconds * 1000:.0f} ms | "
                f"{len(figures)} units, on-time {total.on_time_rate or 0:.3f} |"
            )
        engine.dispose()
    print(f"\n{count} tickets over {DAYS} days on {url.split(':')[0]} (filled in {filled:.0f} s)\n")
    print("| measure | time | result |\n|---|---:|---|")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
