"""IVR status check (menu 2) and recognition of callers whose household is registered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.calls import service as calls
from hotline.core.clock import FixedClock
from hotline.core.database import unit_of_work
from hotline.grids import service as grids
from hotline.tickets import service as tickets
from hotline.tickets.models import Ticket
from ivr.catalog import catalog
from tests.conftest import BASE_URL, Twilio
from tests.ivr.test_voice_flow import call_row, start
from tests.twiml import gather, parse, spoken

HOUSEHOLD_PHONE = "+8613700000001"  # demo household H00001, grid 1101-01


def make_ticket(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    *,
    caller: str,
    status: str = "dispatched",
    merged_into: str | None = None,
) -> str:
    with unit_of_work(sessions) as session:
        call = calls.get_or_create(
            session=session,
            clock=clock,
            call_sid=f"CA-{caller}-{status}-{merged_into}",
            from_number=caller,
            to_number="",
        )
        ticket, _ = tickets.get_or_create_for_call(
            session=session,
            clock=clock,
            call_id=call.id,
            caller=caller,
            language="en",
            category="utilities",
            location_code="1101",
        )
        ticket.status = status
        ticket.team = grids.get_unit_by_code(session=session, code="1101-01")
        ticket.due_at = clock.now() + timedelta(days=3)
        if merged_into:
            target = tickets.get_by_reference(session=session, reference=merged_into)
            assert target is not None
            ticket.merged_into_id = target.id
        return ticket.reference


def digits_of(reference: str) -> str:
    return reference.replace("-", "")


def test_own_ticket_gets_status_team_and_deadline(
    twilio: Twilio, sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    reference = make_ticket(sessions, clock, caller=twilio.caller)
    start(twilio, "2")
    root = parse(twilio.post("/ivr/voice/status?attempt=1", Digits=digits_of(reference)))
    en = catalog("en")
    said = spoken(root)
    number = ", ".join(digits_of(reference))
    assert said[0] == en.text("status_in_progress", digits=number)
    assert said[1] == en.text("status_assigned", team="Donghu Grid 1")
    assert said[2] == en.text("status_due", date="November 23")
    assert gather(root).get("action") == f"{BASE_URL}/ivr/voice/menu?attempt=1"


def test_short_number_means_this_year(
    twilio: Twilio, sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    reference = make_ticket(sessions, clock, caller=twilio.caller)
    start(twilio, "2")
    root = parse(twilio.post("/ivr/voice/status?attempt=1", Digits="1"))
    assert reference == "2026-000001"
    assert "in progress" in spoken(root)[0]


def test_someone_elses_ticket_gets_only_the_coarse_status(
    twilio: Twilio, sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    reference = make_ticket(sessions, clock, caller="+8613999999999")
    start(twilio, "2")
    root = parse(twilio.post("/ivr/voice/status?attempt=1", Digits=digits_of(reference)))
    en = catalog("en")
    said = spoken(root)
    assert said[0] == en.text("status_in_progress", digits=", ".join(digits_of(reference)))
    assert not any("Donghu" in line or "due" in line for line in said)


@pytest.mark.parametrize(("status", "key"), [("triaged", "received"), ("closed", "closed")])
def test_public_status_words(
    twilio: Twilio, sessions: sessionmaker[Session], clock: FixedClock, status: str, key: str
) -> None:
    reference = make_ticket(sessions, clock, caller=twilio.caller, status=status)
    start(twilio, "3")
    root = parse(twilio.post("/ivr/voice/status?attempt=1", Digits=digits_of(reference)))
    expected = catalog("ko").text(f"status_{key}", digits=", ".join(digits_of(reference)))
    assert spoken(root)[0] == expected


def test_merged_ticket_points_to_the_survivor(
    twilio: Twilio, sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    survivor = make_ticket(sessions, clock, caller="+8613999999999")
    merged = make_ticket(
        sessions, clock, caller=twilio.caller, status="merged", merged_into=survivor
    )
    start(twilio, "2")
    root = parse(twilio.post("/ivr/voice/status?attempt=1", Digits=digits_of(merged)))
    en = catalog("en")
    assert en.text("status_merged", digits=", ".join(digits_of(survivor))) in spoken(root)


def test_unknown_number_may_try_again_then_returns_to_the_menu(twilio: Twilio) -> None:
    start(twilio, "2")
    en = catalog("en")
    root = parse(twilio.post("/ivr/voice/status?attempt=1", Digits="2026999999"))
    assert spoken(root)[0] == en.text("status_not_found", number="2, 0, 2, 6, 9, 9, 9, 9, 9, 9")
    assert gather(root).get("action") == f"{BASE_URL}/ivr/voice/status?attempt=2"
    parse(twilio.post("/ivr/voice/status?attempt=2", Digits=""))
    root = parse(twilio.post("/ivr/voice/status?attempt=3", Digits="12345678901234"))
    assert en.text("main_menu") in spoken(root)


def test_registered_caller_can_use_the_community_on_file(twilio: Twilio, session: Session) -> None:
    twilio.caller = HOUSEHOLD_PHONE
    start(twilio, "2")
    parse(twilio.post("/ivr/voice/menu?attempt=1", Digits="1"))
    root = parse(twilio.post("/ivr/voice/category?attempt=1", Digits="2"))
    en = catalog("en")
    assert spoken(root) == [en.text("location_on_file", community="Donghu Community")]
    assert gather(root).get("action") == f"{BASE_URL}/ivr/voice/location-on-file?attempt=1"
    root = parse(twilio.post("/ivr/voice/location-on-file?attempt=1", Digits="1"))
    assert root.find("Record") is not None
    call = call_row(session, twilio)
    assert (call.location_code, call.location_source) == ("1101", "household")


def test_registered_caller_may_key_another_code(twilio: Twilio, session: Session) -> None:
    twilio.caller = HOUSEHOLD_PHONE
    start(twilio, "1")
    parse(twilio.post("/ivr/voice/category?attempt=1", Digits="2"))
    root = parse(twilio.post("/ivr/voice/location-on-file?attempt=1", Digits="2"))
    assert catalog("zh-CN").text("location_prompt") in spoken(root)
    assert gather(root).get("numDigits") == "4"


def test_unregistered_caller_is_asked_for_the_code(twilio: Twilio) -> None:
    start(twilio, "1")
    root = parse(twilio.post("/ivr/voice/category?attempt=1", Digits="2"))
    assert spoken(root) == [catalog("zh-CN").text("location_prompt")]


def test_ticket_from_household_location_is_routed_to_its_grid(
    twilio: Twilio, session: Session
) -> None:
    twilio.caller = HOUSEHOLD_PHONE
    start(twilio, "2")
    parse(twilio.post("/ivr/voice/menu?attempt=1", Digits="1"))
    parse(twilio.post("/ivr/voice/category?attempt=1", Digits="2"))
    parse(twilio.post("/ivr/voice/location-on-file?attempt=1", Digits="1"))
    parse(twilio.post("/ivr/voice/recorded?missing=1"))
    session.rollback()
    ticket = session.scalars(select(Ticket)).one()
    assert ticket.status == "dispatched"
    assert ticket.grid is not None and ticket.grid.code == "1101-01"
    assert ticket.assignee is not None and ticket.assignee.code == "1101-01-02"  # 包保 member
