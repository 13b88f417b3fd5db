"""Hotspots and each unit's on-time, extension and return figures, on fixtures counted by hand."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.core.settings import Settings
from hotline.extensions.models import TicketExtension
from hotline.grids import service as grids
from hotline.hotspots import service as hotspots
from hotline.hotspots.models import TicketLink
from hotline.hotspots.rules import Hotspot, PlaceLevel, compare, landmark_in
from hotline.metrics import service as metrics
from hotline.tickets.models import Ticket, TicketCounter, TicketEvent
from hotline.triage.policy import policy_from_settings
from hotline.users.models import UserRole
from hotline.users.permissions import Actor
from tests.conftest import API_TOKEN, Backend
from tests.hotline.metrics.test_rates import MONDAY, NOW, H, ticket

ZONE = "Asia/Shanghai"
AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
DAY = MONDAY + 10 * H  # Monday 10:00 this week
LAST_WEEK = MONDAY - 72 * H  # Friday of the week before


def test_changes_are_ranked_by_count_then_rise() -> None:
    rows = compare(
        level=PlaceLevel.GRID,
        current={("a", "x"): 3, ("b", "x"): 3, ("c", "y"): 1},
        previous={("a", "x"): 2, ("b", "x"): 0, ("d", "y"): 4},
        names={"a": "A"},
        min_count=2,
    )
    assert [(h.place, h.count, h.previous, h.change) for h in rows] == [
        ("b", 3, 0, 3),
        ("a", 3, 2, 1),
        ("d", 0, 4, -4),
    ]
    assert rows[1].name == "A" and rows[1].change_rate == pytest.approx(0.5)
    assert Hotspot(PlaceLevel.GRID, "b", "b", "x", 3, 0).change_rate is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("东湖公园门口的路灯坏了", "东湖公园"),
        ("东湖公园北门那边", "东湖公园北门"),
        ("没有地标", None),
        ("", None),
    ],
)
def test_the_longest_landmark_named_wins(text: str, found: str | None) -> None:
    assert landmark_in(text, ["东湖公园", "东湖公园北门", "南门"]) == found


@pytest.fixture
def spots(sessions: sessionmaker[Session], seeded: None) -> None:
    with sessions.begin() as s:

        def add(n: int, grid: str, category: str, when: object, **extra: object) -> None:
            row = ticket(s, n, grid, dispatched=when, accepted_after=H, category=category)  # type: ignore[arg-type]
            row.location_code = grid[:4]
            for name, value in extra.items():
                setattr(row, name, value)

        for n in (1, 2, 3):  # this week: three utilities cases in 1101-01, two at the park
            add(n, "1101-01", "utilities", DAY, landmark="东湖公园" if n < 3 else None)
        add(4, "1101-01", "utilities", DAY, status="merged")  # a duplicate: not counted
        add(5, "1102-01", "noise_disputes", DAY)
        add(6, "1101-01", "utilities", LAST_WEEK, landmark="东湖公园")
        add(7, "1102-01", "noise_disputes", LAST_WEEK)
        add(8, "1102-01", "noise_disputes", LAST_WEEK)
        s.add(TicketCounter(year=2026, last=8))  # the rows above were numbered by hand


# By hand: this week 1101-01 utilities 3 (4 is merged), 1102-01 noise 1; the week before
# 1101-01 utilities 1, 1102-01 noise 2; the park: 2 this week, 1 the week before.
EXPECTED = {
    PlaceLevel.GRID: [("1101-01", "utilities", 3, 1, 2), ("1102-01", "noise_disputes", 1, 2, -1)],
    PlaceLevel.COMMUNITY: [("1101", "utilities", 3, 1, 2), ("1102", "noise_disputes", 1, 2, -1)],
    PlaceLevel.LANDMARK: [("东湖公园", "utilities", 2, 1, 1)],
}


@pytest.mark.parametrize("level", list(PlaceLevel))
def test_hotspots_match_the_hand_count(session: Session, spots: None, level: PlaceLevel) -> None:
    found = hotspots.report(session=session, level=level, period="week", now=NOW, timezone=ZONE)
    rows = [(h.place, h.category, h.count, h.previous, h.change) for h in found.rows]
    assert rows == EXPECTED[level]
    assert found.since == MONDAY and found.previous_since == MONDAY - 7 * 24 * H


def test_the_report_command_prints_hotspots_as_csv(backend: Backend, spots: None) -> None:
    env = {**os.environ, "HOTLINE_DATABASE_URL": backend.database_url}
    command = [sys.executable, "-m", "hotline.cli", "report", "--hotspots", "--period", "week"]
    done = subprocess.run(
        [*command, "--format", "csv", "--at", NOW.isoformat()],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    table = list(csv.DictReader(io.StringIO(done.stdout)))
    assert {"place", "category", "count", "previous", "change"} <= set(table[0])
    mine = [r for r in table if r["level"] == "community" and r["place"] == "1101"]
    assert [(r["category"], r["count"], r["previous"], r["change"]) for r in mine] == [
        ("utilities", "3", "1", "2")
    ]
    refused = subprocess.run(
        [*command[:-1], "day"], env=env, capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 2 and "week|month" in refused.stderr


def test_a_supervisor_opens_a_proactive_case_linked_to_the_hotspot(
    sessions: sessionmaker[Session], spots: None, settings: Settings
) -> None:
    clock = FixedClock(NOW)
    with sessions.begin() as s:
        case = hotspots.open_case(
            session=s,
            clock=clock,
            policy=policy_from_settings(settings),
            actor=Actor("sv", UserRole.SUPERVISOR),
            level=PlaceLevel.COMMUNITY,
            place="1101",
            category="utilities",
            since=MONDAY,
            until=NOW,
        )
        reference = case.reference
    with sessions() as s:
        case = s.scalars(select(Ticket).where(Ticket.reference == reference)).one()
        assert (case.channel, case.intake_type, case.status) == (
            "proactive",
            "report",
            "dispatched",
        )
        assert case.team is not None and case.team.code == "1101-01"
        links = s.scalars(select(TicketLink.ticket_id).where(TicketLink.case_id == case.id)).all()
        refs = s.scalars(select(Ticket.reference).where(Ticket.id.in_(links))).all()
        assert sorted(refs) == ["2026-000001", "2026-000002", "2026-000003"]
        assert case.events[0].rule == "proactive-case"
    found = hotspots.report(
        session=s, level=PlaceLevel.COMMUNITY, period="week", now=NOW, timezone=ZONE
    )
    assert found.rows[0].count == 3  # the proactive case is not a resident's ticket


@pytest.fixture
def unit_work(sessions: sessionmaker[Session], seeded: None) -> None:
    with sessions.begin() as s:
        a, c = (grids.get_unit_by_code(session=s, code=code) for code in ("1101-01", "1201-01"))
        assert a is not None and c is not None

        def done(n: int, team: str, due: object, resolved: object | None) -> Ticket:
            row = ticket(s, n, team, dispatched=DAY, accepted_after=H, due=due)  # type: ignore[arg-type]
            row.resolved_at = resolved  # type: ignore[assignment]
            return row

        t1 = done(1, "1101-01", NOW - H, DAY + 5 * H)  # resolved in time
        done(2, "1101-01", DAY + 2 * H, DAY + 5 * H)  # resolved late
        done(3, "1101-01", NOW - H, None)  # not resolved, deadline passed: late
        done(4, "1101-01", NOW + 48 * H, None)  # deadline ahead: not decided yet
        t5 = done(5, "1201-01", NOW - H, DAY + H)  # resolved in time
        for when, unit in ((DAY + H, a), (DAY + 2 * H, a), (LAST_WEEK, a)):
            s.add(
                TicketExtension(
                    ticket_id=t1.id,
                    unit_id=unit.id,
                    days=2,
                    note="parts",
                    status="pending",
                    requested_by="w",
                    requested_at=when,
                    proposed_due_at=NOW,
                )
            )
        for row, unit in ((t1, a), (t5, c)):
            s.add(
                TicketEvent(
                    ticket_id=row.id,
                    action="return",
                    from_status="dispatched",
                    to_status="returned",
                    actor="w",
                    unit_id=unit.id,
                    created_at=DAY + 3 * H,
                )
            )


# By hand: 1101-01 on time 1 of 3 decided (ticket 4 is not decided), 2 extensions this week
# (one was last week), 1 return; 1201-01 on time 1 of 1, no extensions, 1 return.
def test_each_unit_gets_its_on_time_rate_extensions_and_returns(
    session: Session, unit_work: None
) -> None:
    rows = metrics.figures(session=session, since=MONDAY, until=NOW, now=NOW, group="team")
    found = {
        r.code: (r.completed_on_time, r.completion_decided, r.extensions, r.returns) for r in rows
    }
    assert found == {"1101-01": (1, 3, 2, 1), "1201-01": (1, 1, 0, 1)}
    by_code = {r.code: r for r in rows}
    assert by_code["1101-01"].on_time_rate == pytest.approx(1 / 3)
    assert metrics.total(rows).on_time_rate == pytest.approx(2 / 4)
    assert timedelta(0) < NOW - MONDAY


def test_the_api_gives_hotspots_and_unit_figures(client: TestClient, spots: None) -> None:
    answer = client.get(
        "/api/v1/metrics/hotspots", params={"period": "week", "level": "grid"}, headers=AUTH
    )
    assert answer.status_code == 200, answer.text
    items = [
        (i["place"], i["category"], i["count"], i["previous"], i["change"])
        for i in answer.json()["items"]
    ]
    assert items == EXPECTED[PlaceLevel.GRID]
    bad = client.get("/api/v1/metrics/hotspots", params={"level": "street"}, headers=AUTH)
    assert bad.status_code == 422
    units = client.get("/api/v1/metrics/units", params={"period": "week"}, headers=AUTH).json()
    mine = next(i for i in units["items"] if i["code"] == "1101-01")
    assert (mine["dispatched"], mine["extensions"], mine["returns"]) == (4, 0, 0)  # 1-4
    assert "on_time_rate" in mine and units["totals"]["volume"] == 5  # created: 1-5
