"""Routing speed: triage + routing decisions for 10,000 tickets against the demo registry.

Usage: .venv/bin/python bench/routing.py [--tickets 10000]
Prints a table; nothing here is asserted. Measures the pure rules (triage, route) on their own,
and the full dispatch service (database reads for teams and loads, writes, events, SMS rows).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hotline.calls import service as calls  # noqa: E402
from hotline.core.clock import SystemClock  # noqa: E402
from hotline.core.database import make_engine, make_sessionmaker, unit_of_work  # noqa: E402
from hotline.core.migrate import upgrade  # noqa: E402
from hotline.core.settings import Settings  # noqa: E402
from hotline.grids import demo  # noqa: E402
from hotline.routing.rules import Candidate, RoutingInput, route  # noqa: E402
from hotline.tickets import service as tickets  # noqa: E402
from hotline.triage import service as triage  # noqa: E402
from hotline.triage.config import default_config  # noqa: E402
from hotline.triage.policy import policy_from_settings  # noqa: E402
from hotline.triage.rules import Place, TriageInput  # noqa: E402
from hotline.triage.rules import triage as decide  # noqa: E402

TEXTS = [
    "东湖公园门口的路灯坏了",
    "楼上装修噪音太吵",
    "停水两天了",
    "垃圾没人清运",
    "",
    "老人独居需要照顾",
]


def pure(n: int) -> tuple[float, float]:
    """Decisions per second of the triage rules and of the routing rules alone."""
    config = default_config()
    rng = random.Random(1)
    registry = demo.registry()
    places = tuple(Place(g["landmarks"][0], g["community"], g["code"]) for g in registry["grids"])
    inputs = [
        TriageInput(
            language="zh-CN",
            transcript=rng.choice(TEXTS),
            transcript_ok=True,
            keyed_category=rng.choice(["utilities", "roads_facilities", "other"]),
            keyed_community=rng.choice(["1101", "1202", None]),
            places=places,
        )
        for _ in range(n)
    ]
    started = time.perf_counter()
    for data in inputs:
        decide(config, data)
    triage_rate = n / (time.perf_counter() - started)
    team = tuple(
        Candidate(f"G-{i}", role, ("utilities", "other"), open_tickets=rng.randint(0, 9))
        for i, role in enumerate(["grid_leader", "full_time_worker", "part_time_worker"] * 3)
    )
    routes = [RoutingInput("utilities", "G", "T", team, team) for _ in range(n)]
    started = time.perf_counter()
    for routing_input in routes:
        route(routing_input)
    return triage_rate, n / (time.perf_counter() - started)


def full(url: str, n: int) -> float:
    """Tickets per second through triage_ticket + dispatch, committed in batches of 100."""
    upgrade(url)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    clock = SystemClock()
    policy = policy_from_settings(Settings())
    with unit_of_work(sessions) as session:
        demo.seed(session=session)
    rng = random.Random(2)
    started = time.perf_counter()
    for batch in range(0, n, 100):
        with unit_of_work(sessions) as session:
            for i in range(batch, min(batch + 100, n)):
                call = calls.get_or_create(
                    session=session,
                    clock=clock,
                    call_sid=f"CA{i:032d}",
                    from_number=f"+86137{rng.randint(1, 600):08d}",
                    to_number="",
                )
                calls.update_choices(
                    call=call,
                    clock=clock,
                    language="zh-CN",
                    category=rng.choice(["utilities", "roads_facilities", "noise_disputes"]),
                    location_code=rng.choice(["1101", "1102", "1201"]),
                    location_source="keyed",
                )
                ticket, _ = tickets.get_or_create_for_call(
                    session=session,
                    clock=clock,
                    call_id=call.id,
                    caller=call.from_number,
                    language="zh-CN",
                    category=call.category,
                    location_code=call.location_code,
                )
                triage.triage_ticket(
                    session=session, clock=clock, policy=policy, ticket=ticket, transcript=None
                )
    elapsed = time.perf_counter() - started
    engine.dispose()
    return n / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    triage_rate, route_rate = pure(args.tickets)
    with tempfile.TemporaryDirectory() as scratch:
        sqlite_rate = full(f"sqlite:///{Path(scratch) / 'bench.db'}", args.tickets)
    print(f"{args.tickets} tickets, demo registry (24 grids, 229 members, 500 households)")
    print()
    print("| measure | decisions/s |")
    print("|---|---|")
    print(f"| triage rules alone | {triage_rate:,.0f} |")
    print(f"| routing rules alone | {route_rate:,.0f} |")
    print(
        f"| triage + dispatch service, SQLite (reads, writes, events, SMS rows) | "
        f"{sqlite_rate:,.0f} |"
    )


if __name__ == "__main__":
    main()
