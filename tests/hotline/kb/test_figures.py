"""Knowledge-base figures on a fixture counted by hand: calls settled at the seat, articles
answered from and opened, searches that found nothing; service, report and API agree."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from hotline.calls import service as calls
from hotline.core.clock import FixedClock
from hotline.kb import demo
from hotline.kb.figures import kb_figures
from hotline.kb.models import Article, Lookup
from hotline.queue.models import QueueEntry
from hotline.tickets import service as tickets
from hotline.tickets.transitions import TicketAction
from tests.agent_console.arrange import intake
from tests.conftest import API_TOKEN, Backend

# The conftest clock: 2026-11-20 09:30 UTC, 17:30 in Shanghai; "today" began 16:00 UTC the 19th.
TODAY = datetime(2026, 11, 19, 16, 0, tzinfo=UTC)
YESTERDAY = TODAY - timedelta(hours=3)


@pytest.fixture
def counted(sessions: sessionmaker[Session], clock: FixedClock) -> None:
    with sessions.begin() as session:
        demo.seed(session=session, clock=clock)
        ids = dict(session.execute(select(Article.code, Article.id)).all())
        for n, answered_at in enumerate(
            [TODAY + timedelta(hours=h) for h in (1, 2, 3, 4)] + [YESTERDAY]
        ):
            call = calls.get_or_create(
                session=session, clock=clock, call_sid=f"CQ{n:032d}", from_number="", to_number=""
            )
            session.add(
                QueueEntry(
                    call_id=call.id,
                    call_sid=call.call_sid,
                    outcome="answered",
                    answered_by="kim",
                    enqueued_at=answered_at,
                    answered_at=answered_at,
                )
            )
        # Tickets: two settled on the call today (one from water-outage), one dispatched work,
        # one settled from an article yesterday (outside the day).
        for n, article, answer, created in (
            (1, "water-outage", True, TODAY + timedelta(hours=1)),
            (2, None, True, TODAY + timedelta(hours=2)),
            (3, None, False, TODAY + timedelta(hours=3)),
            (4, "heating", True, YESTERDAY),
        ):
            ticket = intake(session, clock, n)
            ticket.created_at = created
            ticket.kb_article_id = ids[article] if article else None
            if answer:
                tickets.transition(
                    session=session,
                    clock=clock,
                    ticket=ticket,
                    action=TicketAction.ANSWER,
                    actor="kim",
                )
        lookups = [
            ("search", "停水", 2, None, TODAY + timedelta(minutes=5)),
            ("search", "天气预报", 0, None, TODAY + timedelta(minutes=6)),
            ("search", " 天气预报 ", 0, None, TODAY + timedelta(minutes=7)),
            ("search", "公交", 0, None, YESTERDAY),
            ("open", None, None, "water-outage", TODAY + timedelta(minutes=8)),
            ("open", None, None, "water-outage", TODAY + timedelta(minutes=9)),
            ("open", None, None, "heating", TODAY + timedelta(minutes=10)),
        ]
        for kind, query, hits, code, at in lookups:
            session.add(
                Lookup(
                    kind=kind,
                    source="seat",
                    query=query,
                    hits=hits,
                    article_id=ids[code] if code else None,
                    username="kim",
                    at=at,
                )
            )


def test_the_days_figures_match_the_hand_count(
    counted: None, session: Session, clock: FixedClock
) -> None:
    figures = kb_figures(session=session, since=TODAY, until=clock.now() + timedelta(seconds=1))
    assert (figures.answered_by_person, figures.answered_on_call, figures.answered_from_kb) == (
        4,
        2,
        1,
    )
    assert (figures.answered_at_seat_rate, figures.kb_answer_rate) == (0.5, 0.5)
    assert (figures.searches, figures.searches_without_hits) == (3, 2)
    assert [(u.code, u.answered, u.opened) for u in figures.top_articles] == [
        ("water-outage", 1, 2),
        ("heating", 0, 1),
    ]
    assert figures.top_articles[0].title == "停水：什么时候来水"
    assert [(m.query, m.searches) for m in figures.missing] == [("天气预报", 2)]


def test_report_and_api_give_the_same_figures(
    counted: None, backend: Backend, db_engine: Engine, tmp_path: Path, client: TestClient
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env |= {
        "HOTLINE_DATA_DIR": str(tmp_path / "data"),
        "HOTLINE_DATABASE_URL": backend.database_url,
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "hotline.cli",
            "report",
            "--kb",
            "--period",
            "day",
            "--format",
            "csv",
            "--at",
            "2026-11-20T17:30+08:00",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows = {(r["section"], r["key"]): r for r in csv.DictReader(io.StringIO(done.stdout))}
    assert rows[("total", "answered_at_seat_rate")]["value"] == "0.5"
    assert rows[("total", "searches_without_hits")]["value"] == "2"
    assert rows[("article", "water-outage")]["opened"] == "2"
    assert rows[("missing", "天气预报")]["searches"] == "2"
    markdown = subprocess.run(
        [
            sys.executable,
            "-m",
            "hotline.cli",
            "report",
            "--kb",
            "--at",
            "2026-11-20T17:30+08:00",
            "--period",
            "day",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    settled = "answered on the call (consultations settled at the seat): 2"
    assert f"{settled} (50.0% of the calls a person answered)" in markdown
    assert markdown.startswith(
        "# Knowledge base 2026-11-20 00:00 – 2026-11-20 17:30 (Asia/Shanghai)"
    )
    body = client.get(
        "/api/v1/metrics/kb",
        params={"period": "day"},
        headers={"Authorization": f"Bearer {API_TOKEN}"},
    ).json()
    assert (body["answered_on_call"], body["answered_from_kb"], body["kb_answer_rate"]) == (
        2,
        1,
        0.5,
    )
    assert body["missing"][0]["query"] == "天气预报"
