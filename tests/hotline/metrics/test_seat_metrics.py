"""Seat metrics on a fixture counted by hand (docs/seat-metrics.md gives the same definitions)."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from hotline.calls.models import Call
from hotline.core.clock import FixedClock
from hotline.core.settings import Settings
from hotline.queue.models import QueueEntry
from hotline.seats.models import CallOffer
from hotline.surveys.models import Survey, SurveyAttempt
from hotline.tickets.models import Ticket
from hotline.users import service as users
from hotline.users.models import UserRole
from tests.conftest import API_TOKEN

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
S = timedelta(seconds=1)


def arrange(sessions: sessionmaker[Session], clock: FixedClock) -> None:
    """Ten calls on 2026-11-20 (Shanghai), and one callback the hotline placed itself.

    | # | what happened                                   | queued | answered | ≤15 s | connected |
    | 1 | li answers after 5 s; talks 120 s, wraps 30 s   | yes    | yes      | yes   | yes       |
    | 2 | li answers after 20 s; talks 60 s, wraps 10 s   | yes    | yes      |       | yes       |
    | 3 | kim answers after 12 s; talks 30 s, wrapping    | yes    | yes      | yes   | yes       |
    | 4 | hangs up after 10 s of waiting                  | yes    |          |       |           |
    | 5 | hangs up after 40 s of waiting                  | yes    |          |       |           |
    | 6 | waits 120 s, then IVR intake with a ticket      | yes    |          |       | yes       |
    | 7 | no agent of the language: intake, no ticket     | yes    |          |       |           |
    | 8 | out of hours: IVR intake with a ticket          |        |          |       | yes       |
    | 9 | hangs up during the greeting                    |        |          |       |           |
    | 10| answered by li at 23:10 (next local hour: 23)   | yes    | yes      | yes   | yes       |
    """
    day = datetime(2026, 11, 20, 1, 0, tzinfo=clock.now().tzinfo)  # 09:00 in Shanghai
    with sessions.begin() as session:
        people = {}
        for name in ("li", "kim"):
            people[name] = users.create(
                session=session,
                clock=clock,
                username=name,
                password="a long enough password",
                role=UserRole.AGENT,
                phone="+8613900000091" if name == "li" else "+8613900000092",
            )

        def call(n: int, at: datetime) -> Call:
            row = Call(
                call_sid=f"CA{n:032d}",
                from_number=f"+86137000000{n:02d}",
                status="completed",
                started_at=at,
                updated_at=at,
            )
            session.add(row)
            session.flush()
            return row

        def wait(row: Call, outcome: str, seconds: int, reason: str | None = None) -> QueueEntry:
            entry = QueueEntry(
                call_id=row.id,
                call_sid=row.call_sid,
                from_number=row.from_number,
                outcome=outcome,
                overflow_reason=reason,
                wait_seconds=seconds,
                enqueued_at=row.started_at + 20 * S,
            )
            session.add(entry)
            session.flush()
            return entry

        def answered(entry: QueueEntry, agent: str, talk: int, wrap: int | None) -> None:
            picked = entry.enqueued_at + (entry.wait_seconds or 0) * S
            session.add(
                CallOffer(
                    entry_id=entry.id,
                    user_id=people[agent].id,
                    state="answered",
                    agent_phone="+86",
                    created_at=picked,
                    rung_at=picked,
                    answered_at=picked,
                    ended_at=picked + talk * S,
                    wrap_up_ended_at=picked + (talk + wrap) * S if wrap else None,
                    manual=False,
                    cancel_requested=False,
                )
            )

        def ticket(row: Call, n: int) -> None:
            session.add(
                Ticket(
                    reference=f"2026-9{n:05d}",
                    call_id=row.id,
                    status="received",
                    channel="ivr",
                    caller=row.from_number,
                    created_at=row.started_at,
                    updated_at=row.started_at,
                )
            )

        answered(wait(call(1, day), "answered", 5), "li", 120, 30)
        answered(wait(call(2, day + 60 * S), "answered", 20), "li", 60, 10)
        answered(wait(call(3, day + 120 * S), "answered", 12), "kim", 30, None)
        fourth = wait(call(4, day + 180 * S), "abandoned", 10)
        wait(call(5, day + 240 * S), "abandoned", 40)
        sixth = call(6, day + 300 * S)
        wait(sixth, "overflow", 120, "timeout")
        ticket(sixth, 6)
        wait(call(7, day + 360 * S), "overflow", 0, "no_agent")
        eighth = call(8, day - 2 * timedelta(hours=1))
        wait(eighth, "overflow", 0, "closed")
        ticket(eighth, 8)
        call(9, day + 420 * S)
        late = day + timedelta(hours=14, minutes=10)  # 23:10 in Shanghai
        answered(wait(call(10, late), "answered", 3), "li", 10, 5)
        # A callback the hotline placed: not offered.
        callback = call(11, day + 480 * S)
        survey = Survey(
            phone=callback.from_number,
            kind="missed_call",
            status="completed",
            language="zh-CN",
            created_at=day,
        )
        session.add(survey)
        session.flush()
        session.add(
            SurveyAttempt(survey_id=survey.id, number=1, call_sid=callback.call_sid, started_at=day)
        )
        # A ring kim missed (the caller of #4 then hung up).
        session.add(
            CallOffer(
                entry_id=fourth.id,
                user_id=people["kim"].id,
                state="missed",
                agent_phone="+86",
                created_at=day,
                rung_at=day,
                manual=False,
                cancel_requested=False,
            )
        )
    clock.current = day + timedelta(hours=14, minutes=55)  # 23:55 in Shanghai


def test_seat_figures_match_the_hand_count(
    client: TestClient, sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    arrange(sessions, clock)
    body = client.get("/api/v1/metrics/seats?period=day", headers=AUTH).json()
    assert {
        k: body[k]
        for k in (
            "offered",
            "queued",
            "answered",
            "answered_within_15s",
            "answered_within_15s_rate",
            "connected",
            "connection_rate",
            "abandoned",
            "abandoned_within_15s",
            "abandon_rate",
            "average_speed_of_answer_seconds",
            "average_handle_seconds",
            "average_wrap_up_seconds",
        )
    } == {
        "offered": 10,
        "queued": 8,  # all but out of hours (#8) and the hang-up in the greeting (#9)
        "answered": 4,
        "answered_within_15s": 3,  # 5, 12 and 3 seconds
        "answered_within_15s_rate": round(3 / 8, 4),
        "connected": 6,  # four answered, two intakes with a ticket
        "connection_rate": 0.6,
        "abandoned": 2,
        "abandoned_within_15s": 1,
        "abandon_rate": 0.25,
        "average_speed_of_answer_seconds": 10.0,  # (5 + 20 + 12 + 3) / 4
        "average_handle_seconds": 78.33,  # (150 + 70 + 15) / 3; kim is still wrapping up
        "average_wrap_up_seconds": 15.0,  # (30 + 10 + 5) / 3
    }
    agents = {a["agent"]: a for a in body["per_agent"]}
    assert (agents["li"]["answered"], agents["li"]["average_handle_seconds"]) == (3, 78.33)
    assert (agents["kim"]["answered"], agents["kim"]["rung"], agents["kim"]["missed"]) == (1, 2, 1)
    hours = {h["hour"]: h for h in body["per_hour"] if h["offered"]}
    assert sorted(hours) == [7, 9, 23]
    assert (hours[9]["offered"], hours[23]["answered"], hours[7]["connected"]) == (8, 1, 1)
    previous = client.get("/api/v1/metrics/seats?period=day&previous=true", headers=AUTH).json()
    assert previous["offered"] == 0
    assert client.get("/api/v1/metrics/seats?period=year", headers=AUTH).status_code == 422
    assert client.get("/api/v1/metrics/seats").status_code == 401


def test_the_report_prints_the_same_figures(
    sessions: sessionmaker[Session], clock: FixedClock, settings: Settings
) -> None:
    arrange(sessions, clock)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env.update(
        HOTLINE_DATA_DIR=str(settings.data_dir), HOTLINE_DATABASE_URL=settings.database_url or ""
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "hotline.cli",
            "report",
            "--seats",
            "--period",
            "day",
            "--format",
            "csv",
            "--at",
            "2026-11-20T23:59:00+08:00",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    total = rows[0]
    assert (total["group"], total["offered"], total["answered"], total["connection_rate"]) == (
        "all",
        "10",
        "4",
        "0.6",
    )
    li = next(r for r in rows if r["group"] == "agent" and r["key"] == "li")
    assert (li["rung"], li["answered"]) == ("3", "3")
    markdown = subprocess.run(
        [
            sys.executable,
            "-m",
            "hotline.cli",
            "report",
            "--seats",
            "--period",
            "day",
            "--at",
            "2026-11-20T23:59:00+08:00",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "connection rate (接通率): 60.0% (6/10)" in markdown
