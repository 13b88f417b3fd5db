"""The three rates on a fixture whose expected values are worked out by hand below."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.grids import service as grids
from hotline.metrics import service as metrics
from hotline.metrics.command import write_csv
from hotline.metrics.periods import period_bounds
from hotline.surveys.models import Survey
from hotline.tickets.models import Ticket
from tests.conftest import Backend

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)  # Friday 17:30 in Shanghai
MONDAY = datetime(2026, 11, 15, 16, 0, tzinfo=UTC)  # Monday 00:00 in Shanghai: the week starts
H = timedelta(hours=1)


def ticket(
    session: Session,
    n: int,
    team: str,
    *,
    dispatched: datetime,
    accepted_after: timedelta | None,
    response_window: timedelta = 48 * H,
    status: str = "accepted",
    due: datetime | None = None,
    category: str = "utilities",
) -> Ticket:
    unit = grids.get_unit_by_code(session=session, code=team)
    assert unit is not None
    row = Ticket(
        reference=f"2026-{n:06d}",
        status=status,
        category=category,
        caller=f"+86137000{n:05d}",
        grid_id=unit.id,
        team_id=unit.id,
        first_team_id=unit.id,
        dispatched_at=dispatched,
        response_due_at=dispatched + response_window,
        accepted_at=dispatched + accepted_after if accepted_after is not None else None,
        due_at=due or NOW + 240 * H,
        created_at=dispatched - timedelta(minutes=30),
        updated_at=dispatched,
    )
    session.add(row)
    session.flush()
    return row


def survey(
    session: Session,
    of: Ticket,
    *,
    solved: str | None,
    score: int | None,
    completed: datetime,
    status: str = "completed",
    kind: str = "closure",
) -> None:
    session.add(
        Survey(
            kind=kind,
            ticket_id=of.id,
            phone=of.caller,
            status=status,
            attempts=1,
            solved=solved,
            score=score,
            created_at=completed - H,
            completed_at=completed,
        )
    )


@pytest.fixture
def fixture_data(sessions: sessionmaker[Session], seeded: None) -> None:
    day1 = MONDAY + 10 * H  # Monday 10:00 Shanghai
    with sessions.begin() as s:
        # Team A = 1101-01 (town T01)
        a1 = ticket(s, 1, "1101-01", dispatched=day1, accepted_after=2 * H)  # in time
        a2 = ticket(s, 2, "1101-01", dispatched=day1, accepted_after=60 * H)  # late
        ticket(  # never accepted, response deadline passed, resolution overdue
            s,
            3,
            "1101-01",
            dispatched=day1,
            accepted_after=None,
            status="dispatched",
            due=NOW - H,
        )
        ticket(  # never accepted, response deadline still ahead: not decided yet
            s, 4, "1101-01", dispatched=NOW - 2 * H, accepted_after=None, status="dispatched"
        )
        a5 = ticket(  # dispatched the week before: not in this week's response figures
            s, 5, "1101-01", dispatched=MONDAY - 72 * H, accepted_after=H, status="closed"
        )
        survey(s, a1, solved="yes", score=5, completed=day1 + 50 * H)
        survey(s, a2, solved="no", score=2, completed=day1 + 70 * H)
        survey(s, a5, solved="partly", score=4, completed=day1 + 5 * H)  # surveyed this week
        survey(s, a5, solved="yes", score=5, completed=MONDAY - 24 * H)  # last week: excluded
        survey(s, a1, solved=None, score=None, completed=day1 + 80 * H, status="unreachable")
        survey(s, a2, solved="yes", score=5, completed=day1 + 80 * H, kind="missed_call")
        # Team B = 1101-02 (town T01)
        b1 = ticket(s, 6, "1101-02", dispatched=day1, accepted_after=H, category="other")
        b2 = ticket(s, 7, "1101-02", dispatched=day1, accepted_after=47 * H, category="other")
        survey(s, b1, solved="yes", score=4, completed=day1 + 30 * H)
        survey(s, b2, solved="yes", score=None, completed=day1 + 60 * H)  # hung up before score
        # Team C = 1201-01 (town T02)
        ticket(s, 8, "1201-01", dispatched=day1, accepted_after=49 * H)  # late
        ticket(s, 9, "1201-01", dispatched=day1, accepted_after=H, due=NOW - 2 * H)  # overdue


# Worked out by hand from the rows above:
#   A: dispatched this week 4 (1-4); decided 3 (1, 2, 3; 4's deadline is ahead); in time 1
#      surveys this week: a1 yes/5, a2 no/2, a5 partly/4 → solved 1/3, satisfied (4-5) 2/3
#      overdue: ticket 3; volume (created this week) 4
#   B: decided 2, in time 2; surveys b1 yes/4, b2 yes/- → solved 2/2, satisfied 1/1
#   C: decided 2, in time 1 (ticket 9); no surveys; overdue 1 (ticket 9)
#   all: response 4/7, resolution 3/5, satisfaction 3/4, overdue 2, volume 8
EXPECTED = {
    "1101-01": (1, 3, 1, 3, 2, 3, 1, 4),
    "1101-02": (2, 2, 2, 2, 1, 1, 0, 2),
    "1201-01": (1, 2, 0, 0, 0, 0, 1, 2),
}


def counts(row: metrics.TeamFigures) -> tuple[int, ...]:
    return (
        row.responded_in_time,
        row.response_decided,
        row.solved,
        row.solved_answers,
        row.satisfied,
        row.scored,
        row.overdue,
        row.volume,
    )


def test_team_figures_match_the_hand_count(session: Session, fixture_data: None) -> None:
    rows = metrics.figures(session=session, since=MONDAY, until=NOW, now=NOW, group="team")
    assert {row.code: counts(row) for row in rows} == EXPECTED
    by_code = {row.code: row for row in rows}
    assert by_code["1101-01"].response_rate == pytest.approx(1 / 3)
    assert by_code["1101-01"].resolution_rate == pytest.approx(1 / 3)
    assert by_code["1101-01"].satisfaction_rate == pytest.approx(2 / 3)
    assert by_code["1201-01"].resolution_rate is None  # nobody surveyed: no rate, not 0 %
    total = metrics.total(rows)
    assert (total.response_rate, total.resolution_rate, total.satisfaction_rate) == (
        pytest.approx(4 / 7),
        pytest.approx(3 / 5),
        pytest.approx(3 / 4),
    )
    assert (total.overdue, total.volume, total.dispatched) == (2, 8, 8)


def test_town_and_category_groups_add_up(session: Session, fixture_data: None) -> None:
    towns = {
        r.code: counts(r)
        for r in metrics.figures(session=session, since=MONDAY, until=NOW, now=NOW, group="town")
    }
    assert towns == {"T01": (3, 5, 3, 5, 3, 4, 1, 6), "T02": EXPECTED["1201-01"]}
    categories = {
        r.code: counts(r)
        for r in metrics.figures(
            session=session, since=MONDAY, until=NOW, now=NOW, group="category"
        )
    }
    assert categories["other"] == EXPECTED["1101-02"]


def test_the_csv_report_ranks_teams_and_leads_with_totals(
    session: Session, fixture_data: None
) -> None:
    rows = metrics.figures(session=session, since=MONDAY, until=NOW, now=NOW)
    out = io.StringIO()
    write_csv(out, "team", rows)
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert table[0]["group"] == "all" and table[0]["response_rate"] == f"{4 / 7:.4f}"
    assert [(r["code"], r["rank"]) for r in table[1:]] == [
        ("1101-02", "1"),
        ("1201-01", "2"),
        ("1101-01", "3"),
    ]
    assert table[2]["satisfaction_rate"] == ""  # C: nobody gave a score


def test_week_and_month_periods_are_local_calendar_periods() -> None:
    clock = FixedClock(NOW)
    assert period_bounds("week", clock.now(), "Asia/Shanghai") == (MONDAY, NOW)
    start, end = period_bounds("month", clock.now(), "Asia/Shanghai", previous=True)
    assert (start.isoformat(), end.isoformat()) == (
        "2026-10-01T00:00:00+08:00",
        "2026-11-01T00:00:00+08:00",
    )


def test_report_command_prints_the_rate_columns(backend: Backend, seeded: None) -> None:
    env = {**os.environ, "HOTLINE_DATABASE_URL": backend.database_url}
    done = subprocess.run(
        [sys.executable, "-m", "hotline.cli", "report", "--period", "week", "--format", "csv"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    header = done.stdout.splitlines()[0].split(",")
    assert {"response_rate", "resolution_rate", "satisfaction_rate"} <= set(header)
    markdown = subprocess.run(
        [sys.executable, "-m", "hotline.cli", "report", "--period", "month"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "红榜" in markdown.stdout and "satisfaction rate" in markdown.stdout


def test_report_on_an_uninitialised_database_says_what_to_do(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_") or "TEST" in k}
    env["HOTLINE_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "hotline.cli", "report"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "run `hotline init`" in done.stderr and "Traceback" not in done.stderr


def test_tickets_outside_any_grid_still_count_in_the_totals(
    sessions: sessionmaker[Session], session: Session, fixture_data: None
) -> None:
    day1 = MONDAY + 10 * H
    with sessions.begin() as s:
        # 10: keyed community, grid unknown: the town's triage team T01 took it, in time
        ticket(s, 10, "T01", dispatched=day1, accepted_after=H)
        # 11: still waiting for triage: received this week, never dispatched
        waiting = ticket(s, 11, "T01", dispatched=day1, accepted_after=None, status="received")
        waiting.team_id = waiting.first_team_id = waiting.grid_id = None
        waiting.dispatched_at = waiting.response_due_at = waiting.due_at = None
    rows = metrics.figures(session=session, since=MONDAY, until=NOW, now=NOW, group="team")
    by_code = {row.code: counts(row) for row in rows}
    # T01 (a team, not a grid): decided 1, in time 1, volume 1; "-": volume 1, nothing else
    assert by_code["T01"] == (1, 1, 0, 0, 0, 0, 0, 1)
    assert by_code["-"] == (0, 0, 0, 0, 0, 0, 0, 1)
    assert [row.code for row in rows][-1] == "-"  # the unplaced row comes last
    total = metrics.total(rows)
    # the hand count above (4/7, volume 8) plus ticket 10 (in time) and ticket 11 (volume)
    assert (total.responded_in_time, total.response_decided, total.volume) == (5, 8, 10)
    towns = metrics.figures(session=session, since=MONDAY, until=NOW, now=NOW, group="town")
    assert metrics.total(towns).volume == 10
    communities = metrics.figures(
        session=session, since=MONDAY, until=NOW, now=NOW, group="community"
    )
    # ticket 10's team is above community level, ticket 11 has none: both in "-"
    assert {r.code: r.volume for r in communities}["-"] == 2
    out = io.StringIO()
    write_csv(out, "team", rows)
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert (table[0]["group"], table[0]["volume"]) == ("all", "10")
    assert {r["code"]: r["rank"] for r in table[1:]}["-"] == ""  # never ranked
