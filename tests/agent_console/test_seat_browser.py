"""The seat in Debian's Chromium: an agent goes available, a simulated call is put through, the
screen pops with the caller's household, live words and suggestions arrive, and the agent
dispatches the pre-filled ticket with the keyboard alone."""

from __future__ import annotations

import threading

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.calls.models import Call
from hotline.core.clock import FixedClock
from hotline.tickets.models import Ticket, TicketNote
from ivr.simulator.call import CallResult, Script
from ivr.simulator.network import PhoneScript
from tests.agent_console.browsing import shot, sign_in
from tests.conftest import FIXTURES, LiveServer
from tests.ivr.switchboard import switchboard
from transcription.engine import VoskEngine

pytestmark = [pytest.mark.browser, pytest.mark.vosk, pytest.mark.slow]
HOUSEHOLD_PHONE = "+8613700000001"  # demo household H00001, grid 1101-01


def test_an_agent_takes_a_call_and_dispatches_it_from_the_keyboard(
    page: Page,
    live: LiveServer,
    sessions: sessionmaker[Session],
    clock: FixedClock,
    speech: VoskEngine,
    session: Session,
) -> None:
    live.app.state.live_engine = speech
    with switchboard(live, sessions, clock, realtime=True) as board:
        board.agent(
            "kim",
            "+8613900000081",
            languages=("ko", "zh-CN"),
            available=False,
            script=PhoneScript(after=0.3, talk=12.0, audio=FIXTURES / "ko_noise.wav"),
        )
        sign_in(page, live, "kim")
        page.goto(f"{live.url}/console/seat")
        expect(page.locator("#seat-now")).to_have_attribute("data-state", "signed_out")
        page.get_by_role("button", name="示闲（接听来电）").focus()
        page.keyboard.press("Enter")
        expect(page.locator("#seat-now")).to_have_attribute("data-state", "available")
        shot(page, "seat-1-available")

        results: list[CallResult] = []
        caller = board.carrier.call(HOUSEHOLD_PHONE, live.url)
        script = Script(keys=["3"], talk=FIXTURES / "ko_pothole.wav")
        talking = threading.Thread(target=lambda: results.append(caller.run(script)))
        talking.start()

        page.wait_for_url(f"{live.url}/console/seat/calls/{caller.call_sid}", timeout=20_000)
        expect(page.locator("#caller-number")).to_have_text(HOUSEHOLD_PHONE)
        expect(page.locator("#pop-household")).to_contain_text("H00001")
        expect(page.locator("#pop-grid")).to_contain_text("1101-01")
        expect(page.locator("#live li.caller").first).not_to_be_empty(timeout=20_000)
        expect(page.locator("#s-community")).to_have_attribute("data-code", "1101")
        expect(page.locator("#s-grid")).to_contain_text("东湖社区第1网格")
        expect(page.locator("#f-grid")).to_have_value("1101-01")
        expect(page.locator("#f-summary")).not_to_have_value("")
        shot(page, "seat-2-live")
        # Call bridged → ticket dispatched: focus is already in the form; one chord sends it.
        expect(page.locator("#f-summary")).to_be_focused()
        page.keyboard.press("Control+Enter")
        page.wait_for_url(f"{live.url}/console/seat/calls/{caller.call_sid}?done=*")
        expect(page.get_by_role("status")).to_contain_text("2026-000001")
        shot(page, "seat-3-dispatched")
        talking.join(timeout=60)
    assert results and results[0].errors == []
    session.rollback()
    ticket = session.scalars(select(Ticket)).one()
    assert (ticket.status, ticket.channel, ticket.created_by) == ("dispatched", "agent", "kim")
    assert ticket.team is not None and ticket.team.code == "1101-01"
    call = session.scalars(select(Call).where(Call.call_sid == caller.call_sid)).one()
    assert ticket.call_id == call.id
    note = session.scalars(select(TicketNote).where(TicketNote.ticket_id == ticket.id)).one()
    assert note.body.startswith("[caller ")
