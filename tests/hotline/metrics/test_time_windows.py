"""Today, this week, overdue and due today at hours where the local and UTC dates differ.

Every instant below is written as local wall-clock time in the scenario's zone, and every
expected figure is counted by hand from those lists (comments say which rows count).
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session, sessionmaker

from hotline.calls.models import Call
from hotline.grids import service as grids
from hotline.metrics import service as metrics
from hotline.queue.models import QueueEntry
from hotline.tickets import queries
from hotline.tickets.models import Ticket
from hotline.users.permissions import SYSTEM_ACTOR
from tests.conftest import Backend


@dataclass(frozen=True)
class Scenario:
    """A zone, a local 'now', and the local instants of calls, queue waits and tickets."""

    zone: str
    now: str
    calls: tuple[str, ...]
    answered_waits: tuple[tuple[str, int], ...]  # calls that waited (enqueued, seconds), answered
    created: tuple[str, ...]  # tickets that are not open work
    due: tuple[str, ...]  # open (dispatched) tickets, created at `now`, due at these times
    calls_today: int
    busiest_hours: dict[int, int]
    queue_ended_today: int
    answered_in_15s_today: int
    overdue: int
    due_today: int
    week_volume: int


SCENARIOS = {
    # Friday 01:00 in Shanghai is Thursday 17:00 UTC.
    "shanghai-0100": Scenario(
        zone="Asia/Shanghai",
        now="2026-11-20 01:00",
        # today (local 20 Nov): 00:05 and 00:59 → 2, both in hour 0
        calls=("2026-11-20 00:05", "2026-11-20 00:59", "2026-11-19 23:55", "2026-11-19 09:00"),
        # today: the 00:10 wait (8 s) → 1 ended, 1 within 15 s; the 23:58 one was yesterday
        answered_waits=(("2026-11-20 00:10", 8), ("2026-11-19 23:58", 5)),
        # week from Monday 16 Nov 00:00: 16 Nov 00:10 counts, Sunday 15 Nov 23:50 does not
        created=("2026-11-16 00:10", "2026-11-15 23:50"),
        # overdue: 00:59 today and 23:59 yesterday; due today: 23:59 today; 00:01 tomorrow neither
        due=("2026-11-20 00:59", "2026-11-19 23:59", "2026-11-20 23:59", "2026-11-21 00:01"),
        calls_today=2 + 1,  # with the 00:10 call that waited for an agent
        busiest_hours={0: 3},
        queue_ended_today=1,
        answered_in_15s_today=1,
        overdue=2,
        due_today=1,
        week_volume=1 + 4,  # the Monday ticket and the four open ones created now
    ),
    # Friday 23:30 in Shanghai is Friday 15:30 UTC; UTC's "today" would end at 08:00 local.
    "shanghai-2330": Scenario(
        zone="Asia/Shanghai",
        now="2026-11-20 23:30",
        # today: 00:05, 08:10, 23:20 → 3 (hours 0, 8, 23); 19 Nov 23:55 is yesterday
        calls=("2026-11-20 00:05", "2026-11-20 08:10", "2026-11-20 23:20", "2026-11-19 23:55"),
        # today: 07:59 (20 s, not within 15) and 23:00 (3 s) → 2 ended, 1 within 15 s
        answered_waits=(("2026-11-20 07:59", 20), ("2026-11-20 23:00", 3)),
        created=("2026-11-16 00:10", "2026-11-15 23:50"),
        # overdue: 23:29 today; due today: 23:59 today and 23:31 today; tomorrow 00:01 neither
        due=("2026-11-20 23:29", "2026-11-20 23:59", "2026-11-20 23:31", "2026-11-21 00:01"),
        calls_today=3 + 2,  # with the two calls that waited for an agent (07:59, 23:00)
        busiest_hours={0: 1, 7: 1, 8: 1, 23: 2},
        queue_ended_today=2,
        answered_in_15s_today=1,
        overdue=1,
        due_today=2,
        week_volume=1 + 4,
    ),
    # New York springs forward on Sunday 8 March 2026: the local day has 23 hours, it began at
    # 05:00 UTC (EST) and 22:30 EDT is 02:30 UTC on 9 March.
    "new-york-dst": Scenario(
        zone="America/New_York",
        now="2026-03-08 22:30",
        # today: 00:05 EST, 03:10 EDT (02:xx does not exist), 22:00 → 3; 7 Mar 23:55 is yesterday
        calls=("2026-03-08 00:05", "2026-03-08 03:10", "2026-03-08 22:00", "2026-03-07 23:55"),
        answered_waits=(("2026-03-08 00:30", 15), ("2026-03-07 23:59", 1)),
        # the week began Monday 2 March 00:00 EST: 2 Mar 00:10 counts, 1 Mar 23:50 does not
        created=("2026-03-02 00:10", "2026-03-01 23:50"),
        due=("2026-03-08 01:00", "2026-03-07 23:00", "2026-03-08 23:59", "2026-03-09 00:01"),
        calls_today=3 + 1,  # with the 00:30 call that waited for an agent
        busiest_hours={0: 2, 3: 1, 22: 1},
        queue_ended_today=1,
        answered_in_15s_today=1,  # exactly 15 s is within 15 s
        overdue=2,
        due_today=1,
        week_volume=1 + 4,
    ),
}


def local(scenario: Scenario, wall: str) -> datetime:
    """A local wall-clock time in the scenario's zone, as an aware UTC datetime."""
    naive = datetime.strptime(wall, "%Y-%m-%d %H:%M")
    return naive.replace(tzinfo=ZoneInfo(scenario.zone)).astimezone(UTC)


