"""The supervisor's live board: every agent's state and time in it, every caller waiting."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from hotline.calls import service as calls
from hotline.core.clock import FixedClock
from hotline.queue import service as queue
from hotline.seats import acd
from hotline.seats import service as seats
from tests.agent_console.arrange import Cases, add_user, csrf, sign_in


def test_the_board_shows_agents_and_waiting_callers(
    console: TestClient, cases: Cases, sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    with sessions.begin() as session:
        add_user(session, clock, "kim", "agent", phone="+8613900000071", languages=("ko",))
        seats.choose_state(session=session, clock=clock, username="agent", state="available")
        seats.choose_state(
            session=session, clock=clock, username="kim", state="paused", reason="training"
        )
        for n, language in ((1, "zh-CN"), (2, "ko")):
            call = calls.get_or_create(
                session=session,
                clock=clock,
                call_sid=f"CB{n:032d}",
                from_number=f"+86137000007{n:02d}",
                to_number="",
            )
            call.language = language
            queue.enqueue(session=session, clock=clock, call=call)
            clock.advance(seconds=30)
        acd.match(session=session, clock=clock)  # "agent" (zh-CN) now rings for the first
    clock.advance(seconds=95)
    sign_in(console, "supervisor")
    page = console.get("/console/board/rows").text
    rows = dict(re.findall(r'data-agent="([^"]+)" data-state="([^"]+)"', page))
    assert rows == {"agent": "ringing", "kim": "paused"}
    assert re.search(r'data-agent="kim".*?<td>2:35</td>', page, re.S)  # paused 155 s ago
    waiting = re.findall(
        r'<tr data-call="(CB\d+)"><td>([^<]+)</td><td>([^<]+)</td>'
        r"<td>([^<]+)</td><td>([^<]+)</td>",
        page,
    )
    assert waiting == [
        ("CB" + "0" * 31 + "1", "+8613700000701", "zh-CN", "2:35", "agent"),
        ("CB" + "0" * 31 + "2", "+8613700000702", "ko", "2:05", "—"),
    ]
    refused = console.post(
        "/console/board/calls/CB00000000000000000000000000000001/monitor",
        data={"mode": "listen", "csrf_token": csrf(console)},
    )
    assert refused.status_code == 409 and "no phone" in refused.text
    sign_in(console, "agent")
    assert console.get("/console/board").status_code == 403
