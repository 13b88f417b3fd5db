"""The knowledge base at the seat, in Debian's Chromium: while a call is live the seat suggests
the article for what the caller says, the agent opens it with Alt+1, answers from it, and closes
the call as an answered consultation linked to the article, without the mouse.

Only the Korean model is installable here, so the Mandarin caller's words are written to the call
the way the live recognizer writes them (hotline.transcripts.live.add_segments); decoding itself
is tested with Vosk in tests/ivr/test_media_stream.py."""

from __future__ import annotations

import threading
import time

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.calls.models import Call
from hotline.core.clock import FixedClock
from hotline.kb import demo
from hotline.kb.models import Article
from hotline.tickets.models import Ticket
from hotline.transcripts import live as live_transcripts
from hotline.transcripts.models import LiveStream
from ivr.simulator.call import CallResult, Script
from ivr.simulator.network import PhoneScript
from tests.agent_console.browsing import shot, sign_in
from tests.conftest import FIXTURES, LiveServer
from tests.ivr.switchboard import switchboard
from transcription.engine import VoskEngine
from transcription.live import Segment

pytestmark = [pytest.mark.browser, pytest.mark.vosk, pytest.mark.slow]
ZH = "1"  # the language key for 中文
SAID = "我们小区今天停水了，什么时候来水？"


def say_on_the_call(sessions: sessionmaker[Session], clock: FixedClock, call_sid: str) -> None:
    """The caller's words arrive on the call's live stream as a final segment."""
    deadline = time.monotonic() + 20
    while True:
        with sessions.begin() as session:
            stream = session.scalar(select(LiveStream).join(Call).where(Call.call_sid == call_sid))
            if stream is not None:
                segment = Segment(track="inbound", text=SAID, start=0.5, end=3.0, final=True)
                live_transcripts.add_segments(
                    session=session, clock=clock, stream_id=stream.id, segments=[segment]
                )
                return
        assert time.monotonic() < deadline, "the call's live stream never started"
        time.sleep(0.2)


def test_the_seat_suggests_the_article_and_the_agent_answers_the_call_from_it(
    page: Page,
    live: LiveServer,
    sessions: sessionmaker[Session],
    clock: FixedClock,
    speech: VoskEngine,
    session: Session,
) -> None:
    live.app.state.live_engine = speech
    with sessions.begin() as seeding:
        demo.seed(session=seeding, clock=clock)
    with switchboard(live, sessions, clock, realtime=True) as board:
        board.agent(
            "li",
            "+8613900000082",
            languages=("zh-CN",),
            script=PhoneScript(after=0.3, talk=40.0, audio=FIXTURES / "ko_noise.wav"),
        )
        sign_in(page, live, "li")
        page.goto(f"{live.url}/console/seat")
        results: list[CallResult] = []
        caller = board.carrier.call("+8613700000001", live.url)
        script = Script(keys=[ZH], talk=FIXTURES / "zh_streetlight.wav")
        talking = threading.Thread(target=lambda: results.append(caller.run(script)))
        talking.start()

        page.wait_for_url(f"{live.url}/console/seat/calls/{caller.call_sid}", timeout=20_000)
        say_on_the_call(board.ctx.sessions, clock, caller.call_sid)  # write-first sessions
        expect(page.locator("#live li.caller").first).to_contain_text("停水", timeout=10_000)
        first = page.locator("#kb-suggested li").first
        expect(first).to_have_attribute("data-code", "water-outage", timeout=10_000)
        expect(first.locator("mark").first).to_have_text("停水")
        shot(page, "seat-kb-1-suggested")

        # Three keys: open the first suggestion, answer from it, send.
        page.keyboard.press("Alt+1")
        expect(page.locator("#kb-article")).to_contain_text("计划停水会提前24小时")
        expect(page.locator("#kb-use")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("#f-answered")).to_be_checked()
        expect(page.locator("#f-article")).to_have_value("water-outage")
        expect(page.locator("#kb-chosen")).to_contain_text("停水：什么时候来水")
        expect(page.locator("#f-summary")).to_be_focused()
        shot(page, "seat-kb-2-answer")
        page.keyboard.press("Control+Enter")
        page.wait_for_url(f"{live.url}/console/seat/calls/{caller.call_sid}?done=*")
        shot(page, "seat-kb-3-answered")
        talking.join(timeout=90)
    assert results and results[0].errors == []
    session.rollback()
    ticket = session.scalars(select(Ticket)).one()
    article = session.scalars(select(Article).where(Article.code == "water-outage")).one()
    assert (ticket.status, ticket.kb_article_id, ticket.created_by) == (
        "answered",
        article.id,
        "li",
    )
    assert ticket.summary is not None and "停水" in ticket.summary
    codes = [c["code"] for e in ticket.events for c in (e.reason_codes or [])]
    assert "intake.answered_kb" in codes