def arrange(session: Session, scenario: Scenario) -> datetime:
    """Write the scenario's rows; return its 'now' in UTC."""
    now = local(scenario, scenario.now)
    grid = grids.get_unit_by_code(session=session, code="1101-01")
    assert grid is not None
    for n, wall in enumerate(scenario.calls):
        at = local(scenario, wall)
        session.add(Call(call_sid=f"CA{n:032d}", started_at=at, updated_at=at, intent="report"))
    session.flush()
    for n, (wall, waited) in enumerate(scenario.answered_waits):
        at = local(scenario, wall)
        call = Call(call_sid=f"CQ{n:032d}", started_at=at, updated_at=at, intent="agent")
        session.add(call)
        session.flush()
        session.add(
            QueueEntry(
                call_id=call.id,
                call_sid=call.call_sid,
                outcome="answered",
                wait_seconds=waited,
                enqueued_at=at,
                left_at=at,
            )
        )
    rows: list[tuple[str, str, datetime | None]] = [
        (wall, "closed", None) for wall in scenario.created
    ]
    rows += [(scenario.now, "dispatched", local(scenario, wall)) for wall in scenario.due]
    for n, (wall, status, due) in enumerate(rows, start=1):
        created = local(scenario, wall)
        session.add(
            Ticket(
                reference=f"2026-{n:06d}",
                status=status,
                category="utilities",
                caller=f"+86137000{n:05d}",
                grid_id=grid.id,
                team_id=grid.id,
                first_team_id=grid.id,
                dispatched_at=created,
                response_due_at=created,
                due_at=due,
                created_at=created,
                updated_at=created,
            )
        )
    session.flush()
    return now


@pytest.fixture(params=sorted(SCENARIOS))
def scenario(request: pytest.FixtureRequest) -> Scenario:
    """One zone and moment."""
    return SCENARIOS[request.param]


def test_the_dashboard_counts_the_local_day(
    session: Session, seeded: None, scenario: Scenario
) -> None:
    now = arrange(session, scenario)
    board = metrics.dashboard(session=session, actor=SYSTEM_ACTOR, now=now, timezone=scenario.zone)
    assert board.calls_today == scenario.calls_today
    assert {h: n for h, n in enumerate(board.calls_per_hour) if n} == scenario.busiest_hours
    seats = board.seats.totals
    assert (seats.queued, seats.answered) == (scenario.queue_ended_today,) * 2
    assert seats.answered_within_15s == scenario.answered_in_15s_today
    assert board.overdue == scenario.overdue


def test_inbox_counts_overdue_and_due_today(
    session: Session, seeded: None, scenario: Scenario
) -> None:
    now = arrange(session, scenario)
    counts = queries.inbox_counts(
        session=session, actor=SYSTEM_ACTOR, now=now, timezone=scenario.zone
    )
    assert counts["overdue"] == scenario.overdue
    assert counts["due_today"] == scenario.due_today
    page = queries.search(
        session=session,
        actor=SYSTEM_ACTOR,
        query=queries.TicketQuery(inbox="due_today"),
        now=now,
        timezone=scenario.zone,
    )
    assert all(t.due_at is not None and t.due_at.tzinfo is not None for t in page.items)


def test_tickets_created_on_a_local_date_are_listed_by_that_date(
    session: Session, seeded: None, scenario: Scenario
) -> None:
    now = arrange(session, scenario)
    monday = scenario.created[0][:10]
    page = queries.search(
        session=session,
        actor=SYSTEM_ACTOR,
        query=queries.TicketQuery(
            created_from=datetime.strptime(monday, "%Y-%m-%d").date(),
            created_to=datetime.strptime(monday, "%Y-%m-%d").date(),
        ),
        now=now,
        timezone=scenario.zone,
    )
    # Only the ticket created at 00:10 that Monday; 23:50 the evening before is another day.
    assert [local_wall(t.created_at, scenario.zone) for t in page.items] == [scenario.created[0]]


def local_wall(moment: datetime, zone: str) -> str:
    """The stored instant as local wall-clock text."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def test_the_weekly_report_counts_from_local_monday(
    backend: Backend, sessions: sessionmaker[Session], seeded: None, scenario: Scenario
) -> None:
    with sessions.begin() as session:
        now = arrange(session, scenario)
    env = {
        **os.environ,
        "HOTLINE_DATABASE_URL": backend.database_url,
        "HOTLINE_TIMEZONE": scenario.zone,
    }
    done = subprocess.run(
        [sys.executable, "-m", "hotline.cli", "report", "--period", "week", "--format", "csv"]
        + ["--at", now.isoformat()],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    rows = {row["group"]: row for row in csv.DictReader(io.StringIO(done.stdout))}
    assert int(rows["all"]["volume"]) == scenario.week_volume
    assert int(rows["all"]["overdue"]) == scenario.overdue


def test_stored_instants_come_back_aware_and_equal(session: Session, seeded: None) -> None:
    scenario = SCENARIOS["new-york-dst"]
    now = arrange(session, scenario)
    session.expire_all()
    stored = sorted(t.due_at for t in session.query(Ticket) if t.due_at is not None)
    assert all(moment.tzinfo is not None for moment in stored)
    assert [local_wall(m, scenario.zone) for m in stored] == sorted(scenario.due)
    assert now.tzinfo is UTC


def test_a_naive_datetime_is_refused_before_it_is_written(session: Session, seeded: None) -> None:
    session.add(
        Call(call_sid="CA-naive", started_at=datetime(2026, 1, 1), updated_at=datetime.now())
    )
    with pytest.raises(Exception, match="naive datetime"):
        session.flush()
